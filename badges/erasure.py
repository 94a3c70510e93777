"""Erasure of an earner's personal data from issued credentials (GDPR Article 17).

What stays: the row with its badge version, dates, organisation, signing
key and status-list entry, so that statistics still count the badge and
the copies the earner keeps still verify (the issuer's DID document,
keys and status list do not depend on the row's personal data).
"""
import logging

from django.db.models import QuerySet
from django.utils import timezone

from .models import Credential, NameDisplay

logger = logging.getLogger(__name__)

ERASED_FIELDS = {
    "recipient_name": "",
    "recipient_email": "",
    "email_salt": "",
    "evidence_narrative": "",
    "evidence_url": "",
    "revocation_note": "",
    "revocation_reason": "",
    # The signed documents contain the name (OB 3.0 JSON and VC-JWT) or the
    # salt and hash that confirm the email address (both OB 2.0 forms).
    "document": "",
    "jwt": "",
    "ob2_assertion": "",
    "ob2_jws": "",
    "name_display": NameDisplay.HIDDEN,
    "link_enabled": False,
}


def credentials_personal_data_erase(credentials: QuerySet, *, now=None) -> list[str]:
    """Erase the personal data of ``credentials``; return the ids of the erased credentials.

    ``Credential.save`` refuses to change a signed document, which guards
    every ordinary code path. Erasure is the one deliberate exception, so it
    writes with a queryset ``update``, which does not call ``save``.
    """
    now = now or timezone.now()
    ids = [str(credential_id) for credential_id in credentials.values_list("id", flat=True)]
    Credential.objects.filter(id__in=ids).update(personal_data_erased_at=now, **ERASED_FIELDS)
    if ids:
        logger.info("Erased personal data of %s credentials", len(ids))
    return ids
