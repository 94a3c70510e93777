"""Open Badges 2.0 forms of our data: addresses under /ob2/ and the documents served there.

A credential gets two OB 2.0 assertions when it is issued. Both are
stored on its row and never rebuilt. The hosted assertion is JSON served at
``/ob2/assertions/<credential uuid>``. The signed assertion is a compact
RS256 JWS whose payload has the id from ``ob2.signed_assertion_id``. The
Issuer, BadgeClass, CryptographicKey and RevocationList documents are built
on request from the organisation, the badge version and its keys.

Ids are absolute URLs built from ``MERKKIPAJA_BASE_URL``, like every id
inside a credential, so they do not depend on the host of a request.
"""
import secrets
import uuid

from django.urls import reverse

from issuers import keystore
from issuers.models import KeyAlgorithm, Organisation, SigningKey
from issuers.selectors import published_keys

from . import links
from .content import alignment_dicts, criteria_narrative
from .models import BadgeVersion, Credential
from .openbadges import ob2
from .openbadges.ob3 import Alignment, Evidence
from .openbadges.recipient import hash_identity, normalize_email

# Any UUID: the assertion address is reversed with it and cut off again to
# get the common prefix of all assertion addresses.
_PLACEHOLDER_UUID = uuid.UUID(int=0)


def issuer_url(slug: str) -> str:
    return links.absolute(reverse("ob2:issuer", kwargs={"slug": slug}))


def badge_class_url(badge_public_id, version_number: int) -> str:
    return links.absolute(
        reverse("ob2:badgeclass", kwargs={"badge_id": badge_public_id, "version": version_number})
    )


def assertion_url(credential_id) -> str:
    return links.absolute(reverse("ob2:assertion", kwargs={"credential_id": credential_id}))


def assertions_url_prefix() -> str:
    """Return the address that every hosted assertion's id starts with (the issuer's ``startsWith``)."""
    return assertion_url(_PLACEHOLDER_UUID).removesuffix(str(_PLACEHOLDER_UUID))


def key_url(slug: str, key_id: str) -> str:
    return links.absolute(reverse("ob2:key", kwargs={"slug": slug, "key_id": key_id}))


def revocation_list_url(slug: str) -> str:
    return links.absolute(reverse("ob2:revocations", kwargs={"slug": slug}))


def issuer_document(organisation: Organisation) -> dict:
    """Build the organisation's Issuer profile, listing every RSA key that verifiers may use."""
    keys = published_keys(organisation, KeyAlgorithm.RSA)
    return ob2.build_issuer(
        ob2.IssuerData(
            id=issuer_url(organisation.slug),
            name=organisation.name,
            url=organisation.url,
            email=organisation.email,
            revocation_list_id=revocation_list_url(organisation.slug),
            # NOTE: badgecheck 1.2.0 reports more than one publicKey as an
            # error, although the specification allows several. After a key
            # rotation, assertions signed with the retired key still need it
            # listed here, so the list is kept complete.
            public_key_ids=[key_url(organisation.slug, key.key_id) for key in keys],
            description=organisation.description or None,
            image_url=links.image_url(organisation.logo) if organisation.logo else None,
            allowed_origins=ob2.allowed_origins_for(links.absolute("/")),
            starts_with=assertions_url_prefix(),
        )
    )


def badge_class_document(version: BadgeVersion, *, issuer_profile: Organisation | None = None) -> dict:
    """Build the BadgeClass of one badge version, with the same texts as its OB 3.0 Achievement.

    With a network ``issuer_profile`` the BadgeClass names the network as
    its issuer and lives at the badge's network address, which does not
    lead to the organisation.
    """
    badge = version.badge
    issuer_profile = issuer_profile or badge.organisation
    under_network = issuer_profile != badge.organisation
    badge_id = links.badge_public_id(badge, under_network=under_network)
    return ob2.build_badge_class(
        ob2.BadgeClassData(
            id=badge_class_url(badge_id, version.number),
            issuer_id=issuer_url(issuer_profile.slug),
            name=version.name,
            description=version.description,
            image_url=links.image_url(version.image),
            criteria_narrative=criteria_narrative(version),
            # The human page of the version shows the same criteria.
            criteria_url=links.achievement_url(badge_id, version.number),
            tags=(version.theme,) if version.theme else (),
            alignments=tuple(
                Alignment(
                    target_name=item["target_name"],
                    target_url=item["target_url"],
                    target_code=item.get("target_code") or None,
                    target_framework=item.get("target_framework") or None,
                )
                for item in alignment_dicts(version)
            ),
        )
    )


