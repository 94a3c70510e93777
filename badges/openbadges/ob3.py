"""Open Badges 3.0 ``OpenBadgeCredential`` documents (unsigned).

``build_credential`` turns plain data into the JSON-LD credential that
``dataintegrity.sign`` signs. Abridged output::

    {
      "@context": ["https://www.w3.org/ns/credentials/v2",
                   "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                   "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"],
      "id": "urn:uuid:…",
      "type": ["VerifiableCredential", "OpenBadgeCredential"],
      "name": "Tekstitaidot",
      "issuer": {"id": "https://…/issuers/1", "type": ["Profile"], "name": "…", "url": "…"},
      "validFrom": "2026-12-04T10:00:00Z",
      "credentialSubject": {"type": ["AchievementSubject"], "identifier": [{"type": "IdentityObject", …}],
                            "achievement": {"id": "…", "type": ["Achievement"], …}},
      "credentialSchema": [{"id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/…", "type": "1EdTechJsonSchemaValidator2019"}]
    }

The shapes follow 1EdTech's JSON-LD schema for AchievementCredential:
``type`` is an array on every typed object except ``Image`` and
``IdentityObject``, whose ``type`` is a single string. Properties that are
None or empty are omitted rather than written as null or [].
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .dates import format_datetime

# Order matters: validators require VCDM 2.0 first and OB 3.0 second. The
# extensions context defines 1EdTechJsonSchemaValidator2019, without which
# credentialSchema.type is an undefined term.
CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
]
SCHEMA_URL = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
SCHEMA_TYPE = "1EdTechJsonSchemaValidator2019"

# Lower-case hex only: validators have rejected upper-case digests.
_IDENTITY_HASH = re.compile(r"sha256\$[0-9a-f]{64}|md5\$[0-9a-f]{32}")


@dataclass(frozen=True)
class IssuerProfile:
    """An issuer or creator ``Profile``; ``url`` is its public web page."""

    id: str
    name: str
    url: str
    email: str | None = None
    description: str | None = None
    image_url: str | None = None


@dataclass(frozen=True)
class Alignment:
    """A link from an achievement to a competency framework item."""

    target_name: str
    target_url: str
    target_code: str | None = None
    target_framework: str | None = None
    target_description: str | None = None


@dataclass(frozen=True)
class AchievementData:
    """The badge class: what was achieved and how it is earned."""

    id: str
    name: str
    description: str
    criteria_narrative: str
    image_url: str | None = None
    achievement_type: str = "Badge"
    tags: Sequence[str] = ()
    alignments: Sequence[Alignment] = ()
    language: str = "fi"
    creator: IssuerProfile | None = None


@dataclass(frozen=True)
class Evidence:
    """Evidence of the achievement: a narrative, a URL or both."""

    narrative: str | None = None
    url: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class RecipientData:
    """The earner: a subject id (such as a DID), a salted email hash, or both.

    ``email_hash`` comes from ``recipient.hash_identity`` applied to the
    normalised email; ``name`` is written unhashed.
    """

    subject_id: str | None
    email_hash: str | None = None
    email_salt: str | None = None
    name: str | None = None


def build_credential(
    *,
    credential_id: str,
    issuer: IssuerProfile,
    achievement: AchievementData,
    recipient: RecipientData,
    valid_from: datetime,
    valid_until: datetime | None = None,
    awarded_date: datetime | None = None,
    evidence: Sequence[Evidence] = (),
    name: str | None = None,
    credential_status: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Build an unsigned OpenBadgeCredential.

    Datetimes must be aware. Raises ``ValueError`` for bad input: an empty
    required text, a recipient with neither a subject id nor an identifier,
    an email hash that is not a lower-case ``sha256$``/``md5$`` digest, a
    ``valid_until`` not after ``valid_from``, or an empty evidence item.
    """
    _require_text(credential_id=credential_id)
    valid_from_text = format_datetime(valid_from)
    valid_until_text = format_datetime(valid_until) if valid_until is not None else None
    if valid_until is not None and valid_until <= valid_from:
        raise ValueError(f"validUntil {valid_until_text} must be after validFrom {valid_from_text}.")

    credential = {
        "@context": list(CONTEXTS),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name if name is not None else achievement.name,
        "issuer": _profile(issuer),
        "validFrom": valid_from_text,
        "validUntil": valid_until_text,
        "awardedDate": format_datetime(awarded_date) if awarded_date is not None else None,
        "credentialSubject": _achievement_subject(recipient, achievement),
        "evidence": [_evidence(item) for item in evidence],
        "credentialSchema": [{"id": SCHEMA_URL, "type": SCHEMA_TYPE}],
        "credentialStatus": dict(credential_status) if credential_status is not None else None,
    }
    return _without_empty(credential)


