"""Claiming: linking an issued badge to an earner's backpack.

Issuing calls ``claim_offer_create`` in the issuing transaction. A badge
with an email address gets a claim link by email. A badge without one gets
a typable claim code, which staff print on a claim card. An earner can also
claim badges issued to any of their verified addresses: these are listed
for them to claim one by one, never claimed automatically, because one
address may be shared (a family, a support worker) and a badge can reveal
that its earner is a client of a social service.
"""
import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from badges import links
from badges.models import Credential
from issuers import keystore
from issuers.permissions import Action
from issuers.selectors import user_can
from issuers.services import audit_record
from notifications.outbox import queue_email

from . import codes, ratelimit
from .models import Claim, ClaimCode, ClaimMethod, ClaimToken, Earner, EarnerEmail

logger = logging.getLogger(__name__)

# A claim link stays valid long enough for an earner who reads email
# rarely, and staff can send a new one at any time.
CLAIM_LINK_DAYS = 90


class ClaimError(ValidationError):
    """A rejected claim. The message is translated and tells the person what to do."""


def claim_url(token: str) -> str:
    return links.absolute(reverse("earners:claim_link", kwargs={"token": token}))


def _claim_token_create(credential: Credential, now: datetime.datetime) -> str:
    token = codes.token_new()
    ClaimToken.objects.create(
        credential=credential,
        token_hash=codes.token_hash(token),
        expires_at=now + datetime.timedelta(days=CLAIM_LINK_DAYS),
    )
    return token


def _badge_issued_email(credential: Credential, token: str) -> None:
    version = credential.badge_version
    language = credential.recipient_language
    queue_email(
        to=credential.recipient_email,
        template="badge_issued",
        context={
            "badge_name": version.text("name", language),
            # The signing profile: for a network-issued badge the network, never
            # the organisation whose staff issued it.
            "organisation_name": credential.issuer_profile.name,
            "claim_url": claim_url(token),
            "verification_url": links.credential_url(credential.id),
            "claim_days": CLAIM_LINK_DAYS,
        },
        language=language,
        kind="badge_issued",
        organisation=credential.organisation,
        related_id=str(credential.id),
    )


def claim_offer_create(*, credential: Credential, now: datetime.datetime | None = None) -> None:
    """Email a claim link, or create a claim code when the badge has no email address.

    Runs inside ``credential_issue``'s transaction, so a rolled-back issue
    queues no email and a committed one always has its email row.
    """
    now = now or timezone.now()
    if credential.recipient_email:
        _badge_issued_email(credential, _claim_token_create(credential, now))
        return
    code = codes.code_new()
    ClaimCode.objects.create(
        credential=credential,
        code_hash=codes.code_hash(codes.code_normalize(code)),
        encrypted_code=keystore.encrypt_text(code),
    )


def claim_code_text(credential: Credential) -> str | None:
    """Return the printable claim code of an unclaimed badge, or None when it has none."""
    claim_code = ClaimCode.objects.filter(credential=credential).first()
    return keystore.decrypt_text(claim_code.encrypted_code) if claim_code else None


def can_resend(credential: Credential) -> bool:
    return (
        bool(credential.recipient_email)
        and credential.revoked_at is None
        and credential.personal_data_erased_at is None
        and not Claim.objects.filter(credential=credential).exists()
    )


@transaction.atomic
def claim_email_resend(*, credential: Credential, actor, now: datetime.datetime | None = None) -> None:
    """Send the "badge issued" email again with a new claim link; earlier links stop working."""
    now = now or timezone.now()
    if actor is not None and not user_can(user=actor, organisation=credential.organisation, action=Action.ISSUE):
        raise PermissionDenied(_("You do not have the right to do this in %(organisation)s.")
                               % {"organisation": credential.organisation.name})
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if not can_resend(credential):
        raise ClaimError(_("The email cannot be sent again: the badge has no email address, "
                           "or it is already claimed, revoked or erased."))
    ClaimToken.objects.filter(credential=credential).delete()
    _badge_issued_email(credential, _claim_token_create(credential, now))
    audit_record(action="credential.claim_email_resend", organisation=credential.organisation,
                 actor=actor, target=credential)
    logger.info("Resent the claim email of credential %s", credential.pk)


def credential_for_claim_token(token: str, *, now: datetime.datetime | None = None) -> Credential | None:
    """Return the credential of a valid, unexpired claim link, or None."""
    now = now or timezone.now()
    row = (
        ClaimToken.objects.filter(token_hash=codes.token_hash(token or ""), expires_at__gt=now)
        .select_related("credential__badge_version__image", "credential__organisation", "credential__issuer_profile")
        .first()
    )
    return row.credential if row else None


