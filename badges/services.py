"""Write operations on badges and credentials.

Every function is one action: keyword-only arguments, one transaction, one
audit row, and a permission check for the acting staff member. ``actor=None``
means a trusted operator at the command line.
"""
import datetime
import json
import logging
import secrets
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earners.claims import claim_offer_create
from issuers import keystore
from issuers.did import did_for_slug, verification_method_id
from issuers.models import KeyAlgorithm, Organisation, UploadedImage
from issuers.permissions import Action
from issuers.selectors import active_signing_key, user_can
from issuers.services import audit_record

from . import links
from .content import alignment_dicts, criteria_narrative
from .formats import vc_jwt
from .models import BadgeClass, BadgeStatus, BadgeVersion, Credential
from .ob2 import ob2_assertion_forms
from .openbadges import dataintegrity, ob3
from .openbadges.dates import add_months
from .openbadges.recipient import hash_identity, normalize_email
from .status import status_entry_dict, status_entry_reserve, status_entry_set

logger = logging.getLogger(__name__)

MAX_RECIPIENT_NAME = 200
MAX_EVIDENCE_NARRATIVE = 5000
MAX_EVIDENCE_URL = 1000
EARLIEST_ISSUE_DATE = datetime.date(2000, 1, 1)


@dataclass
class BadgeContent:
    """The editable content of a badge: one ``BadgeVersion`` before it is saved."""

    name: str
    description: str
    image: UploadedImage
    theme: str = ""
    learning_outcomes: list[str] = field(default_factory=list)
    assessment_criteria: list[str] = field(default_factory=list)
    skill_demonstration: str = ""
    alignments: list[dict] = field(default_factory=list)
    validity_months: int | None = None
    language: str = "fi"
    translations: dict = field(default_factory=dict)
    kapos_code: str = ""

    def as_fields(self) -> dict:
        return dict(self.__dict__)


def _require_real_image(content: BadgeContent, status: str) -> None:
    # Drafts copied from the template library carry a placeholder emblem;
    # the editor must upload the badge's own image before publishing.
    from .library import placeholder_image_sha256

    if status == BadgeStatus.PUBLISHED and content.image.sha256 == placeholder_image_sha256():
        raise ValidationError(
            {"image": _("Upload the badge's own image before publishing: the current one is a placeholder.")}
        )


def _require(actor, organisation: Organisation, action: Action) -> None:
    if actor is None:
        return
    if not user_can(user=actor, organisation=organisation, action=action):
        raise PermissionDenied(
            _("You do not have the right to do this in %(organisation)s.")
            % {"organisation": organisation.name}
        )


@transaction.atomic
def badge_create(
    *, organisation: Organisation, slug: str, content: BadgeContent, status: str, actor=None
) -> BadgeClass:
    _require(actor, organisation, Action.MANAGE_BADGES)
    _require_real_image(content, status)
    if BadgeClass.objects.filter(organisation=organisation, slug=slug).exists():
        raise ValidationError(
            {"slug": _("This organisation already has a badge with the address name “%(slug)s”. "
                       "Choose another one.") % {"slug": slug}}
        )
    badge = BadgeClass.objects.create(organisation=organisation, slug=slug, status=status)
    version = BadgeVersion.objects.create(badge=badge, number=1, created_by=actor, **content.as_fields())
    audit_record(
        action="badge.create",
        organisation=organisation,
        actor=actor,
        target=badge,
        details={"version": version.number, "status": status},
    )
    logger.info("Created badge %s (version %s)", badge.pk, version.number)
    return badge


@transaction.atomic
def badge_update(*, badge: BadgeClass, content: BadgeContent, status: str, actor=None) -> BadgeVersion:
    """Save new content. A version that has been issued is never changed: it gets a successor."""
    _require(actor, badge.organisation, Action.MANAGE_BADGES)
    _require_real_image(content, status)
    badge = BadgeClass.objects.select_for_update().get(pk=badge.pk)
    latest = badge.latest_version

    if latest.credentials.exists():
        version = BadgeVersion.objects.create(
            badge=badge, number=latest.number + 1, created_by=actor, **content.as_fields()
        )
    else:
        for name, value in content.as_fields().items():
            setattr(latest, name, value)
        latest.save()
        version = latest

    badge.status = status
    badge.save(update_fields=["status", "updated_at"])
    audit_record(
        action="badge.update",
        organisation=badge.organisation,
        actor=actor,
        target=badge,
        details={"version": version.number, "status": status},
    )
    return version


