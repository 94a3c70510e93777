"""Write operations for organisations, staff, signing keys, images and the audit trail.

Each function is one action: keyword-only arguments, one transaction, one
audit row. ``issuers`` uses the pure standards package ``badges.openbadges``
for key encodings; it imports no other part of ``badges``.
"""
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from badges.openbadges.multikey import ed25519_public_key_to_multibase

from . import keystore
from .permissions import Action, role_allows
from .selectors import membership_role
from .images import CleanImage
from .models import (
    AuditEvent,
    KeyAlgorithm,
    Membership,
    Organisation,
    SigningKey,
    UploadedImage,
)

logger = logging.getLogger(__name__)

# Staff pages live at /staff/<organisation slug>/, beside fixed pages such as
# /staff/library/, so an organisation cannot take those names.
RESERVED_SLUGS = {"library"}


def audit_record(
    *,
    action: str,
    organisation: Organisation | None = None,
    actor=None,
    target=None,
    details: dict | None = None,
) -> AuditEvent:
    """Record one audit event. ``details`` must hold ids only, never personal data."""
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        organisation=organisation,
        actor=actor,
        action=action,
        target_type=target._meta.model_name if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        details=details or {},
    )


def image_store(*, image: CleanImage) -> UploadedImage:
    stored, _created = UploadedImage.objects.get_or_create(
        sha256=image.sha256,
        defaults={
            "content_type": image.content_type,
            "data": image.data,
            "width": image.width,
            "height": image.height,
        },
    )
    return stored


@transaction.atomic
def organisation_create(
    *,
    slug: str,
    name: str,
    url: str,
    email: str,
    description: str = "",
    logo: UploadedImage | None = None,
    actor=None,
) -> Organisation:
    """Create an organisation together with its first Ed25519 and RSA signing keys."""
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("“%(slug)s” is reserved for the service's own pages. Choose another short name.") % {"slug": slug}})
    organisation = Organisation.objects.create(
        slug=slug, name=name, url=url, email=email, description=description, logo=logo
    )
    signing_key_create(organisation=organisation, algorithm=KeyAlgorithm.ED25519, actor=actor)
    signing_key_create(organisation=organisation, algorithm=KeyAlgorithm.RSA, actor=actor)
    audit_record(action="organisation.create", organisation=organisation, actor=actor, target=organisation)
    logger.info("Created organisation %s", organisation.pk)
    return organisation


@transaction.atomic
def network_create(*, slug: str, name: str, url: str, email: str, description: str = "", actor=None) -> Organisation:
    """Create a network issuer profile: a signing issuer with its own DID and keys, but no staff."""
    network = organisation_create(slug=slug, name=name, url=url, email=email, description=description, actor=actor)
    network.is_network = True
    network.save(update_fields=["is_network"])
    audit_record(action="network.create", organisation=network, actor=actor, target=network)
    return network