def key_document(key: SigningKey) -> dict:
    slug = key.organisation.slug
    return ob2.build_cryptographic_key(
        key_id=key_url(slug, key.key_id), owner_id=issuer_url(slug), public_key_pem=key.public_key
    )


def revocation_list_document(organisation: Organisation) -> dict:
    """Build the issuer's RevocationList of revoked signed assertions.

    It lists the ``urn:uuid`` ids of signed assertions only: a hosted
    assertion reports its own revocation with 410 Gone, and listing the
    hosted URLs would publish the addresses of pages that name earners.
    """
    revoked = (
        Credential.objects.filter(issuer_profile=organisation, revoked_at__isnull=False)
        .exclude(ob2_jws="")
        .order_by("revoked_at")
        .values_list("id", "revocation_reason")
    )
    return ob2.build_revocation_list(
        list_id=revocation_list_url(organisation.slug),
        issuer_id=issuer_url(organisation.slug),
        revoked=[
            ob2.RevokedAssertion(id=ob2.signed_assertion_id(credential_id), reason=reason or None)
            for credential_id, reason in revoked
        ],
    )


def revoked_assertion_document(credential: Credential) -> dict:
    """Build the body of a revoked hosted assertion's 410 Gone response."""
    document = {"@context": ob2.CONTEXT, "id": assertion_url(credential.id), "revoked": True}
    if credential.revocation_reason:
        document["revocationReason"] = credential.revocation_reason
    return document


def ob2_assertion_forms(credential: Credential, *, signing_key: SigningKey) -> tuple[str, str]:
    """Return (hosted assertion JSON text, compact RS256 JWS of the signed assertion).

    ``credential`` may be unsaved, but every field it is issued with must
    be set. ``signing_key`` is the active RSA key of the credential's
    issuer profile.
    """
    if signing_key.algorithm != KeyAlgorithm.RSA:
        raise ValueError(
            f"Signed Open Badges 2.0 assertions need an RSA key (RS256), but key "
            f"{signing_key.key_id!r} is {signing_key.algorithm}; pass the organisation's active RSA key."
        )
    slug = credential.issuer_profile.slug
    version = credential.badge_version
    badge_id = links.badge_public_id(version.badge, under_network=credential.is_network_issued)
    content = ob2.AssertionData(
        badge_class_id=badge_class_url(badge_id, version.number),
        recipient=_recipient(credential),
        issued_on=credential.valid_from,
        expires=credential.valid_until,
        evidence=_evidence(credential),
    )

    hosted = ob2.build_hosted_assertion(content, assertion_id=assertion_url(credential.id))
    signed = ob2.build_signed_assertion(
        content,
        assertion_id=ob2.signed_assertion_id(credential.id),
        creator=key_url(slug, signing_key.key_id),
    )
    token = ob2.sign_assertion(
        signed, private_key=keystore.load_rsa_private_key(signing_key.encrypted_private_key)
    )
    return ob2.to_json_text(hosted), token


def _recipient(credential: Credential) -> ob2.Recipient:
    if credential.recipient_email:
        # The same salted hash of the lower-cased address as in the OB 3.0
        # credential: verifiers hash the email exactly as the earner types it.
        email = normalize_email(credential.recipient_email)
        return ob2.Recipient(
            identity_type="email",
            identity_hash=hash_identity(email, credential.email_salt),
            salt=credential.email_salt or None,
        )
    # OB 2.0 requires a recipient. Without an email, the recipient is the
    # OB 3.0 credential subject (a random urn:uuid), as an IdentityObject
    # of type "id", whose identity is the id of the earner's Profile.
    salt = secrets.token_hex(16)
    return ob2.Recipient(
        identity_type="id", identity_hash=hash_identity(credential.subject_id, salt), salt=salt
    )


def _evidence(credential: Credential) -> tuple[Evidence, ...]:
    if not credential.evidence_narrative and not credential.evidence_url:
        return ()
    return (
        Evidence(narrative=credential.evidence_narrative or None, url=credential.evidence_url or None),
    )
