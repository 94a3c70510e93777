"""Read queries for organisations, memberships, invitations, keys and the audit trail."""
import datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEvent, Invitation, Membership, Organisation, SigningKey
from .permissions import Action, role_allows


def membership_role(*, user, organisation: Organisation) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    return membership.role if membership else None


def user_can(*, user, organisation: Organisation, action: Action) -> bool:
    return role_allows(membership_role(user=user, organisation=organisation), action)


def organisations_for_user(user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).distinct().order_by("name")


def memberships_for_user(user) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def active_signing_key(*, organisation: Organisation, algorithm: str) -> SigningKey | None:
    return (
        SigningKey.objects.filter(
            organisation=organisation,
            algorithm=algorithm,
            retired_at__isnull=True,
            revoked_at__isnull=True,
        )
        .order_by("-created_at")
        .first()
    )


def published_keys(organisation: Organisation, algorithm: str) -> list[SigningKey]:
    """Return every key of one algorithm that verifiers may use: active and retired, not revoked."""
    return list(
        SigningKey.objects.filter(
            organisation=organisation, algorithm=algorithm, revoked_at__isnull=True
        ).order_by("created_at")
    )


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation=organisation).select_related("user").order_by("user__username")


def open_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    """Return the invitations not yet accepted or cancelled, expired ones included, newest first."""
    return Invitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True, cancelled_at__isnull=True
    ).select_related("invited_by")


def audit_events(
    *,
    organisation: Organisation,
    action: str = "",
    actor_id: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """Return the organisation's audit events, newest first; dates are inclusive local dates."""
    events = AuditEvent.objects.filter(organisation=organisation).select_related("actor")
    if action:
        events = events.filter(action=action)
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    if date_from is not None:
        events = events.filter(created_at__gte=_start_of_day(date_from))
    if date_to is not None:
        events = events.filter(created_at__lt=_start_of_day(date_to + datetime.timedelta(days=1)))
    return events.order_by("-created_at", "-pk")


def audit_actors(organisation: Organisation) -> list:
    """Return the people who appear in the organisation's audit trail, by username."""
    actor_ids = AuditEvent.objects.filter(organisation=organisation, actor__isnull=False).values("actor_id")
    return list(get_user_model().objects.filter(pk__in=actor_ids).order_by("username"))


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