@transaction.atomic
def network_membership_set(
    *, organisation: Organisation, network: Organisation | None, may_issue: bool, actor=None
) -> Organisation:
    """Join ``organisation`` to ``network`` (None leaves it) and grant or withdraw issuing under it.

    Only the service administrator calls this, from the Django admin or
    ``manage.py network_member``: it is not an owner's setting.
    """
    organisation.network = network
    organisation.may_issue_as_network = may_issue and network is not None
    organisation.clean()
    organisation.save(update_fields=["network", "may_issue_as_network"])
    audit_record(
        action="organisation.network_set",
        organisation=organisation,
        actor=actor,
        target=organisation,
        details={"network_id": network.pk if network else None, "may_issue": organisation.may_issue_as_network},
    )
    logger.info(
        "Set network %s for organisation %s (may issue: %s)",
        network.pk if network else None, organisation.pk, organisation.may_issue_as_network,
    )
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor, **fields) -> Organisation:
    """Update the public profile. The slug is part of the DID and cannot change.

    Credentials already issued keep the profile they were signed with.
    """
    _require_owner(actor, organisation)
    allowed = {"name", "url", "email", "description", "logo"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Cannot update organisation fields {sorted(unknown)}; allowed: {sorted(allowed)}.")
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.save(update_fields=list(fields))
    audit_record(
        action="organisation.update",
        organisation=organisation,
        actor=actor,
        target=organisation,
        details={"fields": sorted(fields)},
    )
    return organisation


@transaction.atomic
def membership_set(*, user, organisation: Organisation, role: str, actor=None) -> Membership:
    membership, created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    audit_record(
        action="membership.create" if created else "membership.update",
        organisation=organisation,
        actor=actor,
        target=membership,
        details={"user_id": user.pk, "role": role},
    )
    return membership


@transaction.atomic
def signing_key_create(
    *, organisation: Organisation, algorithm: str = KeyAlgorithm.ED25519, actor=None
) -> SigningKey:
    """Generate a new signing key for the organisation, encrypted at rest.

    Ed25519 keys are named ``key-<n>`` and RSA keys ``rsa-<n>``, numbered per
    algorithm; the name is the fragment of the key's id in the DID document.
    """
    # Lock the organisation row so that two concurrent requests cannot both
    # pick the same next key number.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    number = SigningKey.objects.filter(organisation=organisation, algorithm=algorithm).count() + 1

    if algorithm == KeyAlgorithm.ED25519:
        private_raw, public_raw = keystore.generate_ed25519()
        key_id = f"key-{number}"
        public_key = ed25519_public_key_to_multibase(public_raw)
    elif algorithm == KeyAlgorithm.RSA:
        private_raw, public_key = keystore.generate_rsa()
        key_id = f"rsa-{number}"
    else:
        raise ValueError(f"Unknown key algorithm {algorithm!r}; use one of {KeyAlgorithm.values}.")

    key = SigningKey.objects.create(
        organisation=organisation,
        key_id=key_id,
        algorithm=algorithm,
        public_key=public_key,
        encrypted_private_key=keystore.encrypt_private_key(private_raw),
    )
    audit_record(
        action="signing_key.create",
        organisation=organisation,
        actor=actor,
        target=key,
        details={"key_id": key.key_id, "algorithm": key.algorithm},
    )
    logger.info("Created signing key %s for organisation %s", key.key_id, organisation.pk)
    return key


def _require_owner(actor, organisation: Organisation) -> None:
    if actor is None:
        return
    if not role_allows(membership_role(user=actor, organisation=organisation), Action.MANAGE_ORGANISATION):
        raise PermissionDenied(_("Only an owner of %(organisation)s can change its signing keys.") % {
            "organisation": organisation.name})


@transaction.atomic
def signing_keys_rotate(*, organisation: Organisation, actor=None, now=None) -> list[SigningKey]:
    """Retire every active key of the organisation and create new Ed25519 and RSA keys.

    Retired keys stay published, so everything they signed keeps verifying,
    but the signing code only ever picks active keys.
    """
    _require_owner(actor, organisation)
    now = now or timezone.now()
    Organisation.objects.select_for_update().get(pk=organisation.pk)

    retired = list(
        SigningKey.objects.filter(organisation=organisation, retired_at__isnull=True, revoked_at__isnull=True)
    )
    SigningKey.objects.filter(pk__in=[key.pk for key in retired]).update(retired_at=now)
    new_keys = [
        signing_key_create(organisation=organisation, algorithm=algorithm, actor=actor)
        for algorithm in (KeyAlgorithm.ED25519, KeyAlgorithm.RSA)
    ]
    audit_record(
        action="signing_key.rotate",
        organisation=organisation,
        actor=actor,
        target=organisation,
        details={"retired": [key.key_id for key in retired], "created": [key.key_id for key in new_keys]},
    )
    logger.info("Rotated signing keys of organisation %s", organisation.pk)
    return new_keys


@transaction.atomic
def signing_key_revoke(*, key: SigningKey, reason: str, actor=None, now=None) -> SigningKey:
    """Mark a key as compromised: it never signs again and what it signed stops verifying.

    A revoked key that was still active is replaced by a new key of the
    same algorithm, so the organisation can go on issuing.
    """
    _require_owner(actor, key.organisation)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Write why the key is revoked, for example “the server was broken into”.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("The reason is %(length)d characters long; the maximum is 500. Shorten it.") % {
            "length": len(reason)}})
    key = SigningKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is not None:
        raise ValidationError(_("The key %(key_id)s is already revoked.") % {"key_id": key.key_id})

    now = now or timezone.now()
    was_active = key.is_active
    key.revoked_at = now
    key.retired_at = key.retired_at or now
    key.revocation_reason = reason
    key.save(update_fields=["revoked_at", "retired_at", "revocation_reason"])
    replacement = None
    if was_active:
        replacement = signing_key_create(organisation=key.organisation, algorithm=key.algorithm, actor=actor)

    audit_record(
        action="signing_key.revoke",
        organisation=key.organisation,
        actor=actor,
        target=key,
        details={"key_id": key.key_id, "replacement": replacement.key_id if replacement else None},
    )
    logger.warning("Revoked signing key %s of organisation %s", key.key_id, key.organisation_id)
    return key
