"""Status lists: reserving a random index for each credential and publishing the signed list.

Each organisation has revocation lists of ``statuslist.MIN_LIST_SIZE``
entries. A new credential reserves a random free index in the newest list
that is less than half full, so neither the index nor the list reveals
the order or the number of badges issued. A list is re-signed in the
transaction that changes one of its bits, and ``/status/<uuid>`` serves
that stored document.
"""
import json
import logging
import secrets

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from issuers import keystore
from issuers.did import did_for_slug, verification_method_id
from issuers.models import KeyAlgorithm, Organisation
from issuers.selectors import active_signing_key

from . import links
from .models import StatusList, StatusListEntry, StatusPurpose
from .openbadges import dataintegrity, statuslist

logger = logging.getLogger(__name__)

LIST_SIZE = statuslist.MIN_LIST_SIZE
# A list takes new entries until it is half full. Past that, random
# probing needs more retries and each revoked entry hides among fewer others.
MAX_FILL = LIST_SIZE // 2
MAX_RESERVE_ATTEMPTS = 50


class StatusListFullError(Exception):
    """No free index could be reserved after ``MAX_RESERVE_ATTEMPTS`` random tries."""


def status_list_url(status_list: StatusList) -> str:
    return links.absolute(reverse("status_list", kwargs={"list_id": status_list.public_id}))


def _current_list(organisation: Organisation, purpose: str) -> StatusList:
    candidate = (
        StatusList.objects.filter(organisation=organisation, purpose=purpose).order_by("-created_at").first()
    )
    if candidate is not None and candidate.entries.count() < MAX_FILL:
        return candidate

    # Lock the organisation so that concurrent issuers create one new list, not several.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    candidate = (
        StatusList.objects.filter(organisation=organisation, purpose=purpose).order_by("-created_at").first()
    )
    if candidate is not None and candidate.entries.count() < MAX_FILL:
        return candidate
    status_list = StatusList.objects.create(organisation=organisation, purpose=purpose, size=LIST_SIZE)
    status_list_publish(status_list=status_list)
    logger.info("Created status list %s for organisation %s", status_list.public_id, organisation.pk)
    return status_list


@transaction.atomic
def status_entry_reserve(*, organisation: Organisation, purpose: str = StatusPurpose.REVOCATION) -> StatusListEntry:
    """Reserve a random unused index in the organisation's current list."""
    status_list = _current_list(organisation, purpose)
    for _attempt in range(MAX_RESERVE_ATTEMPTS):
        index = secrets.randbelow(status_list.size)
        try:
            with transaction.atomic():
                return StatusListEntry.objects.create(status_list=status_list, index=index)
        except IntegrityError:
            continue
    raise StatusListFullError(
        f"No free index found in status list {status_list.public_id} after {MAX_RESERVE_ATTEMPTS} tries."
    )


def status_entry_dict(entry: StatusListEntry) -> dict:
    return statuslist.build_entry(
        list_url=status_list_url(entry.status_list), index=entry.index, purpose=entry.status_list.purpose
    )


def status_list_publish(*, status_list: StatusList, now=None) -> None:
    """Sign the list's current bits and store the ``BitstringStatusListCredential``."""
    now = (now or timezone.now()).replace(microsecond=0)
    organisation = status_list.organisation
    key = active_signing_key(organisation=organisation, algorithm=KeyAlgorithm.ED25519)
    if key is None:
        raise ValueError(f"Organisation {organisation.pk} has no active Ed25519 key to sign its status list.")

    set_indexes = status_list.entries.filter(is_set=True).values_list("index", flat=True)
    unsigned = statuslist.build_list_credential(
        list_url=status_list_url(status_list),
        issuer_id=did_for_slug(organisation.slug),
        purpose=status_list.purpose,
        set_indexes=list(set_indexes),
        size=status_list.size,
        valid_from=now,
    )
    signed = dataintegrity.sign(
        unsigned,
        private_key=keystore.load_ed25519_private_key(key.encrypted_private_key),
        verification_method=verification_method_id(organisation.slug, key.key_id),
        created=now,
    )
    status_list.document = json.dumps(signed, ensure_ascii=False, indent=2)
    status_list.save(update_fields=["document", "updated_at"])


@transaction.atomic
def status_entry_set(*, entry: StatusListEntry, value: bool, now=None) -> None:
    """Set or clear one bit and re-sign its list in the same transaction."""
    status_list = StatusList.objects.select_for_update().get(pk=entry.status_list_id)
    StatusListEntry.objects.filter(pk=entry.pk).update(is_set=value)
    entry.is_set = value
    status_list_publish(status_list=status_list, now=now)
