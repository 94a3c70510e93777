"""Open Badges 2.0 assertions, signed (a compact JWS) or hosted (served at their own id).

Signed assertions (format ``ob2-signed``) are checked in this order::

    structure, proof, issuer_key, status, valid_from, valid_until, recipient

Hosted assertions (format ``ob2-hosted``)::

    structure, hosted, status, valid_from, valid_until, recipient

The reason codes of ``structure`` are in ``ob2_documents``; it passes
with ``ok`` {version: "2.0"}. valid_from
(``issuedOn``) and valid_until (``expires``) use the codes of ``verify``;
recipient those of ``recipient_check``. The others:

proof (signed)
    ``ok`` {verification_method}: the JWS verified with the RS256 key that
    ``verification.creator`` names. ``unsigned_jwt``,
    ``unsupported_algorithm`` {algorithm} (Open Badges 2.0 signs with
    RS256 only), ``missing_field`` {field: "verification.creator"},
    ``key_not_found`` {verification_method}: the creator is not a
    CryptographicKey with an RSA ``publicKeyPem``. ``signature_mismatch``.
    ``signed_assertion_without_jws``: a signed assertion was given as
    plain JSON, which carries no signature to check.

issuer_key (signed)
    ``ok`` {controller}; ``key_controller_mismatch`` {controller, issuer}:
    the key's ``owner`` is not the issuer; ``key_not_listed``
    {verification_method, issuer}: the issuer Profile does not list the
    key in ``publicKey``.

hosted
    ``ok`` {url}: the issuer serves the assertion at its id, inside its
    verification scope. ``hosted_id_not_url`` {id}; ``hosted_id_mismatch``
    {url}: the document at the id has another id; ``hosted_out_of_scope``
    {url, issuer}: the id lies outside ``allowedOrigins``/``startsWith``
    or, by default, the issuer id's host and port; ``document_http_error``
    {url, status} and the other ``remote`` codes when it cannot be read.

status
    ``ok``; ``status_revoked`` {reason}: HTTP 410 Gone at the assertion's
    id, ``revoked: true`` in it, or its id in the issuer's
    ``revocationList``. ``status_unavailable`` {url} (warning): the
    revocation list could not be read.

Checks that depend on an earlier one that failed are skipped with
``prerequisite_failed`` {check}.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from . import jws
from .environment import VerifierEnvironment
from .errors import JwsSignatureError, OpenBadgesError
from .inputs import peek_jws
from .ob2_documents import (
    Ob2LoadError,
    fetch_object,
    in_hosted_scope,
    load_badge_and_issuer,
    revocation_entry,
    structure_problem,
    verification_object,
    verification_type,
)
from .recipient_check import check_ob2_recipient
from .remote import DocumentFetchError, FetchedDocument, JSON_ACCEPT, display_url, read_json_object
from .verify import (
    FAILED,
    PASSED,
    SKIPPED,
    WARNING,
    BadgeSummary,
    Check,
    DataModel,
    VerificationResult,
    check_valid_from,
    check_valid_until,
)

SIGNED_FORMAT = "ob2-signed"
HOSTED_FORMAT = "ob2-hosted"
SIGNED_REQUIRED = ("structure", "proof", "issuer_key", "valid_from")
HOSTED_REQUIRED = ("structure", "hosted", "valid_from")
SIGNED_ORDER = ("structure", "proof", "issuer_key", "status", "valid_from", "valid_until")
HOSTED_ORDER = ("structure", "hosted", "status", "valid_from", "valid_until")
SIGNING_ALGORITHM = "RS256"
# OB 2.0 names its dates issuedOn and expires.
OB2_DATES = DataModel("https://w3id.org/openbadges/v2", "issuedOn", "expires", legacy=False)


def verify_ob2_signed(token: str, env: VerifierEnvironment) -> VerificationResult:
    """Verify a signed OB 2.0 assertion (compact JWS) and return every check."""
    header, payload = peek_jws(token)
    algorithm = header.get("alg")
    if algorithm != SIGNING_ALGORITHM:
        reason = "unsigned_jwt" if str(algorithm).lower() == "none" else "unsupported_algorithm"
        params = {} if reason == "unsigned_jwt" else {"algorithm": algorithm}
        return _signed_failure(Check("proof", FAILED, reason, params))
    if not isinstance(payload, dict):
        return _signed_failure(Check("structure", FAILED, "not_json_object"))

    assertion = payload
    structure, badge, issuer = _check_structure(assertion, env)
    proof, key_document = _check_signature(token, assertion, env)
    proof_verified = proof.outcome == PASSED
    checks = [
        structure,
        proof,
        _check_key_owner(key_document, issuer) if issuer is not None else _skipped("issuer_key", "structure"),
        _check_revocation(assertion, issuer, env) if proof_verified else _skipped("status", "proof"),
        *_date_checks(assertion, env),
    ]
    return _result(checks, assertion, badge, issuer, env, SIGNED_FORMAT, SIGNED_REQUIRED)


def verify_ob2_json(
    document: dict[str, Any], env: VerifierEnvironment, *, fetched_from: str | None = None
) -> VerificationResult:
    """Verify an OB 2.0 assertion given as JSON; a hosted one is checked against the issuer's copy.

    ``fetched_from`` is the URL the document was just fetched from, which
    spares a second request when it is the document's id.
    """
    if verification_type(document) == "signed":
        return _signed_failure(Check("proof", FAILED, "signed_assertion_without_jws"))

    assertion_id = document.get("id")
    if fetched_from is not None and assertion_id == fetched_from:
        return _verify_hosted_copy(document, assertion_id, env)
    if not isinstance(assertion_id, str) or not assertion_id.startswith(("https://", "http://")):
        return _hosted_failure(Check("hosted", FAILED, "hosted_id_not_url", {"id": str(assertion_id)}))
    try:
        response = env.fetch(assertion_id, accept=JSON_ACCEPT)
    except DocumentFetchError as error:
        return _hosted_failure(Check("hosted", FAILED, error.code, error.params))
    return verify_ob2_response(response, env, requested_url=assertion_id)


def verify_ob2_response(
    response: FetchedDocument, env: VerifierEnvironment, *, requested_url: str
) -> VerificationResult:
    """Verify the response to a request for a hosted assertion: 410 Gone means revoked."""
    if response.status == 410:
        return _gone(response)
    try:
        hosted = read_json_object(response)
    except DocumentFetchError as error:
        return _hosted_failure(Check("hosted", FAILED, error.code, error.params))
    if hosted.get("id") != requested_url:
        return _hosted_failure(Check("hosted", FAILED, "hosted_id_mismatch", {"url": display_url(requested_url)}))
    return _verify_hosted_copy(hosted, requested_url, env)


def _verify_hosted_copy(assertion: dict[str, Any], assertion_id: str, env: VerifierEnvironment) -> VerificationResult:
    structure, badge, issuer = _check_structure(assertion, env)
    hosted = _check_scope(assertion, assertion_id, issuer)
    checks = [
        structure,
        hosted,
        _check_revocation(assertion, issuer, env) if hosted.outcome == PASSED else _skipped("status", "hosted"),
        *_date_checks(assertion, env),
    ]
    return _result(checks, assertion, badge, issuer, env, HOSTED_FORMAT, HOSTED_REQUIRED)


def _check_structure(
    assertion: dict[str, Any], env: VerifierEnvironment
) -> tuple[Check, dict[str, Any] | None, dict[str, Any] | None]:
    try:
        badge, issuer = load_badge_and_issuer(assertion, env.fetch)
    except Ob2LoadError as error:
        reason, params = error.problem
        return Check("structure", FAILED, reason, params), None, None
    problem = structure_problem(assertion, badge, issuer)
    if problem is not None:
        return Check("structure", FAILED, problem[0], problem[1]), badge, issuer
    return Check("structure", PASSED, "ok", {"version": "2.0"}), badge, issuer


def _check_signature(
    token: str, assertion: dict[str, Any], env: VerifierEnvironment
) -> tuple[Check, dict[str, Any] | None]:
    """Verify the JWS with the creator's key; also return the CryptographicKey document."""
    creator = verification_object(assertion).get("creator")
    if not isinstance(creator, str) or not creator.startswith(("https://", "http://")):
        return Check("proof", FAILED, "missing_field", {"field": "verification.creator"}), None
    try:
        key_document = fetch_object(creator, env.fetch)
        public_key = _public_key(key_document)
    except (Ob2LoadError, ValueError, UnsupportedAlgorithm):
        return Check("proof", FAILED, "key_not_found", {"verification_method": creator}), None
    try:
        jws.verify_compact(token, public_key=public_key)
    except JwsSignatureError:
        return Check("proof", FAILED, "signature_mismatch"), key_document
    except OpenBadgesError:
        return Check("proof", FAILED, "key_not_found", {"verification_method": creator}), key_document
    return Check("proof", PASSED, "ok", {"verification_method": creator}), key_document