def _claim(*, credential: Credential, earner: Earner, method: str, now) -> Claim:
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    existing = Claim.objects.filter(credential=credential).first()
    if existing is not None:
        if existing.earner_id == earner.pk:
            return existing
        raise ClaimError(_("This badge is already in another person's passport. "
                           "If it is yours, ask the organisation that issued it."))
    if credential.personal_data_erased_at is not None:
        raise ClaimError(_("This badge's data has been erased, so it cannot be claimed."))
    claim = Claim.objects.create(credential=credential, earner=earner, method=method, claimed_at=now)
    # A claimed badge needs no link or code any more.
    ClaimToken.objects.filter(credential=credential).delete()
    ClaimCode.objects.filter(credential=credential).delete()
    logger.info("Earner %s claimed credential %s by %s", earner.pk, credential.pk, method)
    return claim


@transaction.atomic
def claim_by_token(*, token: str, earner: Earner, now: datetime.datetime | None = None) -> Claim:
    now = now or timezone.now()
    credential = credential_for_claim_token(token, now=now)
    if credential is None:
        raise ClaimError(_("This claim link is invalid or has expired. Ask the organisation that "
                           "issued the badge to send a new one."))
    return _claim(credential=credential, earner=earner, method=ClaimMethod.LINK, now=now)


def claim_by_code(*, code: str, earner: Earner, ip_address: str, now: datetime.datetime | None = None) -> Claim:
    """Claim with a typed code. Attempts are limited per earner and per IP address.

    The attempt is counted before, and outside, the claim's transaction:
    a wrong code raises, and the rollback must not undo the count.
    """
    now = now or timezone.now()
    allowed_earner = ratelimit.hit("claim_code_earner", str(earner.pk), now=now)
    allowed_ip = ratelimit.hit("claim_code_ip", ip_address or "unknown", now=now)
    if not (allowed_earner and allowed_ip):
        raise ClaimError(_("Too many attempts. Wait an hour and try again, or ask the staff "
                           "who gave you the card for help."))
    with transaction.atomic():
        return _claim_by_code(code, earner, now)


def _claim_by_code(code: str, earner: Earner, now) -> Claim:
    raw = codes.code_normalize(code)
    if raw is None:
        raise ClaimError(_("A claim code has 10 letters and numbers, for example ABCD-EFGH-JK. "
                           "It has no O, I or L and no 0 or 1. Check the code on your card."))
    claim_code = ClaimCode.objects.filter(code_hash=codes.code_hash(raw)).select_related("credential").first()
    if claim_code is None:
        raise ClaimError(_("No badge has this code. Check the code on your card and type it again."))
    return _claim(credential=claim_code.credential, earner=earner, method=ClaimMethod.CODE, now=now)


def claimable_by_address(earner: Earner):
    """Return unclaimed badges issued to the earner's verified addresses, newest first."""
    addresses = list(earner.emails.values_list("address", flat=True))
    if not addresses:
        return Credential.objects.none()
    return (
        Credential.objects.filter(recipient_email__in=addresses, claim__isnull=True,
                                  personal_data_erased_at__isnull=True)
        .select_related("badge_version__image", "organisation", "issuer_profile")
        .order_by("-issued_on", "-created_at")
    )


@transaction.atomic
def claim_by_address(*, credential_id, earner: Earner, now: datetime.datetime | None = None) -> Claim:
    now = now or timezone.now()
    credential = claimable_by_address(earner).filter(id=credential_id).first()
    if credential is None:
        raise ClaimError(_("This badge was not issued to any of your verified addresses, "
                           "or it is already claimed."))
    return _claim(credential=credential, earner=earner, method=ClaimMethod.ADDRESS, now=now)



@transaction.atomic
def claim_link_use(*, token: str, earner: Earner | None, now: datetime.datetime | None = None
                   ) -> tuple[Claim, Earner | None]:
    """Claim with an emailed link; return the claim and the earner created for it, if any.

    A visitor who is not signed in claims into the account of the address
    the link was sent to, and when no account has it, into a new account
    with that address verified: the link proves control of the address.
    A failed claim rolls the new account back.
    """
    now = now or timezone.now()
    created = None
    if earner is None:
        credential = credential_for_claim_token(token, now=now)
        if credential is None:
            raise ClaimError(_("This claim link is invalid or has expired. Ask the organisation that "
                               "issued the badge to send a new one."))
        owner = EarnerEmail.objects.filter(address=credential.recipient_email).select_related("earner").first()
        if owner is not None:
            earner = owner.earner
        else:
            earner = created = Earner.objects.create(language=credential.recipient_language)
            EarnerEmail.objects.create(earner=earner, address=credential.recipient_email, verified_at=now)
            logger.info("Created earner %s from a claim link", earner.pk)
    return claim_by_token(token=token, earner=earner, now=now), created


def privacy_set(*, earner: Earner, credential: Credential, name_display: str, link_enabled: bool) -> None:
    """Save the earner's choices for the public page of one of their badges."""
    if not Claim.objects.filter(credential=credential, earner=earner).exists():
        raise PermissionDenied("This badge is not in this earner's passport.")
    credential.name_display = name_display
    credential.link_enabled = link_enabled
    credential.save(update_fields=["name_display", "link_enabled"])
    logger.info("Earner %s changed the public page settings of credential %s", earner.pk, credential.pk)