def _clean_recipient(recipient_name: str, recipient_email: str) -> tuple[str, str]:
    errors = {}
    name = " ".join((recipient_name or "").split())
    if not name:
        errors["recipient_name"] = _("Enter the recipient's name.")
    elif len(name) > MAX_RECIPIENT_NAME:
        errors["recipient_name"] = _(
            "The name is %(length)d characters long; the maximum is %(max)d. Shorten it."
        ) % {"length": len(name), "max": MAX_RECIPIENT_NAME}

    email = normalize_email(recipient_email or "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["recipient_email"] = _(
                "“%(email)s” is not a valid email address. Check it, or leave the field empty "
                "if the recipient has no email."
            ) % {"email": recipient_email}
    if errors:
        raise ValidationError(errors)
    return name, email


def _clean_issue_date(issued_on: datetime.date | None, now: datetime.datetime) -> datetime.date:
    today = timezone.localdate(now)
    if issued_on is None:
        return today
    if issued_on > today:
        raise ValidationError(
            {"issued_on": _("The issue date %(date)s is in the future. Use today or an earlier date.")
             % {"date": issued_on.strftime("%d.%m.%Y")}}
        )
    if issued_on < EARLIEST_ISSUE_DATE:
        raise ValidationError(
            {"issued_on": _("The issue date %(date)s is too far in the past. Use 1 January 2000 "
                            "or a later date.") % {"date": issued_on.strftime("%d.%m.%Y")}}
        )
    return issued_on


def _valid_from(issued_on: datetime.date, now: datetime.datetime) -> datetime.datetime:
    """Return the moment the credential becomes valid: now, or the start of an earlier day."""
    if issued_on == timezone.localdate(now):
        return now.replace(microsecond=0)
    start = datetime.datetime.combine(issued_on, datetime.time.min)
    return timezone.make_aware(start, timezone.get_default_timezone())


def _achievement(version: BadgeVersion, *, under_network: bool = False) -> ob3.AchievementData:
    badge = version.badge
    return ob3.AchievementData(
        id=links.achievement_url(links.badge_public_id(badge, under_network=under_network), version.number),
        name=version.name,
        description=version.description,
        criteria_narrative=criteria_narrative(version),
        # NOTE: image URLs are content hashes, so a network-issued badge has
        # the same image URL as the organisation's own page of that badge.
        image_url=links.image_url(version.image),
        tags=(version.theme,) if version.theme else (),
        alignments=tuple(
            ob3.Alignment(
                target_name=item["target_name"],
                target_url=item["target_url"],
                target_code=item.get("target_code") or None,
                target_framework=item.get("target_framework") or None,
            )
            for item in alignment_dicts(version)
        ),
        language=version.language,
    )


def _issuer(organisation: Organisation) -> ob3.IssuerProfile:
    return ob3.IssuerProfile(
        id=did_for_slug(organisation.slug),
        name=organisation.name,
        url=organisation.url,
        email=organisation.email,
        description=organisation.description or None,
        image_url=links.image_url(organisation.logo) if organisation.logo else None,
    )


