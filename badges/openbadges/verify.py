"""Verification of an OpenBadgeCredential, reported check by check.

``verify_credential`` runs five checks in order and reports each one,
for the verification web page and the command line alike. ``to_dict()``
gives the JSON form::

    {"valid": false, "credential_id": "urn:uuid:…", "issuer_id": "https://…",
     "checks": [{"code": "structure", "outcome": "passed", "reason": "ok", "params": {}},
                {"code": "proof", "outcome": "failed", "reason": "signature_mismatch", "params": {}},
                …]}

``outcome`` is ``passed``, ``failed``, ``warning`` or ``skipped``. A
credential is valid when no check failed and structure, proof, issuer_key
and valid_from each passed or warned. ``reason`` is a stable code that the
web side maps to a translated message, with ``params`` as its placeholders:

Any check
    ``ok``: the check passed. Its params name what was checked:
    proof {verification_method}, issuer_key {controller}, valid_from
    {valid_from}, valid_until {valid_until}; structure has none.
    ``prerequisite_failed`` {check}: skipped because that earlier check
    found no JSON object to work on.

structure
    ``not_json_object``: the credential is not a JSON object.
    ``bad_context``: ``@context`` is not a list starting with the VCDM 2.0
    context and then an OB 3.0 context.
    ``context_not_bundled`` {url}: a context this package does not ship,
    which is never fetched.
    ``missing_field`` {field}: a required property is missing or has the
    wrong JSON type (``id``, ``type``, ``issuer``, ``issuer.id``,
    ``validFrom``, ``credentialSubject``, ``credentialSubject.achievement``,
    ``credentialSubject.id`` when there is neither an id nor an identifier).
    ``bad_type`` {type}: ``type`` lacks VerifiableCredential, or lacks
    both OpenBadgeCredential and AchievementCredential.
    ``invalid_date`` {field, value}: validFrom or validUntil is not an XSD
    dateTime with a time zone.
    ``undefined_terms`` {terms}: properties, type names or relative IRIs
    that the contexts do not define, which a signature would not cover.
    ``canonicalization_failed``: the JSON-LD processor rejected the document.

proof
    ``proof_missing``, ``invalid_proof`` {field} (not an object, or a
    missing verificationMethod or invalid created),
    ``unsupported_cryptosuite`` {cryptosuite} (also an unsupported proof
    type), ``invalid_proof_purpose`` {proof_purpose},
    ``invalid_proof_value``, ``key_not_found`` {verification_method},
    ``signature_mismatch``, and the structure codes ``context_not_bundled``,
    ``undefined_terms`` and ``canonicalization_failed``.
    ``legacy_cryptosuite`` {cryptosuite} (warning): the proof verified
    under the early name ``eddsa-2022`` of the same algorithm.

issuer_key
    ``key_not_resolved`` (skipped): the proof check resolved no key.
    ``key_revoked`` {reason}, ``key_controller_mismatch`` {controller,
    issuer}: the key is revoked, or its controller is not the issuer.
    ``key_asserted_by_credential`` {controller} (warning): only the
    credential vouches for the key, so the issuer is not proven.

valid_from
    ``missing_field`` {field}, ``invalid_date`` {field, value},
    ``not_yet_valid`` {valid_from}.

valid_until
    ``no_valid_until`` (skipped), ``invalid_date`` {field, value},
    ``expired`` {valid_until}.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import dataintegrity
from .canonical import find_undefined_terms, require_bundled_contexts
from .dates import parse_datetime
from .errors import InvalidDateTimeError, OpenBadgesError
from .keys import ResolvedKey

PASSED = "passed"
FAILED = "failed"
WARNING = "warning"
SKIPPED = "skipped"

VCDM2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
# The unversioned context.json matches too, as in 1EdTech's JSON schema;
# it is not bundled, so it fails as context_not_bundled.
_OB3_CONTEXT = re.compile(r"https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.0\.[0-9]+)?\.json")
_CREDENTIAL_TYPES = ("OpenBadgeCredential", "AchievementCredential")
# Checks that must pass (or warn) for the credential to be valid.
_REQUIRED_CHECKS = ("structure", "proof", "issuer_key", "valid_from")

# A failed rule as (reason code, params).
Problem = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Check:
    """One verification step: its code, outcome, reason code and parameters."""

    code: str
    outcome: str
    reason: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "outcome": self.outcome, "reason": self.reason, "params": dict(self.params)}


@dataclass(frozen=True)
class VerificationResult:
    """The checks run on one credential, in order, and the ids it names."""

    checks: list[Check]
    issuer_id: str | None = None
    credential_id: str | None = None

    @property
    def valid(self) -> bool:
        outcomes = {check.code: check.outcome for check in self.checks}
        if FAILED in outcomes.values():
            return False
        return all(outcomes.get(code) in (PASSED, WARNING) for code in _REQUIRED_CHECKS)

    @property
    def warnings(self) -> list[Check]:
        return [check for check in self.checks if check.outcome == WARNING]

    def check(self, code: str) -> Check:
        """Return the check with ``code``; raises KeyError if none ran."""
        for check in self.checks:
            if check.code == code:
                return check
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "credential_id": self.credential_id,
            "issuer_id": self.issuer_id,
            "checks": [check.to_dict() for check in self.checks],
        }


def verify_credential(
    document: Any,
    *,
    resolve_key: Callable[[str], ResolvedKey],
    now: datetime,
) -> VerificationResult:
    """Verify ``document`` and report every check.

    Bad input never raises: it becomes a failed check. Raises ``ValueError``
    only for a naive ``now``. Exceptions from ``resolve_key`` other than
    this package's errors, ValueError and LookupError propagate, because
    they are failures of the caller's key store, not of the credential.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now={now.isoformat()} is naive; pass an aware datetime.")
    if not isinstance(document, dict):
        skipped = [Check(code, SKIPPED, "prerequisite_failed", {"check": "structure"})
                   for code in ("proof", "issuer_key", "valid_from", "valid_until")]
        return VerificationResult(checks=[Check("structure", FAILED, "not_json_object")] + skipped)

    issuer_id = _issuer_id(document)
    proof_check, key = _check_proof(document, resolve_key)
    checks = [
        _check_structure(document),
        proof_check,
        _check_issuer_key(key, issuer_id),
        _check_valid_from(document, now),
        _check_valid_until(document, now),
    ]
    credential_id = document.get("id") if isinstance(document.get("id"), str) else None
    return VerificationResult(checks=checks, issuer_id=issuer_id, credential_id=credential_id)


