"""Staff invitations: an owner invites a person by email, the person accepts through a link.

The link carries a random token. The database stores only the token's
SHA-256 hash, so the token exists only in the email and in the link.
Sending again replaces the token, which makes the earlier link invalid.
"""
import datetime
import hashlib
import logging
import secrets
from enum import Enum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.outbox import queue_email

from .members import require_staff_manager
from .models import Invitation, Membership, Organisation, Role
from .services import audit_record

logger = logging.getLogger(__name__)

INVITATION_LIFETIME = datetime.timedelta(days=7)
# 32 random bytes: the link cannot be guessed, so accepting needs no rate limit.
TOKEN_BYTES = 32


class InvitationState(str, Enum):
    PENDING = "pending"
    EXPIRED = "expired"
    ACCEPTED = "accepted"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"


class InvitationUnavailable(Exception):
    """The link is unknown, expired, already used or cancelled, as ``state`` records."""

    def __init__(self, state: InvitationState):
        super().__init__(state.value)
        self.state = state


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def accept_url(token: str) -> str:
    return settings.MERKKIPAJA_BASE_URL.rstrip("/") + reverse("invitation_accept", kwargs={"token": token})


def invitation_state(invitation: Invitation | None, now: datetime.datetime | None = None) -> InvitationState:
    if invitation is None:
        return InvitationState.UNKNOWN
    if invitation.cancelled_at is not None:
        return InvitationState.CANCELLED
    if invitation.accepted_at is not None:
        return InvitationState.ACCEPTED
    if invitation.expires_at <= (now or timezone.now()):
        return InvitationState.EXPIRED
    return InvitationState.PENDING


def invitation_for_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("organisation").filter(token_hash=hash_token(token)).first()


def _clean_email(email: str) -> str:
    # Domains are case-insensitive; the local part is kept as typed.
    local, _at, domain = (email or "").strip().rpartition("@")
    return f"{local}@{domain.lower()}" if local else (email or "").strip()


def _clean_role(role: str) -> str:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role: owner, editor or instructor.")})
    return role


def _new_token(invitation: Invitation, now: datetime.datetime) -> str:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation.token_hash = hash_token(token)
    invitation.expires_at = now + INVITATION_LIFETIME
    return token


def _queue_invitation_email(*, invitation: Invitation, token: str, inviter, language: str) -> None:
    queue_email(
        to=invitation.email,
        template="staff_invitation",
        context={
            "organisation_name": invitation.organisation.name,
            "invitation": invitation,
            "inviter_name": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
            "accept_url": accept_url(token),
            "expires_at": invitation.expires_at,
        },
        language=language,
        kind="staff_invitation",
        organisation=invitation.organisation,
        related_id=invitation.pk,
    )


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, actor, language: str, now=None
) -> Invitation:
    """Invite ``email`` to the organisation's staff with ``role`` and queue the email with the link."""
    require_staff_manager(actor, organisation)
    email = _clean_email(email)
    role = _clean_role(role)
    now = now or timezone.now()
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    already_invited = Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        cancelled_at__isnull=True,
        expires_at__gt=now,
    ).exists()
    if already_invited:
        raise ValidationError({"email": _(
            "This address already has a valid invitation. Send the invitation again from the list below, "
            "or cancel it first.")})

    invitation = Invitation(organisation=organisation, email=email, role=role, invited_by=actor)
    token = _new_token(invitation, now)
    invitation.save()
    _queue_invitation_email(invitation=invitation, token=token, inviter=actor, language=language)
    audit_record(
        action="invitation.create",
        organisation=organisation,
        actor=actor,
        target=invitation,
        details={"role": role},
    )
    logger.info("Created invitation %s to organisation %s", invitation.pk, organisation.pk)
    return invitation


def _lock_pending(invitation: Invitation, now: datetime.datetime) -> Invitation:
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    state = invitation_state(invitation, now)
    if state in (InvitationState.ACCEPTED, InvitationState.CANCELLED):
        raise InvitationUnavailable(state)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor, language: str, now=None) -> Invitation:
    """Send the invitation again with a new link and a new expiry date; the old link stops working.

    An expired invitation can be sent again; an accepted or cancelled one
    raises ``InvitationUnavailable``.
    """
    require_staff_manager(actor, invitation.organisation)
    now = now or timezone.now()
    invitation = _lock_pending(invitation, now)
    token = _new_token(invitation, now)
    invitation.save(update_fields=["token_hash", "expires_at"])
    _queue_invitation_email(invitation=invitation, token=token, inviter=actor, language=language)
    audit_record(
        action="invitation.resend",
        organisation=invitation.organisation,
        actor=actor,
        target=invitation,
        details={"role": invitation.role},
    )
    logger.info("Sent invitation %s again", invitation.pk)
    return invitation


@transaction.atomic
def invitation_cancel(*, invitation: Invitation, actor, now=None) -> Invitation:
    require_staff_manager(actor, invitation.organisation)
    now = now or timezone.now()
    invitation = _lock_pending(invitation, now)
    invitation.cancelled_at = now
    invitation.save(update_fields=["cancelled_at"])
    audit_record(
        action="invitation.cancel",
        organisation=invitation.organisation,
        actor=actor,
        target=invitation,
        details={"role": invitation.role},
    )
    logger.info("Cancelled invitation %s", invitation.pk)
    return invitation


def _pending_for_token(token: str, now: datetime.datetime) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )
    state = invitation_state(invitation, now)
    if state != InvitationState.PENDING:
        raise InvitationUnavailable(state)
    return invitation


def _accept(*, invitation: Invitation, user, new_account: bool, now: datetime.datetime) -> Membership:
    existing = Membership.objects.filter(user=user, organisation=invitation.organisation).first()
    if existing is not None:
        raise ValidationError(
            _("You are already a member of %(organisation)s as %(role)s. If your role should change, "
              "ask an owner to change it on the staff page.")
            % {"organisation": invitation.organisation.name, "role": existing.get_role_display().lower()}
        )
    membership = Membership.objects.create(user=user, organisation=invitation.organisation, role=invitation.role)
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        action="invitation.accept",
        organisation=invitation.organisation,
        actor=user,
        target=invitation,
        details={"role": invitation.role, "user_id": user.pk, "membership_id": membership.pk,
                 "new_account": new_account},
    )
    logger.info("Invitation %s accepted by user %s", invitation.pk, user.pk)
    return membership


@transaction.atomic
def invitation_accept(*, token: str, user, now=None) -> Membership:
    """Add the logged-in ``user`` to the organisation with the invited role.

    Raises ``InvitationUnavailable`` for an unknown, expired, used or
    cancelled link, and ``ValidationError`` when the user already belongs
    to the organisation.
    """
    now = now or timezone.now()
    invitation = _pending_for_token(token, now)
    return _accept(invitation=invitation, user=user, new_account=False, now=now)


@transaction.atomic
def invitation_accept_new_account(*, token: str, username: str, password: str, now=None) -> Membership:
    """Create a staff account for the invited person and add it to the organisation.

    The account gets the invited email address. The password goes through
    Django's password validators (``AUTH_PASSWORD_VALIDATORS``).
    """
    now = now or timezone.now()
    invitation = _pending_for_token(token, now)
    user_model = get_user_model()
    if user_model.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken. Choose another one.")})
    user = user_model(username=username, email=invitation.email)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    return _accept(invitation=invitation, user=user, new_account=True, now=now)