def _public_key(key_document: dict[str, Any]) -> rsa.RSAPublicKey:
    """Load the RSA key of a CryptographicKey; raises ValueError for anything else."""
    if "CryptographicKey" not in _as_list(key_document.get("type")):
        raise ValueError("not a CryptographicKey")
    pem = key_document.get("publicKeyPem")
    if not isinstance(pem, str):
        raise ValueError("no publicKeyPem")
    key = load_pem_public_key(pem.encode("ascii", errors="replace"))
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("not an RSA key")
    return key


def _check_key_owner(key_document: dict[str, Any] | None, issuer: dict[str, Any]) -> Check:
    if key_document is None:
        return _skipped("issuer_key", "proof")
    issuer_id = issuer.get("id")
    key_id = key_document.get("id")
    owner = key_document.get("owner")
    if owner != issuer_id:
        return Check("issuer_key", FAILED, "key_controller_mismatch", {"controller": owner, "issuer": issuer_id})
    listed = {entry.get("id") if isinstance(entry, dict) else entry for entry in _as_list(issuer.get("publicKey"))}
    if key_id not in listed:
        return Check("issuer_key", FAILED, "key_not_listed", {"verification_method": key_id, "issuer": issuer_id})
    return Check("issuer_key", PASSED, "ok", {"controller": issuer_id})