@transaction.atomic
def credential_issue(
    *,
    badge: BadgeClass,
    recipient_name: str,
    recipient_email: str = "",
    recipient_language: str = "fi",
    issued_on: datetime.date | None = None,
    evidence_narrative: str = "",
    evidence_url: str = "",
    actor=None,
    now: datetime.datetime | None = None,
    renewed_from: Credential | None = None,
    issue_as_network: bool = False,
    issue_key: str | None = None,
) -> Credential:
    """Issue one badge: build, sign and store its Open Badges 3.0 credential.

    With ``issue_as_network`` the credential is signed by the organisation's
    network issuer profile and names only the network. The organisation
    still owns it, lists it and can revoke it.

    ``issue_key`` is stored in the unique ``Credential.issue_key``: a second
    call with the same key raises ``IntegrityError`` and issues nothing.
    """
    now = now or timezone.now()
    organisation = badge.organisation
    _require(actor, organisation, Action.ISSUE)
    issuer_profile = _issuer_profile(organisation, issue_as_network)

    if badge.status != BadgeStatus.PUBLISHED:
        raise ValidationError(
            {"badge": _("The badge “%(badge)s” is not published, so it cannot be issued. "
                        "Publish it first.") % {"badge": badge.latest_version.name}}
        )
    name, email = _clean_recipient(recipient_name, recipient_email)
    evidence_narrative, evidence_url = _clean_evidence(evidence_narrative, evidence_url)
    issued_on = _clean_issue_date(issued_on, now)
    version = badge.latest_version
    signing_key = active_signing_key(organisation=issuer_profile, algorithm=KeyAlgorithm.ED25519)
    jws_key = active_signing_key(organisation=issuer_profile, algorithm=KeyAlgorithm.RSA)
    if signing_key is None or jws_key is None:
        raise ValidationError(
            _("%(organisation)s has no active signing key. Ask the service administrator to create one.")
            % {"organisation": issuer_profile.name}
        )

    credential_id = uuid.uuid4()
    salt = secrets.token_hex(16) if email else ""
    subject_id = f"urn:uuid:{uuid.uuid4()}"
    valid_from = _valid_from(issued_on, now)
    valid_until = add_months(valid_from, version.validity_months) if version.validity_months else None
    revocation_entry = status_entry_reserve(organisation=issuer_profile)
    under_network = issuer_profile != organisation

    document = ob3.build_credential(
        credential_id=links.credential_url(credential_id),
        issuer=_issuer(issuer_profile),
        achievement=_achievement(version, under_network=under_network),
        recipient=ob3.RecipientData(
            subject_id=subject_id,
            email_hash=hash_identity(email, salt) if email else None,
            email_salt=salt or None,
            name=name,
        ),
        valid_from=valid_from,
        valid_until=valid_until,
        awarded_date=valid_from,
        evidence=_evidence(evidence_narrative, evidence_url),
        credential_status=status_entry_dict(revocation_entry),
    )
    signed = dataintegrity.sign(
        document,
        private_key=keystore.load_ed25519_private_key(signing_key.encrypted_private_key),
        verification_method=verification_method_id(issuer_profile.slug, signing_key.key_id),
        created=now.replace(microsecond=0),
    )

    credential = Credential(
        id=credential_id,
        organisation=organisation,
        issuer_profile=issuer_profile,
        badge_version=version,
        signing_key=signing_key,
        jws_signing_key=jws_key,
        revocation_entry=revocation_entry,
        renewed_from=renewed_from,
        issue_key=issue_key or None,
        issued_by=actor if actor is not None and actor.is_authenticated else None,
        recipient_name=name,
        recipient_email=email,
        recipient_language=_clean_language(recipient_language),
        email_salt=salt,
        subject_id=subject_id,
        evidence_narrative=evidence_narrative,
        evidence_url=evidence_url,
        issued_on=issued_on,
        valid_from=valid_from,
        valid_until=valid_until,
        document=json.dumps(signed, ensure_ascii=False, indent=2),
    )
    credential.jwt = vc_jwt(document, signing_key=jws_key)
    credential.ob2_assertion, credential.ob2_jws = ob2_assertion_forms(credential, signing_key=jws_key)
    credential.save(force_insert=True)
    audit_record(
        action="credential.issue",
        organisation=organisation,
        actor=actor,
        target=credential,
        details={
            "badge_id": badge.pk,
            "badge_version": version.number,
            "key_id": signing_key.key_id,
            "issuer_profile_id": issuer_profile.pk,
            "renewed_from": str(renewed_from.pk) if renewed_from else None,
        },
    )
    # The claim email (or claim code) is part of the same transaction: a
    # rolled-back issue queues nothing, a committed one is never lost.
    claim_offer_create(credential=credential, now=now)
    logger.info("Issued credential %s of badge %s version %s", credential.pk, badge.pk, version.number)
    return credential


def _issuer_profile(organisation: Organisation, issue_as_network: bool) -> Organisation:
    if not issue_as_network:
        return organisation
    # Read the right from the database: the administrator may have changed
    # it after the caller loaded the organisation.
    network = Organisation.objects.select_related("network").get(pk=organisation.pk).issuing_network
    if network is None:
        raise ValidationError(
            {"issue_as_network": _(
                "%(organisation)s may not issue badges under a network's name. Issue under the "
                "organisation's own name, or ask the service administrator for the right."
            ) % {"organisation": organisation.name}}
        )
    return network