def _profile(profile: IssuerProfile) -> dict[str, Any]:
    _require_text(**{"profile id": profile.id, "profile name": profile.name, "profile url": profile.url})
    return _without_empty({
        "id": profile.id,
        "type": ["Profile"],
        "name": profile.name,
        "url": profile.url,
        "email": profile.email,
        "description": profile.description,
        "image": _image(profile.image_url),
    })


def _image(url: str | None) -> dict[str, str] | None:
    # OB 3.0 Image: "type" is the single string "Image", not an array.
    return {"id": url, "type": "Image"} if url else None


def _achievement_subject(recipient: RecipientData, achievement: AchievementData) -> dict[str, Any]:
    identifiers = _identity_objects(recipient)
    if not recipient.subject_id and not identifiers:
        raise ValueError(
            "The recipient needs a subject_id, an email hash or a name: "
            "an AchievementSubject must have an id or an identifier."
        )
    return _without_empty({
        "id": recipient.subject_id,
        "type": ["AchievementSubject"],
        "identifier": identifiers,
        "achievement": _achievement(achievement),
    })


def _identity_objects(recipient: RecipientData) -> list[dict[str, Any]]:
    identifiers = []
    if recipient.email_hash:
        if not _IDENTITY_HASH.fullmatch(recipient.email_hash):
            raise ValueError(
                f"Email hash {recipient.email_hash!r} must be 'sha256$' and 64 "
                "lower-case hex digits, or 'md5$' and 32; use recipient.hash_identity."
            )
        identifiers.append(_without_empty({
            "type": "IdentityObject",
            "identityHash": recipient.email_hash,
            "identityType": "emailAddress",
            "hashed": True,
            "salt": recipient.email_salt,
        }))
    if recipient.name:
        # No salt on an unhashed identity: wallets treat a salt as a sign
        # that the value is hashed and then fail to display it.
        identifiers.append({
            "type": "IdentityObject",
            "identityHash": recipient.name,
            "identityType": "name",
            "hashed": False,
        })
    return identifiers


def _achievement(achievement: AchievementData) -> dict[str, Any]:
    _require_text(**{
        "achievement id": achievement.id,
        "achievement name": achievement.name,
        "achievement description": achievement.description,
        "achievement criteria_narrative": achievement.criteria_narrative,
    })
    return _without_empty({
        "id": achievement.id,
        "type": ["Achievement"],
        "achievementType": achievement.achievement_type,
        "name": achievement.name,
        "description": achievement.description,
        "criteria": {"narrative": achievement.criteria_narrative},
        "image": _image(achievement.image_url),
        "alignment": [_alignment(item) for item in achievement.alignments],
        "tag": list(achievement.tags),
        "inLanguage": achievement.language,
        "creator": _profile(achievement.creator) if achievement.creator is not None else None,
    })


def _alignment(alignment: Alignment) -> dict[str, Any]:
    _require_text(**{"alignment target_name": alignment.target_name, "alignment target_url": alignment.target_url})
    return _without_empty({
        "type": ["Alignment"],
        "targetName": alignment.target_name,
        "targetUrl": alignment.target_url,
        "targetCode": alignment.target_code,
        "targetFramework": alignment.target_framework,
        "targetDescription": alignment.target_description,
    })


def _evidence(evidence: Evidence) -> dict[str, Any]:
    if not (evidence.narrative or evidence.url or evidence.name):
        raise ValueError("An Evidence item needs at least a narrative, a url or a name.")
    return _without_empty({
        "type": ["Evidence"],
        "id": evidence.url,
        "narrative": evidence.narrative,
        "name": evidence.name,
    })


def _require_text(**fields: Any) -> None:
    for name, value in fields.items():
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"The {name} must be a non-empty string, got {value!r}.")


def _without_empty(mapping: dict[str, Any]) -> dict[str, Any]:
    """Drop None, empty strings and empty lists, which OB 3.0 credentials omit.

    A null would also fail 1EdTech's JSON schema, which types each property.
    """
    return {key: value for key, value in mapping.items() if not _is_empty(value)}


def _is_empty(value: Any) -> bool:
    # Only None, "" and [] are absent. False ("hashed": false) and 0 are values.
    return value is None or (isinstance(value, (str, list)) and len(value) == 0)
