"""Owners change staff roles and remove staff; an organisation always keeps one owner."""
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Membership, Organisation, Role
from .permissions import Action
from .selectors import user_can
from .services import audit_record

logger = logging.getLogger(__name__)


def require_staff_manager(actor, organisation: Organisation) -> None:
    if not user_can(user=actor, organisation=organisation, action=Action.MANAGE_STAFF):
        raise PermissionDenied(
            _("Only an owner of %(organisation)s can manage its staff.") % {"organisation": organisation.name}
        )


def _lock(membership: Membership) -> Membership:
    # Locking the organisation row serialises concurrent staff changes, so
    # two owners cannot demote each other at the same moment.
    Organisation.objects.select_for_update().get(pk=membership.organisation_id)
    return Membership.objects.select_related("organisation", "user").get(pk=membership.pk)


def _require_other_owner(membership: Membership, message: str) -> None:
    if membership.role != Role.OWNER:
        return
    other_owners = Membership.objects.filter(organisation=membership.organisation, role=Role.OWNER).exclude(
        pk=membership.pk
    )
    if not other_owners.exists():
        raise ValidationError(message)


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor) -> Membership:
    require_staff_manager(actor, membership.organisation)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role: owner, editor or instructor.")})
    membership = _lock(membership)
    previous_role = membership.role
    if role == previous_role:
        return membership
    _require_other_owner(
        membership,
        _("%(organisation)s must have at least one owner. Make another staff member an owner first, "
          "then change this role.") % {"organisation": membership.organisation.name},
    )
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        action="membership.update",
        organisation=membership.organisation,
        actor=actor,
        target=membership,
        details={"user_id": membership.user_id, "role": role, "previous_role": previous_role},
    )
    logger.info("Changed role of membership %s from %s to %s", membership.pk, previous_role, role)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    require_staff_manager(actor, membership.organisation)
    membership = _lock(membership)
    _require_other_owner(
        membership,
        _("%(organisation)s must have at least one owner. Make another staff member an owner first, "
          "then remove this person.") % {"organisation": membership.organisation.name},
    )
    audit_record(
        action="membership.delete",
        organisation=membership.organisation,
        actor=actor,
        target=membership,
        details={"user_id": membership.user_id, "role": membership.role},
    )
    logger.info("Removed membership %s from organisation %s", membership.pk, membership.organisation_id)
    membership.delete()