def _clean_language(language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(
            {"recipient_language": _("Choose the recipient's language: Finnish, Swedish or English.")}
        )
    return language


def _clean_evidence(narrative: str, url: str) -> tuple[str, str]:
    errors = {}
    narrative = (narrative or "").strip()
    url = (url or "").strip()
    if len(narrative) > MAX_EVIDENCE_NARRATIVE:
        errors["evidence_narrative"] = _(
            "The description of the evidence is %(length)d characters long; the maximum is %(max)d. Shorten it."
        ) % {"length": len(narrative), "max": MAX_EVIDENCE_NARRATIVE}
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
            valid_url = len(url) <= MAX_EVIDENCE_URL
        except ValidationError:
            valid_url = False
        if not valid_url:
            errors["evidence_url"] = _(
                "The evidence address is not a valid web address. It must start with https:// "
                "or http://; leave the field empty if there is none."
            )
    if errors:
        raise ValidationError(errors)
    return narrative, url


def _evidence(narrative: str, url: str) -> tuple:
    if not narrative and not url:
        return ()
    return (ob3.Evidence(narrative=narrative or None, url=url or None),)


MAX_REVOCATION_NOTE = 2000
MAX_REVOCATION_REASON = 500


def can_revoke(*, actor, credential: Credential) -> bool:
    """Return whether ``actor`` may revoke: an owner, or the staff member who issued it."""
    if user_can(user=actor, organisation=credential.organisation, action=Action.MANAGE_ORGANISATION):
        return True
    return (
        credential.issued_by_id is not None
        and credential.issued_by_id == getattr(actor, "pk", None)
        and user_can(user=actor, organisation=credential.organisation, action=Action.ISSUE)
    )


@transaction.atomic
def credential_revoke(
    *, credential: Credential, note: str, public_reason: str = "", actor=None, now=None
) -> Credential:
    """Revoke a credential: set its status-list bit, re-sign the list and record why.

    The signed documents do not change. Verifiers learn of the revocation
    from the status list (Open Badges 3.0), or from the hosted assertion and
    the issuer's revocation list (Open Badges 2.0).
    """
    now = now or timezone.now()
    if actor is not None and not can_revoke(actor=actor, credential=credential):
        raise PermissionDenied(
            _("Only an owner or the person who issued this badge can revoke it.")
        )

    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    errors = {}
    note = (note or "").strip()
    public_reason = " ".join((public_reason or "").split())
    if credential.revoked_at is not None:
        errors["__all__"] = _("This badge was already revoked on %(date)s.") % {
            "date": timezone.localtime(credential.revoked_at).strftime("%d.%m.%Y")
        }
    if not note:
        errors["note"] = _("Write why the badge is revoked. The note is kept inside your organisation.")
    elif len(note) > MAX_REVOCATION_NOTE:
        errors["note"] = _("The note is %(length)d characters long; the maximum is %(max)d. Shorten it.") % {
            "length": len(note), "max": MAX_REVOCATION_NOTE}
    if len(public_reason) > MAX_REVOCATION_REASON:
        errors["public_reason"] = _(
            "The public reason is %(length)d characters long; the maximum is %(max)d. Shorten it."
        ) % {"length": len(public_reason), "max": MAX_REVOCATION_REASON}
    if errors:
        raise ValidationError(errors)

    credential.revoked_at = now
    credential.revoked_by = actor if actor is not None and actor.is_authenticated else None
    credential.revocation_note = note
    credential.revocation_reason = public_reason
    credential.save(update_fields=["revoked_at", "revoked_by", "revocation_note", "revocation_reason"])
    if credential.revocation_entry_id is not None:
        status_entry_set(entry=credential.revocation_entry, value=True, now=now)

    audit_record(
        action="credential.revoke",
        organisation=credential.organisation,
        actor=actor,
        target=credential,
        details={"public_reason_given": bool(public_reason)},
    )
    logger.info("Revoked credential %s", credential.pk)
    return credential


def credential_renew(*, credential: Credential, actor=None, now=None) -> Credential:
    """Issue the same badge again to the same earner, linked to the earlier credential.

    The new credential uses the badge's current version and starts today,
    so a badge with a validity period gets a new end date. The earlier
    credential is left as it is.
    """
    return credential_issue(
        badge=credential.badge_version.badge,
        recipient_name=credential.recipient_name,
        recipient_email=credential.recipient_email,
        recipient_language=credential.recipient_language,
        evidence_narrative=credential.evidence_narrative,
        evidence_url=credential.evidence_url,
        actor=actor,
        now=now,
        renewed_from=credential,
        issue_as_network=credential.is_network_issued,
    )
