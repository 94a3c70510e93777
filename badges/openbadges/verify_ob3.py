"""Open Badges 3.0 credentials with an embedded Data Integrity proof, checked end to end.

The checks follow the order of the Open Badges 3.0 verification rules:

    schema, structure, proof, issuer_key, status, valid_from, valid_until, recipient

``schema`` is documented in ``schema``; structure, proof, issuer_key,
valid_from and valid_until in ``verify``; status in ``status_check``;
recipient (only when an email is given) in ``recipient_check``. The
status list is fetched only after the proof verified, with reason
``prerequisite_failed`` {check: "proof"} otherwise, so a forged credential
cannot make the verifier fetch an address of the forger's choosing.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .environment import VerifierEnvironment
from .recipient_check import check_ob3_recipient
from .schema import check_schema
from .status_check import check_credential_status
from .verify import (
    FAILED,
    SKIPPED,
    BadgeSummary,
    Check,
    VerificationResult,
    data_model_of,
    issuer_id_of,
    verify_credential,
)

FORMAT = "ob3"


def verify_ob3_document(document: dict[str, Any], env: VerifierEnvironment) -> VerificationResult:
    """Verify an OB 3.0 credential with an embedded proof and return every check."""
    data_model = data_model_of(document)
    issuer_id = issuer_id_of(document)
    core = verify_credential(
        document,
        resolve_key=lambda method: env.resolve_key(method, issuer_id),
        now=env.now,
        data_model=data_model,
    )
    by_code = {check.code: check for check in core.checks}
    checks = [
        check_schema(document, applicable=not data_model.legacy),
        by_code["structure"],
        by_code["proof"],
        by_code["issuer_key"],
        _status(document, by_code["proof"], env),
        by_code["valid_from"],
        by_code["valid_until"],
    ]
    if env.email:
        checks.append(check_ob3_recipient(document, env.email))
    result = dataclasses.replace(core, checks=checks, format=FORMAT)
    return with_summary(result, document)


def with_summary(result: VerificationResult, credential: dict[str, Any]) -> VerificationResult:
    """Attach the badge summary to a valid result; an invalid one shows none."""
    if not result.valid:
        return result
    return dataclasses.replace(result, summary=summarize_ob3(credential))


def summarize_ob3(credential: dict[str, Any]) -> BadgeSummary:
    """Read the issuer, the achievement, the recipient's name and the dates from a credential."""
    issuer = credential.get("issuer")
    issuer = issuer if isinstance(issuer, dict) else {"id": issuer}
    subject = credential.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    achievement = subject.get("achievement")
    achievement = achievement if isinstance(achievement, dict) else {}
    return BadgeSummary(
        issuer_id=_text(issuer.get("id")),
        issuer_name=_text(issuer.get("name")),
        issuer_url=_web_url(issuer.get("url")),
        badge_name=_text(achievement.get("name")),
        badge_description=_text(achievement.get("description")),
        badge_image=_image_url(achievement.get("image")),
        recipient_name=_recipient_name(subject),
        valid_from=_text(credential.get("validFrom", credential.get("issuanceDate"))),
        valid_until=_text(credential.get("validUntil", credential.get("expirationDate"))),
    )


def _status(document: dict[str, Any], proof: Check, env: VerifierEnvironment) -> Check:
    if proof.outcome in (FAILED, SKIPPED):
        return Check("status", SKIPPED, "prerequisite_failed", {"check": "proof"})
    return check_credential_status(document, fetch=env.fetch, resolve_key=env.resolve_key)


def _recipient_name(subject: dict[str, Any]) -> str | None:
    """Return a name the credential states in plain text: an unhashed ``name`` identity or ``name``."""
    identifiers = subject.get("identifier")
    for entry in identifiers if isinstance(identifiers, list) else [identifiers]:
        if isinstance(entry, dict) and entry.get("identityType") == "name" and entry.get("hashed") is False:
            return _text(entry.get("identityHash"))
    return _text(subject.get("name"))


def _image_url(image: Any) -> str | None:
    url = image.get("id") if isinstance(image, dict) else image
    # Data URIs can be megabytes long; a summary names only web images.
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else None


def _web_url(value: Any) -> str | None:
    """Return ``value`` if it is an http(s) URL; a page may link to it, so no other scheme passes."""
    return value if isinstance(value, str) and value.startswith(("https://", "http://")) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