def _check_structure(document: dict[str, Any]) -> Check:
    problem = _context_problem(document) or _required_field_problem(document) or _json_ld_problem(document)
    if problem is not None:
        reason, params = problem
        return Check("structure", FAILED, reason, params)
    return Check("structure", PASSED, "ok")


def _context_problem(document: dict[str, Any]) -> Problem | None:
    context = document.get("@context")
    if not isinstance(context, list) or len(context) < 2:
        return "bad_context", {}
    if context[0] != VCDM2_CONTEXT:
        return "bad_context", {}
    if not isinstance(context[1], str) or not _OB3_CONTEXT.fullmatch(context[1]):
        return "bad_context", {}
    try:
        require_bundled_contexts(document)
    except OpenBadgesError as exc:
        return exc.code, exc.params
    return None


def _required_field_problem(document: dict[str, Any]) -> Problem | None:
    if not _is_text(document.get("id")):
        return "missing_field", {"field": "id"}
    type_problem = _type_problem(document.get("type"))
    if type_problem is not None:
        return type_problem
    issuer = document.get("issuer")
    if not _is_text(issuer) and not isinstance(issuer, dict):
        return "missing_field", {"field": "issuer"}
    if isinstance(issuer, dict) and not _is_text(issuer.get("id")):
        return "missing_field", {"field": "issuer.id"}
    for name, required in (("validFrom", True), ("validUntil", False)):
        date_problem = _date_problem(document, name, required=required)
        if date_problem is not None:
            return date_problem
    return _subject_problem(document.get("credentialSubject"))


def _type_problem(types: Any) -> Problem | None:
    if _is_text(types):
        types = [types]
    if not isinstance(types, list) or not types:
        return "missing_field", {"field": "type"}
    if "VerifiableCredential" not in types:
        return "bad_type", {"type": "VerifiableCredential"}
    if not any(name in types for name in _CREDENTIAL_TYPES):
        return "bad_type", {"type": "OpenBadgeCredential"}
    return None


