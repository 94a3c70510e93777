"""The earner's data rights: the export of everything stored about them and the erasure.

``earner_export`` and ``credentials_export_zip`` build a zip archive:
``account.json`` (or ``credentials.json`` for staff exports) plus every
credential in every format it was issued in, under ``badges/<uuid>/``.
"""
import io
import json
import logging
import zipfile

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from badges import links
from badges.erasure import credentials_personal_data_erase
from badges.exports import available_formats, export
from badges.models import Credential
from notifications.models import OutboxEmail
from notifications.outbox import erase_addresses

from .models import Claim, ClaimCode, ClaimToken, Earner, EarnerToken

logger = logging.getLogger(__name__)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def credential_data(credential: Credential) -> dict:
    """Return what we store about the recipient in one credential, as JSON-ready data."""
    claim = Claim.objects.filter(credential=credential).first()
    return {
        "id": str(credential.id),
        "verification_url": links.credential_url(credential.id),
        "organisation": credential.organisation.name,
        "issuer": credential.issuer_profile.name,
        "badge": credential.badge_version.name,
        "badge_version": credential.badge_version.number,
        "recipient_name": credential.recipient_name,
        "recipient_email": credential.recipient_email,
        "recipient_language": credential.recipient_language,
        "issued_on": _iso(credential.issued_on),
        "valid_from": _iso(credential.valid_from),
        "valid_until": _iso(credential.valid_until),
        "evidence_narrative": credential.evidence_narrative,
        "evidence_url": credential.evidence_url,
        "revoked_at": _iso(credential.revoked_at),
        "revocation_reason": credential.revocation_reason,
        "name_display": credential.name_display,
        "link_enabled": credential.link_enabled,
        "claimed_at": _iso(claim.claimed_at) if claim else None,
        "claim_method": claim.method if claim else None,
    }


def _write_credential_files(archive: zipfile.ZipFile, credential: Credential) -> None:
    if credential.personal_data_erased_at is not None:
        return
    for fmt in available_formats(credential):
        result = export(credential, fmt)
        archive.writestr(f"badges/{credential.id}/{result.filename}", result.data)


def _zip(data_name: str, data: dict, credentials) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(data_name, json.dumps(data, ensure_ascii=False, indent=2))
        for credential in credentials:
            _write_credential_files(archive, credential)
    return buffer.getvalue()


def earner_credentials(earner: Earner):
    """Return the earner's claimed badges and the badges issued to their verified addresses."""
    addresses = list(earner.emails.values_list("address", flat=True))
    return (
        Credential.objects.filter(Q(claim__earner=earner) | Q(recipient_email__in=addresses))
        .select_related("badge_version__image", "organisation", "issuer_profile")
        .order_by("issued_on", "created_at")
        .distinct()
    )


def earner_export(earner: Earner) -> bytes:
    """Return a zip of everything stored about the earner, with every credential file."""
    credentials = list(earner_credentials(earner))
    data = {
        "account": {
            "id": str(earner.pk),
            "language": earner.language,
            "created_at": _iso(earner.created_at),
            "last_signed_in_at": _iso(earner.last_signed_in_at),
        },
        "emails": [
            {"address": email.address, "verified_at": _iso(email.verified_at)} for email in earner.emails.all()
        ],
        "credentials": [credential_data(credential) for credential in credentials],
        "exported_at": _iso(timezone.now()),
    }
    logger.info("Exported the data of earner %s", earner.pk)
    return _zip("account.json", data, credentials)


def credentials_export_zip(credentials) -> bytes:
    """Return a zip of the given credentials for a staff export made at an earner's request."""
    credentials = list(credentials)
    data = {
        "credentials": [credential_data(credential) for credential in credentials],
        "exported_at": _iso(timezone.now()),
    }
    return _zip("credentials.json", data, credentials)


def _credentials_erase(credentials) -> list[str]:
    """Erase ``credentials`` and every claim secret and email that concerns them."""
    credentials = list(credentials)
    ids = [credential.id for credential in credentials]
    addresses = {credential.recipient_email for credential in credentials if credential.recipient_email}
    ClaimToken.objects.filter(credential_id__in=ids).delete()
    ClaimCode.objects.filter(credential_id__in=ids).delete()
    Claim.objects.filter(credential_id__in=ids).update(earner=None)
    OutboxEmail.objects.filter(related_id__in=[str(credential_id) for credential_id in ids]).delete()
    erase_addresses(addresses)
    return credentials_personal_data_erase(Credential.objects.filter(id__in=ids))


@transaction.atomic
def earner_delete(*, earner: Earner) -> int:
    """Delete the earner's account and erase their personal data; return how many badges were erased.

    Erased: the account, its addresses, tokens and emails, and in every
    badge the earner claimed or that was issued to one of their addresses,
    the name, address, salt, evidence and the stored signed documents.
    Kept: the badge rows without personal data and the issuers' keys and
    status lists, so the files the earner saved still verify.
    """
    addresses = list(earner.emails.values_list("address", flat=True))
    erased = _credentials_erase(earner_credentials(earner))
    EarnerToken.objects.filter(Q(earner=earner) | Q(address__in=addresses)).delete()
    erase_addresses(addresses)
    earner_id = earner.pk
    earner.delete()
    logger.info("Deleted earner %s and erased %s credentials", earner_id, len(erased))
    return len(erased)


@transaction.atomic
def credentials_erase(*, credentials) -> list[str]:
    """Erase the personal data of some credentials (a staff erasure at an earner's request)."""
    return _credentials_erase(credentials)
