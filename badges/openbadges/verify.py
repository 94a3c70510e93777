"""Verification of an OpenBadgeCredential, reported check by check.

``verify_credential`` runs five checks in order and reports each one,
for our credential pages and, inside ``verify_ob3``, for the verifier of
any badge. ``to_dict()`` gives the JSON form::

    {"valid": false, "credential_id": "urn:uuid:…", "issuer_id": "https://…",
     "checks": [{"code": "structure", "outcome": "passed", "reason": "ok", "params": {}},
                {"code": "proof", "outcome": "failed", "reason": "signature_mismatch", "params": {}},
                …]}

``outcome`` is ``passed``, ``failed``, ``warning`` or ``skipped``. A
credential is valid when no check failed and each of the result's
``required_checks`` passed or warned. For this pipeline they are
structure, proof, issuer_key and valid_from. ``reason`` is a stable code
that the web side maps to a translated message, with ``params`` as its
placeholders. The verifiers of the other formats (``verify_any`` and the
modules it dispatches to) build the same result, add ``format`` and a
``summary`` of the badge, and document their own checks.

``data_model=VCDM11`` verifies an early Open Badges 3.0 credential under
the VC Data Model 1.1 context, where ``issuanceDate`` and
``expirationDate`` take the place of validFrom and validUntil. Such a
credential is only ever verified, never issued.

Any check
    ``ok``: the check passed. Its params name what was checked:
    proof {verification_method}, issuer_key {controller}, valid_from
    {valid_from}, valid_until {valid_until}; structure has none.
    ``prerequisite_failed`` {check}: skipped because that earlier check
    found no JSON object to work on.

structure
    ``not_json_object``: the credential is not a JSON object.
    ``bad_context``: ``@context`` is not a list starting with the VCDM 2.0
    context (VCDM 1.1 for ``data_model=VCDM11``) and then an OB 3.0 context.
    ``legacy_data_model`` (warning): the structure is complete under the
    VC Data Model 1.1.
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
    ``legacy_proof_type`` {type} (warning): a legacy ``Ed25519Signature2020``
    proof verified.

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
VCDM11_CONTEXT = "https://www.w3.org/2018/credentials/v1"
# The unversioned context.json matches too, as in 1EdTech's JSON schema;
# it is not bundled, so it fails as context_not_bundled.
_OB3_CONTEXT = re.compile(r"https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.0\.[0-9]+)?\.json")
_CREDENTIAL_TYPES = ("OpenBadgeCredential", "AchievementCredential")
# Checks that must pass (or warn) for the credential to be valid.
REQUIRED_CHECKS = ("structure", "proof", "issuer_key", "valid_from")

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
class DataModel:
    """A version of the VC Data Model: its base context and the names of its validity dates."""

    context: str
    valid_from: str
    valid_until: str
    legacy: bool


VCDM2 = DataModel(VCDM2_CONTEXT, "validFrom", "validUntil", legacy=False)
VCDM11 = DataModel(VCDM11_CONTEXT, "issuanceDate", "expirationDate", legacy=True)


@dataclass(frozen=True)
class BadgeSummary:
    """The facts of a valid badge, for display: who issued what to whom, and for how long.

    ``recipient_name`` is set only from an identity the credential states
    in plain text, never from a hashed one. Dates are the texts as written.
    """

    issuer_id: str | None = None
    issuer_name: str | None = None
    issuer_url: str | None = None
    badge_name: str | None = None
    badge_description: str | None = None
    badge_image: str | None = None
    recipient_name: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class VerificationResult:
    """The checks run on one credential, in order, and the ids it names.

    ``format`` (such as ``ob3``, ``ob3-jwt``, ``ob2-signed``) and
    ``summary`` are set by the verifier of any badge; ``to_dict`` includes
    them only when set.
    """

    checks: list[Check]
    issuer_id: str | None = None
    credential_id: str | None = None
    required_checks: tuple[str, ...] = REQUIRED_CHECKS
    format: str | None = None
    summary: BadgeSummary | None = None

    @property
    def valid(self) -> bool:
        outcomes = {check.code: check.outcome for check in self.checks}
        if FAILED in outcomes.values():
            return False
        return all(outcomes.get(code) in (PASSED, WARNING) for code in self.required_checks)

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
        data: dict[str, Any] = {"valid": self.valid}
        if self.format is not None:
            data["format"] = self.format
        data.update(
            credential_id=self.credential_id,
            issuer_id=self.issuer_id,
            checks=[check.to_dict() for check in self.checks],
        )
        if self.summary is not None:
            data["summary"] = self.summary.to_dict()
        return data


def verify_credential(
    document: Any,
    *,
    resolve_key: Callable[[str], ResolvedKey],
    now: datetime,
    data_model: DataModel = VCDM2,
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

    issuer_id = issuer_id_of(document)
    proof_check, key = _check_proof(document, resolve_key)
    checks = [
        check_structure(document, data_model),
        proof_check,
        check_issuer_key(key, issuer_id),
        check_valid_from(document, now, data_model),
        check_valid_until(document, now, data_model),
    ]
    credential_id = document.get("id") if isinstance(document.get("id"), str) else None
    return VerificationResult(checks=checks, issuer_id=issuer_id, credential_id=credential_id)


def data_model_of(document: Any) -> DataModel:
    """Return VCDM11 for a document whose first context is the VCDM 1.1 one, else VCDM2."""
    context = document.get("@context") if isinstance(document, dict) else None
    if isinstance(context, list) and context and context[0] == VCDM11_CONTEXT:
        return VCDM11
    return VCDM2


def check_structure(document: dict[str, Any], data_model: DataModel = VCDM2) -> Check:
    """Check contexts, required fields and JSON-LD terms of an OB 3.0 credential."""
    problem = (
        _context_problem(document, data_model)
        or _required_field_problem(document, data_model)
        or _json_ld_problem(document)
    )
    if problem is not None:
        reason, params = problem
        return Check("structure", FAILED, reason, params)
    if data_model.legacy:
        return Check("structure", WARNING, "legacy_data_model")
    return Check("structure", PASSED, "ok")


def _context_problem(document: dict[str, Any], data_model: DataModel) -> Problem | None:
    context = document.get("@context")
    if not isinstance(context, list) or len(context) < 2:
        return "bad_context", {}
    if context[0] != data_model.context:
        return "bad_context", {}
    if not isinstance(context[1], str) or not _OB3_CONTEXT.fullmatch(context[1]):
        return "bad_context", {}
    try:
        require_bundled_contexts(document)
    except OpenBadgesError as exc:
        return exc.code, exc.params
    return None


def _required_field_problem(document: dict[str, Any], data_model: DataModel) -> Problem | None:
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
    for name, required in ((data_model.valid_from, True), (data_model.valid_until, False)):
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
    elif proof.legacy_proof_type:
        check = Check("proof", WARNING, "legacy_proof_type", {"type": dataintegrity.LEGACY_PROOF_TYPE})
    else:
        check = Check("proof", PASSED, "ok", {"verification_method": proof.verification_method})
    return check, proof.key


def check_issuer_key(key: ResolvedKey | Any | None, issuer_id: str | None) -> Check:
    """Check that the key that signed is the issuer's and not revoked.

    ``key`` is any resolved key with ``controller``, ``revoked``,
    ``revocation_reason`` and ``asserted_by_credential_only``.
    """
    if key is None:
        return Check("issuer_key", SKIPPED, "key_not_resolved")
    if key.revoked:
        return Check("issuer_key", FAILED, "key_revoked", {"reason": key.revocation_reason})
    if key.controller != issuer_id:
        return Check("issuer_key", FAILED, "key_controller_mismatch", {"controller": key.controller, "issuer": issuer_id})
    if key.asserted_by_credential_only:
        return Check("issuer_key", WARNING, "key_asserted_by_credential", {"controller": key.controller})
    return Check("issuer_key", PASSED, "ok", {"controller": key.controller})


def check_valid_from(document: dict[str, Any], now: datetime, data_model: DataModel = VCDM2) -> Check:
    problem = _date_problem(document, data_model.valid_from, required=True)
    if problem is not None:
        reason, params = problem
        return Check("valid_from", FAILED, reason, params)
    value = document[data_model.valid_from]
    if now < parse_datetime(value):
        return Check("valid_from", FAILED, "not_yet_valid", {"valid_from": value})
    return Check("valid_from", PASSED, "ok", {"valid_from": value})


def check_valid_until(document: dict[str, Any], now: datetime, data_model: DataModel = VCDM2) -> Check:
    if data_model.valid_until not in document:
        return Check("valid_until", SKIPPED, "no_valid_until")
    problem = _date_problem(document, data_model.valid_until, required=False)
    if problem is not None:
        reason, params = problem
        return Check("valid_until", FAILED, reason, params)
    value = document[data_model.valid_until]
    if now >= parse_datetime(value):
        return Check("valid_until", FAILED, "expired", {"valid_until": value})
    return Check("valid_until", PASSED, "ok", {"valid_until": value})


def issuer_id_of(document: dict[str, Any]) -> str | None:
    """Return the issuer id of a credential, whether ``issuer`` is a string or an object."""
    issuer = document.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if _is_text(issuer) else None


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value)