def _subject_problem(subject: Any) -> Problem | None:
    # OB 3.0 requires a single AchievementSubject object, not a list.
    if not isinstance(subject, dict):
        return "missing_field", {"field": "credentialSubject"}
    if not isinstance(subject.get("achievement"), dict):
        return "missing_field", {"field": "credentialSubject.achievement"}
    if not _is_text(subject.get("id")) and not subject.get("identifier"):
        return "missing_field", {"field": "credentialSubject.id"}
    return None


def _date_problem(document: dict[str, Any], name: str, *, required: bool) -> Problem | None:
    if name not in document:
        return ("missing_field", {"field": name}) if required else None
    try:
        parse_datetime(document[name])
    except InvalidDateTimeError:
        return "invalid_date", {"field": name, "value": document[name]}
    return None


def _json_ld_problem(document: dict[str, Any]) -> Problem | None:
    try:
        terms = find_undefined_terms(document)
    except OpenBadgesError as exc:
        return exc.code, exc.params
    return ("undefined_terms", {"terms": terms}) if terms else None


def _check_proof(
    document: dict[str, Any], resolve_key: Callable[[str], ResolvedKey]
) -> tuple[Check, ResolvedKey | None]:
    """Run the proof check; also return the key it resolved, if any.

    The key is returned even when the signature fails, so that the
    issuer_key check can still report whose key it was.
    """
    resolved: list[ResolvedKey] = []

    def recording_resolver(verification_method: str) -> ResolvedKey:
        key = resolve_key(verification_method)
        resolved.append(key)
        return key

    try:
        proof = dataintegrity.verify(document, resolve_key=recording_resolver)
    except OpenBadgesError as exc:
        last_key = resolved[-1] if resolved and isinstance(resolved[-1], ResolvedKey) else None
        return Check("proof", FAILED, exc.code, exc.params), last_key

    if proof.legacy_cryptosuite:
        check = Check("proof", WARNING, "legacy_cryptosuite", {"cryptosuite": dataintegrity.LEGACY_CRYPTOSUITE})
    else:
        check = Check("proof", PASSED, "ok", {"verification_method": proof.verification_method})
    return check, proof.key


def _check_issuer_key(key: ResolvedKey | None, issuer_id: str | None) -> Check:
    if key is None:
        return Check("issuer_key", SKIPPED, "key_not_resolved")
    if key.revoked:
        return Check("issuer_key", FAILED, "key_revoked", {"reason": key.revocation_reason})
    if key.controller != issuer_id:
        return Check("issuer_key", FAILED, "key_controller_mismatch", {"controller": key.controller, "issuer": issuer_id})
    if key.asserted_by_credential_only:
        return Check("issuer_key", WARNING, "key_asserted_by_credential", {"controller": key.controller})
    return Check("issuer_key", PASSED, "ok", {"controller": key.controller})


def _check_valid_from(document: dict[str, Any], now: datetime) -> Check:
    problem = _date_problem(document, "validFrom", required=True)
    if problem is not None:
        reason, params = problem
        return Check("valid_from", FAILED, reason, params)
    value = document["validFrom"]
    if now < parse_datetime(value):
        return Check("valid_from", FAILED, "not_yet_valid", {"valid_from": value})
    return Check("valid_from", PASSED, "ok", {"valid_from": value})


def _check_valid_until(document: dict[str, Any], now: datetime) -> Check:
    if "validUntil" not in document:
        return Check("valid_until", SKIPPED, "no_valid_until")
    problem = _date_problem(document, "validUntil", required=False)
    if problem is not None:
        reason, params = problem
        return Check("valid_until", FAILED, reason, params)
    value = document["validUntil"]
    if now >= parse_datetime(value):
        return Check("valid_until", FAILED, "expired", {"valid_until": value})
    return Check("valid_until", PASSED, "ok", {"valid_until": value})


def _issuer_id(document: dict[str, Any]) -> str | None:
    issuer = document.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if _is_text(issuer) else None


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value)
