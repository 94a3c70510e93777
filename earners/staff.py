"""Staff actions on an earner's data, done at the earner's request: export and erasure.

Only owners may do them, and only for their own organisation's badges:
"the earner's badges" means this organisation's badges claimed by the same
earner account or issued to the same email address. Every action writes
one audit row with ids only.
"""
import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from badges.models import Credential
from issuers.permissions import Action
from issuers.selectors import user_can
from issuers.services import audit_record

from . import data
from .models import Claim

logger = logging.getLogger(__name__)

SCOPES = ("credential", "earner")


def _require_owner(actor, credential: Credential) -> None:
    if actor is not None and not user_can(user=actor, organisation=credential.organisation,
                                          action=Action.MANAGE_ORGANISATION):
        raise PermissionDenied(_("Only an owner of %(organisation)s can export or erase an earner's data.")
                               % {"organisation": credential.organisation.name})


def same_earner_credentials(credential: Credential):
    """Return this organisation's badges of the same person: the same account or the same address."""
    matches = Q(id=credential.id)
    claim = Claim.objects.filter(credential=credential, earner__isnull=False).first()
    if claim is not None:
        matches |= Q(claim__earner_id=claim.earner_id)
    if credential.recipient_email:
        matches |= Q(recipient_email=credential.recipient_email)
    return (
        Credential.objects.filter(matches, organisation=credential.organisation)
        .select_related("badge_version__image", "organisation")
        .order_by("issued_on", "created_at")
        .distinct()
    )


def _credentials_in_scope(credential: Credential, scope: str):
    if scope not in SCOPES:
        raise ValueError(f"Unknown scope {scope!r}; use one of {SCOPES}.")
    if scope == "credential":
        return Credential.objects.filter(id=credential.id).select_related("badge_version__image", "organisation")
    return same_earner_credentials(credential)


@transaction.atomic
def staff_export(*, credential: Credential, scope: str, actor) -> bytes:
    _require_owner(actor, credential)
    credentials = list(_credentials_in_scope(credential, scope))
    audit_record(action="earner_data.export", organisation=credential.organisation, actor=actor,
                 target=credential, details={"scope": scope, "credential_ids": [str(c.id) for c in credentials]})
    logger.info("Staff exported %s credentials around credential %s", len(credentials), credential.pk)
    return data.credentials_export_zip(credentials)


@transaction.atomic
def staff_erase(*, credential: Credential, scope: str, actor) -> list[str]:
    _require_owner(actor, credential)
    erased = data.credentials_erase(credentials=_credentials_in_scope(credential, scope))
    audit_record(action="earner_data.erase", organisation=credential.organisation, actor=actor,
                 target=credential, details={"scope": scope, "credential_ids": erased})
    logger.info("Staff erased %s credentials around credential %s", len(erased), credential.pk)
    return erased
