"""Read queries for organisations, memberships and keys."""
from django.db.models import QuerySet

from .models import Membership, Organisation, SigningKey
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
