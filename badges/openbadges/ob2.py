"""Open Badges 2.0 objects: Issuer, BadgeClass, Assertion, CryptographicKey, RevocationList.

Each builder turns plain data into one JSON-LD object under the context
``https://w3id.org/openbadges/v2``. Abridged hosted assertion::

    {
      "@context": "https://w3id.org/openbadges/v2",
      "type": "Assertion",
      "id": "https://merkit.example.fi/ob2/assertions/0b7c…",
      "recipient": {"type": "email", "hashed": true, "salt": "5f1c…", "identity": "sha256$3b4e…"},
      "badge": "https://merkit.example.fi/ob2/badges/91e2…/versions/1",
      "verification": {"type": "HostedBadge"},
      "issuedOn": "2026-12-04T10:00:00Z"
    }

The signed form is the same assertion with a ``urn:uuid`` id and
``"verification": {"type": "SignedBadge", "creator": <key URL>}``, sent
as the payload of a compact RS256 JWS (``sign_assertion``).

Properties that are None or empty are omitted, except
``revokedAssertions``, which a RevocationList must always carry.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import rsa

from . import jws
from .dates import format_datetime
from .ob3 import Alignment, Evidence

CONTEXT = "https://w3id.org/openbadges/v2"

# IdentityObject types that 1EdTech's validator accepts. Each names the
# Profile property whose value the hashed identity is.
IDENTITY_TYPES = ("email", "id", "url", "telephone")

# Fixed namespace of the name-based (version 5) UUIDs that identify signed
# assertions. Changing it would change the id of every signed assertion
# and break revocation of the ones already issued.
SIGNED_ASSERTION_NAMESPACE = uuid.UUID("40f2db1a-a967-4bf5-b287-1804e8265dd2")

# Lower-case hex only: validators have rejected upper-case digests.
_IDENTITY_HASH = re.compile(r"sha256\$[0-9a-f]{64}|md5\$[0-9a-f]{32}")
# A registered host name as 1EdTech's validator checks allowedOrigins:
# labels of letters, digits and hyphens, and an alphabetic top-level label.
_HOST_NAME = re.compile(r"(?=.{4,253}$)((?!-)[a-z0-9-]{0,62}[a-z0-9]\.)+[a-z]{2,63}")


@dataclass(frozen=True)
class IssuerData:
    """The issuer Profile: who issues, where its keys and revocation list are, and its hosted scope."""

    id: str
    name: str
    url: str
    email: str
    revocation_list_id: str
    public_key_ids: Sequence[str] = ()
    description: str | None = None
    image_url: str | None = None
    allowed_origins: Sequence[str] = ()
    starts_with: str | None = None


@dataclass(frozen=True)
class BadgeClassData:
    """One version of a badge definition."""

    id: str
    issuer_id: str
    name: str
    description: str
    image_url: str
    criteria_narrative: str
    criteria_url: str | None = None
    tags: Sequence[str] = ()
    alignments: Sequence[Alignment] = ()


@dataclass(frozen=True)
class Recipient:
    """A hashed IdentityObject: ``identity_hash`` comes from ``recipient.hash_identity``."""

    identity_type: str
    identity_hash: str
    salt: str | None = None


@dataclass(frozen=True)
class AssertionData:
    """The content of one assertion, shared by its hosted and signed forms."""

    badge_class_id: str
    recipient: Recipient
    issued_on: datetime
    expires: datetime | None = None
    evidence: Sequence[Evidence] = ()


@dataclass(frozen=True)
class RevokedAssertion:
    """One entry of a RevocationList."""

    id: str
    reason: str | None = None


def build_issuer(issuer: IssuerData) -> dict[str, Any]:
    """Build the issuer Profile (``type: Issuer``); raises ``ValueError`` on a missing required text."""
    _require_text(**{
        "issuer id": issuer.id,
        "issuer name": issuer.name,
        "issuer url": issuer.url,
        "issuer email": issuer.email,
        "issuer revocation_list_id": issuer.revocation_list_id,
    })
    return _without_empty({
        "@context": CONTEXT,
        "type": "Issuer",
        "id": issuer.id,
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
        "description": issuer.description,
        "image": issuer.image_url,
        "publicKey": list(issuer.public_key_ids),
        "revocationList": issuer.revocation_list_id,
        "verification": _verification_policy(issuer),
    })


def _verification_policy(issuer: IssuerData) -> dict[str, Any]:
    # Without allowedOrigins, a verifier falls back to the host and port of
    # the issuer id. Only that default works for a base URL with a port
    # (see allowed_origins_for).
    return _without_empty({
        "type": "VerificationObject",
        "allowedOrigins": list(issuer.allowed_origins),
        "startsWith": issuer.starts_with,
    })


def allowed_origins_for(base_url: str) -> list[str]:
    """Return the ``allowedOrigins`` value for assertions hosted under ``base_url``.

    The specification defines an allowed origin as a registered host name,
    and 1EdTech's validator (badgecheck 1.2.0) rejects any value with a
    port or an IP address. Its scope check still compares the host *and*
    port of the assertion id, so no value passes for a base URL with an
    explicit port or an IP address. For those the list is empty, and the
    verifier's default (the issuer id's own host and port) applies.
    """
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    # The host-name pattern needs an alphabetic last label, so it rejects IP addresses too.
    if parts.port is not None or not _HOST_NAME.fullmatch(host):
        return []
    return [host]


def build_badge_class(badge: BadgeClassData) -> dict[str, Any]:
    """Build a BadgeClass; raises ``ValueError`` on a missing required text."""
    _require_text(**{
        "badge class id": badge.id,
        "badge class issuer_id": badge.issuer_id,
        "badge class name": badge.name,
        "badge class description": badge.description,
        "badge class image_url": badge.image_url,
        "badge class criteria_narrative": badge.criteria_narrative,
    })
    return _without_empty({
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": badge.id,
        "issuer": badge.issuer_id,
        "name": badge.name,
        "description": badge.description,
        "image": badge.image_url,
        "criteria": _without_empty({"id": badge.criteria_url, "narrative": badge.criteria_narrative}),
        "alignment": [_alignment(item) for item in badge.alignments],
        "tags": list(badge.tags),
    })


def _alignment(alignment: Alignment) -> dict[str, Any]:
    _require_text(**{"alignment target_name": alignment.target_name, "alignment target_url": alignment.target_url})
    return _without_empty({
        "targetName": alignment.target_name,
        "targetUrl": alignment.target_url,
        "targetDescription": alignment.target_description,
        "targetFramework": alignment.target_framework,
        "targetCode": alignment.target_code,
    })


def build_hosted_assertion(assertion: AssertionData, *, assertion_id: str) -> dict[str, Any]:
    """Build the assertion that is served at its own HTTP(S) ``assertion_id``."""
    return _assertion(assertion, assertion_id=assertion_id, verification={"type": "HostedBadge"})


def build_signed_assertion(assertion: AssertionData, *, assertion_id: str, creator: str) -> dict[str, Any]:
    """Build the assertion that ``sign_assertion`` signs with the key published at ``creator``.

    ``creator`` is required in practice: 1EdTech's validator finds the
    public key only through ``verification.creator``.
    """
    _require_text(creator=creator)
    return _assertion(
        assertion, assertion_id=assertion_id, verification={"type": "SignedBadge", "creator": creator}
    )


def _assertion(assertion: AssertionData, *, assertion_id: str, verification: dict[str, str]) -> dict[str, Any]:
    _require_text(**{"assertion id": assertion_id, "assertion badge_class_id": assertion.badge_class_id})
    issued_on = format_datetime(assertion.issued_on)
    expires = format_datetime(assertion.expires) if assertion.expires is not None else None
    if assertion.expires is not None and assertion.expires <= assertion.issued_on:
        raise ValueError(f"expires {expires} must be after issuedOn {issued_on}.")

    return _without_empty({
        "@context": CONTEXT,
        "type": "Assertion",
        "id": assertion_id,
        "recipient": _identity_object(assertion.recipient),
        "badge": assertion.badge_class_id,
        "verification": verification,
        "issuedOn": issued_on,
        "expires": expires,
        "evidence": [_evidence(item) for item in assertion.evidence],
    })


def _identity_object(recipient: Recipient) -> dict[str, Any]:
    if recipient.identity_type not in IDENTITY_TYPES:
        raise ValueError(
            f"Recipient identity type {recipient.identity_type!r} is not one of {list(IDENTITY_TYPES)}."
        )
    if not _IDENTITY_HASH.fullmatch(recipient.identity_hash):
        raise ValueError(
            f"Recipient identity {recipient.identity_hash!r} must be 'sha256$' and 64 lower-case "
            "hex digits, or 'md5$' and 32; use recipient.hash_identity."
        )
    return _without_empty({
        "type": recipient.identity_type,
        "hashed": True,
        "salt": recipient.salt,
        "identity": recipient.identity_hash,
    })


def _evidence(evidence: Evidence) -> dict[str, Any]:
    if not (evidence.narrative or evidence.url or evidence.name):
        raise ValueError("An Evidence item needs at least a narrative, a url or a name.")
    return _without_empty({"id": evidence.url, "name": evidence.name, "narrative": evidence.narrative})


def signed_assertion_id(credential_id: uuid.UUID) -> str:
    """Return the ``urn:uuid`` id of the signed assertion of one credential.

    The UUID is derived from ``credential_id`` by name (version 5), so it
    never has to be stored, and a revocation list that publishes it does
    not reveal the credential's page address, which shows the earner's
    name.
    """
    return f"urn:uuid:{uuid.uuid5(SIGNED_ASSERTION_NAMESPACE, str(credential_id))}"


def sign_assertion(assertion: dict[str, Any], *, private_key: rsa.RSAPrivateKey) -> str:
    """Return a compact RS256 JWS whose payload is ``assertion`` as UTF-8 JSON.

    ``assertion`` must come from ``build_signed_assertion``: a hosted one
    has no key for a verifier to check the signature with.
    """
    verification = assertion.get("verification") or {}
    if verification.get("type") != "SignedBadge" or not verification.get("creator"):
        raise ValueError(
            f"Only a SignedBadge assertion with a creator key can be signed, got verification "
            f"{verification!r}; build it with build_signed_assertion."
        )
    payload = json.dumps(assertion, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return jws.sign_compact(payload, private_key=private_key, headers={})


def build_cryptographic_key(*, key_id: str, owner_id: str, public_key_pem: str) -> dict[str, Any]:
    """Build the CryptographicKey document that a signed assertion's ``creator`` points to."""
    _require_text(key_id=key_id, owner_id=owner_id, public_key_pem=public_key_pem)
    return {
        "@context": CONTEXT,
        "type": "CryptographicKey",
        "id": key_id,
        "owner": owner_id,
        "publicKeyPem": public_key_pem,
    }


def build_revocation_list(
    *, list_id: str, issuer_id: str, revoked: Sequence[RevokedAssertion] = ()
) -> dict[str, Any]:
    """Build a RevocationList; an entry is the assertion id, or an object when it has a reason."""
    _require_text(list_id=list_id, issuer_id=issuer_id)
    entries = [
        {"id": entry.id, "revocationReason": entry.reason} if entry.reason else entry.id
        for entry in revoked
    ]
    return {
        "@context": CONTEXT,
        "type": "RevocationList",
        "id": list_id,
        "issuer": issuer_id,
        # Always present, even empty: 1EdTech's validator reports a list
        # without revokedAssertions as invalid.
        "revokedAssertions": entries,
    }


def to_json_text(document: dict[str, Any]) -> str:
    """Serialise an object the way it is stored and served: UTF-8, indented, key order kept."""
    return json.dumps(document, ensure_ascii=False, indent=2)


def _require_text(**fields: Any) -> None:
    for name, value in fields.items():
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"The {name} must be a non-empty string, got {value!r}.")


def _without_empty(mapping: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if not _is_empty(value)}


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and len(value) == 0)
