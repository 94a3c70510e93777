"""Actions that each staff role may take in its organisation.

Owners do everything, editors define badges and issue them, instructors
issue badges. Every staff view and service checks one of these actions for
the organisation that owns the object, never for "any" organisation.
"""
from enum import Enum

from .models import Role


class Action(str, Enum):
    MANAGE_ORGANISATION = "manage_organisation"
    MANAGE_BADGES = "manage_badges"
    ISSUE = "issue"
    VIEW_CREDENTIALS = "view_credentials"
    # Invite staff, change their roles and remove them.
    MANAGE_STAFF = "manage_staff"
    # Read and export the organisation's audit trail.
    VIEW_AUDIT = "view_audit"


ALLOWED_ROLES: dict[Action, set[str]] = {
    Action.MANAGE_ORGANISATION: {Role.OWNER},
    Action.MANAGE_BADGES: {Role.OWNER, Role.EDITOR},
    Action.ISSUE: {Role.OWNER, Role.EDITOR, Role.INSTRUCTOR},
    Action.VIEW_CREDENTIALS: {Role.OWNER, Role.EDITOR, Role.INSTRUCTOR},
    Action.MANAGE_STAFF: {Role.OWNER},
    Action.VIEW_AUDIT: {Role.OWNER},
}


def role_allows(role: str | None, action: Action) -> bool:
    return role is not None and role in ALLOWED_ROLES[action]