def _check_scope(assertion: dict[str, Any], assertion_id: str, issuer: dict[str, Any] | None) -> Check:
    if issuer is None:
        return _skipped("hosted", "structure")
    if verification_type(assertion) != "hosted":
        return Check("hosted", FAILED, "missing_field", {"field": "assertion.verification"})
    if not in_hosted_scope(assertion_id, issuer):
        params = {"url": display_url(assertion_id), "issuer": issuer.get("id")}
        return Check("hosted", FAILED, "hosted_out_of_scope", params)
    return Check("hosted", PASSED, "ok", {"url": display_url(assertion_id)})


def _check_revocation(assertion: dict[str, Any], issuer: dict[str, Any] | None, env: VerifierEnvironment) -> Check:
    if assertion.get("revoked") is True:
        return _revoked(assertion.get("revocationReason"))
    list_url = issuer.get("revocationList") if issuer is not None else None
    if not isinstance(list_url, str) or not list_url:
        return Check("status", PASSED, "ok")
    try:
        revocation_list = fetch_object(list_url, env.fetch)
    except Ob2LoadError:
        return Check("status", WARNING, "status_unavailable", {"url": display_url(list_url)})
    revoked, reason = revocation_entry(revocation_list, assertion.get("id"))
    return _revoked(reason) if revoked else Check("status", PASSED, "ok")


def _date_checks(assertion: dict[str, Any], env: VerifierEnvironment) -> list[Check]:
    # The OB 3.0 date checks read any document; only the field names differ.
    return [check_valid_from(assertion, env.now, OB2_DATES), check_valid_until(assertion, env.now, OB2_DATES)]


def _gone(response: FetchedDocument) -> VerificationResult:
    """Return the result for HTTP 410 Gone, optionally with ``{revoked, revocationReason}``."""
    reason = None
    try:
        body = json.loads(response.body.decode("utf-8"))
        reason = body.get("revocationReason") if isinstance(body, dict) else None
    except (UnicodeDecodeError, ValueError, RecursionError):
        pass
    status = _revoked(reason)
    checks = [status if code == "status" else _skipped(code, "status") for code in HOSTED_ORDER]
    return VerificationResult(checks=checks, required_checks=HOSTED_REQUIRED, format=HOSTED_FORMAT)


def _revoked(reason: Any) -> Check:
    return Check("status", FAILED, "status_revoked", {"reason": reason if isinstance(reason, str) else ""})


def _result(
    checks: list[Check],
    assertion: dict[str, Any],
    badge: dict[str, Any] | None,
    issuer: dict[str, Any] | None,
    env: VerifierEnvironment,
    format: str,
    required: tuple[str, ...],
) -> VerificationResult:
    if env.email:
        checks = [*checks, check_ob2_recipient(assertion, env.email)]
    assertion_id = assertion.get("id")
    result = VerificationResult(
        checks=checks,
        issuer_id=issuer.get("id") if issuer is not None and isinstance(issuer.get("id"), str) else None,
        credential_id=assertion_id if isinstance(assertion_id, str) else None,
        required_checks=required,
        format=format,
    )
    if result.valid and badge is not None and issuer is not None:
        return dataclasses.replace(result, summary=summarize_ob2(assertion, badge, issuer))
    return result


def summarize_ob2(assertion: dict[str, Any], badge: dict[str, Any], issuer: dict[str, Any]) -> BadgeSummary:
    """Read the issuer, the badge and the dates; OB 2.0 names no recipient in plain text."""
    image = badge.get("image")
    image = image.get("id") if isinstance(image, dict) else image
    return BadgeSummary(
        issuer_id=_text(issuer.get("id")),
        issuer_name=_text(issuer.get("name")),
        issuer_url=_web_url(issuer.get("url")),
        badge_name=_text(badge.get("name")),
        badge_description=_text(badge.get("description")),
        badge_image=image if isinstance(image, str) and image.startswith(("https://", "http://")) else None,
        valid_from=_text(assertion.get("issuedOn")),
        valid_until=_text(assertion.get("expires")),
    )


def _signed_failure(check: Check) -> VerificationResult:
    return _rejected(check, SIGNED_ORDER, SIGNED_FORMAT, SIGNED_REQUIRED)


def _hosted_failure(check: Check) -> VerificationResult:
    return _rejected(check, HOSTED_ORDER, HOSTED_FORMAT, HOSTED_REQUIRED)


def _rejected(check: Check, order: tuple[str, ...], format: str, required: tuple[str, ...]) -> VerificationResult:
    checks = [check if code == check.code else _skipped(code, check.code) for code in order]
    return VerificationResult(checks=checks, required_checks=required, format=format)


def _skipped(code: str, prerequisite: str) -> Check:
    return Check(code, SKIPPED, "prerequisite_failed", {"check": prerequisite})


def _web_url(value: Any) -> str | None:
    """Return ``value`` if it is an http(s) URL; a page may link to it, so no other scheme passes."""
    return value if isinstance(value, str) and value.startswith(("https://", "http://")) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
