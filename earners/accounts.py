"""Passwordless earner accounts: one-time sign-in links and verified email addresses.

Sign-in and sign-up are one flow: the link sent to an address signs in
its earner, or creates the account when no earner has that address yet.
The page that requests a link responds the same whether or not the address
is known, so it cannot be used to find out who has an account.
"""
import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from badges import links
from badges.openbadges.recipient import normalize_email
from notifications.outbox import queue_email

from . import codes, ratelimit
from .models import Earner, EarnerEmail, EarnerToken, TokenPurpose

logger = logging.getLogger(__name__)

SIGN_IN_MINUTES = 15
VERIFY_EMAIL_HOURS = 24


class AccountError(ValidationError):
    """A rejected request. The message is translated and tells the person what to do."""


def clean_address(address: str) -> str:
    email = normalize_email(address or "")
    try:
        validate_email(email)
    except ValidationError:
        raise AccountError(_("Enter a valid email address, for example name@example.fi.")) from None
    return email


def safe_next_path(path: str) -> str:
    """Return ``path`` when it is a page of the backpack, else an empty string (no open redirect)."""
    prefix = reverse("earners:home")
    if path and path.startswith(prefix) and "//" not in path and "\\" not in path:
        return path[:200]
    return ""


def _token_create(*, purpose: str, address: str, earner: Earner | None, lifetime: datetime.timedelta,
                  next_path: str = "", now: datetime.datetime) -> str:
    token = codes.token_new()
    EarnerToken.objects.create(
        purpose=purpose,
        token_hash=codes.token_hash(token),
        address=address,
        earner=earner,
        next_path=next_path,
        expires_at=now + lifetime,
    )
    return token


def sign_in_request(*, address: str, ip_address: str, language: str, next_path: str = "",
                    now: datetime.datetime | None = None) -> None:
    """Email a one-time sign-in link to ``address``.

    Raises ``AccountError`` only for an invalid address or too many
    requests, never for an unknown address. The request is counted outside
    the transaction that queues the email, so a refusal still counts.
    """
    now = now or timezone.now()
    email = clean_address(address)
    allowed_address = ratelimit.hit("sign_in_address", email, now=now)
    allowed_ip = ratelimit.hit("sign_in_ip", ip_address or "unknown", now=now)
    if not (allowed_address and allowed_ip):
        raise AccountError(_("Too many sign-in links were requested. Wait an hour and try again."))
    with transaction.atomic():
        _sign_in_email(email, language, next_path, now)


def _sign_in_email(email: str, language: str, next_path: str, now) -> None:
    owner = EarnerEmail.objects.filter(address=email).select_related("earner").first()
    if owner is not None:
        language = owner.earner.language
    token = _token_create(purpose=TokenPurpose.SIGN_IN, address=email, earner=owner.earner if owner else None,
                          lifetime=datetime.timedelta(minutes=SIGN_IN_MINUTES),
                          next_path=safe_next_path(next_path), now=now)
    queue_email(
        to=email,
        template="sign_in",
        context={"sign_in_url": links.absolute(reverse("earners:sign_in_link", kwargs={"token": token})),
                 "minutes": SIGN_IN_MINUTES},
        language=language,
        kind="sign_in",
    )


def _valid_token(token: str, purpose: str, now) -> EarnerToken | None:
    row = (
        EarnerToken.objects.select_for_update()
        .filter(token_hash=codes.token_hash(token or ""), purpose=purpose)
        .first()
    )
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return row


def token_is_valid(token: str, purpose: str, *, now: datetime.datetime | None = None) -> bool:
    row = EarnerToken.objects.filter(token_hash=codes.token_hash(token or ""), purpose=purpose).first()
    return row is not None and row.used_at is None and row.expires_at > (now or timezone.now())


@transaction.atomic
def sign_in_complete(*, token: str, language: str,
                     now: datetime.datetime | None = None) -> tuple[Earner, str]:
    """Use a sign-in link once; return the earner (created on first sign-in) and the page to open."""
    now = now or timezone.now()
    row = _valid_token(token, TokenPurpose.SIGN_IN, now)
    if row is None:
        raise AccountError(_("This sign-in link is invalid, already used or expired (links work for "
                             "%(minutes)d minutes). Ask for a new link.") % {"minutes": SIGN_IN_MINUTES})
    row.used_at = now
    row.save(update_fields=["used_at"])

    owner = EarnerEmail.objects.filter(address=row.address).select_related("earner").first()
    if owner is not None:
        earner = owner.earner
    else:
        earner = Earner.objects.create(language=language if language in dict(settings.LANGUAGES) else "fi")
        EarnerEmail.objects.create(earner=earner, address=row.address, verified_at=now)
        logger.info("Created earner %s on first sign-in", earner.pk)
    earner.last_signed_in_at = now
    earner.save(update_fields=["last_signed_in_at"])
    logger.info("Earner %s signed in", earner.pk)
    return earner, row.next_path


def email_add_request(*, earner: Earner, address: str, now: datetime.datetime | None = None) -> None:
    """Email a verification link; the address is added only when the link is opened."""
    now = now or timezone.now()
    email = clean_address(address)
    if not ratelimit.hit("email_add_earner", str(earner.pk), now=now):
        raise AccountError(_("Too many addresses were added. Wait an hour and try again."))
    with transaction.atomic():
        _verification_email(earner, email, now)


def _verification_email(earner: Earner, email: str, now) -> None:
    if earner.emails.filter(address=email).exists():
        raise AccountError(_("This address is already in your passport."))
    token = _token_create(purpose=TokenPurpose.VERIFY_EMAIL, address=email, earner=earner,
                          lifetime=datetime.timedelta(hours=VERIFY_EMAIL_HOURS), now=now)
    queue_email(
        to=email,
        template="email_verify",
        context={"verify_url": links.absolute(reverse("earners:email_verify", kwargs={"token": token})),
                 "hours": VERIFY_EMAIL_HOURS},
        language=earner.language,
        kind="email_verify",
    )


@transaction.atomic
def email_verify(*, token: str, earner: Earner, now: datetime.datetime | None = None) -> EarnerEmail:
    now = now or timezone.now()
    row = _valid_token(token, TokenPurpose.VERIFY_EMAIL, now)
    if row is None or row.earner_id != earner.pk:
        raise AccountError(_("This verification link is invalid, already used or expired. "
                             "Add the address again to get a new link."))
    row.used_at = now
    row.save(update_fields=["used_at"])
    try:
        with transaction.atomic():
            return EarnerEmail.objects.create(earner=earner, address=row.address, verified_at=now)
    except IntegrityError:
        raise AccountError(_("This address already belongs to another passport. Sign in with it "
                             "to see the badges there.")) from None


@transaction.atomic
def email_remove(*, earner: Earner, email_id: int) -> None:
    if earner.emails.count() <= 1:
        raise AccountError(_("You cannot remove your only address: you sign in with it. "
                             "Add another address first, or delete your passport."))
    deleted, _rows = earner.emails.filter(pk=email_id).delete()
    if not deleted:
        raise AccountError(_("This address is not in your passport."))


def language_set(*, earner: Earner, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise AccountError(_("Choose Finnish, Swedish or English."))
    earner.language = language
    earner.save(update_fields=["language"])


def purge_expired_tokens(*, now: datetime.datetime | None = None) -> int:
    deleted, _rows = EarnerToken.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
