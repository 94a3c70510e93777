"""Open Badges 3.0 credentials as VC-JWTs, checked end to end.

Checks, in order:

    schema, structure, proof, issuer_key, jwt_claims, status, valid_from, valid_until, recipient

schema, structure, issuer_key, status, the dates and recipient mean what
they mean for a credential with an embedded proof (``verify_ob3``). The
JWT-specific reason codes:

proof
    ``ok`` {verification_method}: the signature verified with the key of
    the header's ``kid`` (or ``"jwk"`` for a key in the header).
    ``unsigned_jwt``: ``alg`` is ``none``, so the token has no signature.
    ``unsupported_algorithm`` {algorithm}: not RS256 or ES256, the
    algorithms 1EdTech's validator accepts.
    ``invalid_vc_jwt``: the header or payload breaks the VC-JWT rules, for
    example with extra header members, no ``kid`` or ``jwk``, or a payload
    that is not a credential. ``invalid_jws``: the token is not a
    well-formed compact JWS.
    ``key_not_found`` {verification_method}: the ``kid`` could not be
    resolved to a key.
    ``invalid_jwk``: the key is not a public RSA or P-256 key, or does not
    fit the algorithm.
    ``signature_mismatch``: the token was changed or another key signed it.

issuer_key
    ``key_asserted_by_credential`` (warning) for a ``jwk`` in the header:
    the token is intact, but anyone can put a key there, so the issuer is
    not proven.

jwt_claims
    ``ok``; ``jwt_claim_missing`` {claim} and ``jwt_claim_mismatch``
    {claim}: ``iss``, ``jti``, ``sub``, ``nbf`` and ``exp`` must mirror
    the credential's issuer id, id, subject id, validFrom and validUntil.
    ``prerequisite_failed`` {check} (skipped) when the proof did not verify.

When ``alg`` is rejected, nothing else in the token is read: every other
check is skipped with ``prerequisite_failed`` {check: "proof"}.
"""

from __future__ import annotations

from typing import Any

from . import jws, vcjwt
from .environment import VerifierEnvironment
from .errors import JwsSignatureError, OpenBadgesError
from .inputs import peek_jws
from .keys import ResolvedJwsKey
from .recipient_check import check_ob3_recipient
from .schema import check_schema
from .status_check import check_credential_status
from .verify import (
    FAILED,
    PASSED,
    SKIPPED,
    WARNING,
    Check,
    VerificationResult,
    check_issuer_key,
    check_structure,
    check_valid_from,
    check_valid_until,
    data_model_of,
    issuer_id_of,
)
from .verify_ob3 import with_summary

FORMAT = "ob3-jwt"
REQUIRED_CHECKS = ("structure", "proof", "issuer_key", "jwt_claims", "valid_from")
_CHECK_ORDER = (
    "schema", "structure", "proof", "issuer_key", "jwt_claims", "status", "valid_from", "valid_until",
)


def verify_vc_jwt_token(token: str, env: VerifierEnvironment) -> VerificationResult:
    """Verify a VC-JWT and return every check; bad input becomes failed checks, never an exception."""
    header, _payload = peek_jws(token)
    algorithm = header.get("alg")
    if algorithm not in jws.ACCEPTED_ALGORITHMS:
        return _rejected(_algorithm_check(algorithm))

    try:
        header, credential, claims = vcjwt.decode_vc_jwt(token)
    except OpenBadgesError as error:
        return _rejected(Check("proof", FAILED, _code(error, "invalid_vc_jwt"), {}))

    issuer_id = issuer_id_of(credential)
    data_model = data_model_of(credential)
    proof, key = _check_signature(token, header, issuer_id, env)
    proof_verified = proof.outcome in (PASSED, WARNING)
    checks = [
        check_schema(credential, applicable=not data_model.legacy),
        check_structure(credential, data_model),
        proof,
        check_issuer_key(key, issuer_id),
        _check_claims(credential, claims) if proof_verified else _skipped("jwt_claims"),
        check_credential_status(credential, fetch=env.fetch, resolve_key=env.resolve_key)
        if proof_verified
        else _skipped("status"),
        check_valid_from(credential, env.now, data_model),
        check_valid_until(credential, env.now, data_model),
    ]
    if env.email:
        checks.append(check_ob3_recipient(credential, env.email))
    result = VerificationResult(
        checks=checks,
        issuer_id=issuer_id,
        credential_id=credential.get("id") if isinstance(credential.get("id"), str) else None,
        required_checks=REQUIRED_CHECKS,
        format=FORMAT,
    )
    return with_summary(result, credential)


def _algorithm_check(algorithm: Any) -> Check:
    if not isinstance(algorithm, str) or algorithm.lower() == "none":
        return Check("proof", FAILED, "unsigned_jwt")
    return Check("proof", FAILED, "unsupported_algorithm", {"algorithm": algorithm})


def _check_signature(
    token: str, header: dict[str, Any], issuer_id: str | None, env: VerifierEnvironment
) -> tuple[Check, ResolvedJwsKey | None]:
    """Resolve the key named by the header and verify the signature; also return the key."""
    kid = header.get("kid")
    try:
        if kid is not None:
            key = env.resolve_jwk(kid, issuer_id)
        else:
            key = ResolvedJwsKey(
                id="jwk",
                controller=issuer_id,
                public_key=vcjwt.public_key_from_jwk(header.get("jwk")),
                asserted_by_credential_only=True,
            )
    except (OpenBadgesError, ValueError, LookupError) as error:
        reason = "invalid_jwk" if _code(error, "") == "invalid_jwk" else "key_not_found"
        params = {"verification_method": kid} if reason == "key_not_found" else {}
        return Check("proof", FAILED, reason, params), None

    try:
        jws.verify_compact(token, public_key=key.public_key)
    except JwsSignatureError:
        return Check("proof", FAILED, "signature_mismatch"), key
    except OpenBadgesError:
        # The key's type does not fit the algorithm (an RSA key for ES256).
        return Check("proof", FAILED, "invalid_jwk"), key
    return Check("proof", PASSED, "ok", {"verification_method": kid or "jwk"}), key


def _check_claims(credential: dict[str, Any], claims: dict[str, Any]) -> Check:
    problems = vcjwt.check_vc_jwt_claims(credential, claims)
    if not problems:
        return Check("jwt_claims", PASSED, "ok")
    first = problems[0]
    return Check("jwt_claims", FAILED, first.code, {"claim": first.params.get("claim")})


def _rejected(proof: Check) -> VerificationResult:
    checks = [proof if code == "proof" else _skipped(code) for code in _CHECK_ORDER]
    return VerificationResult(checks=checks, required_checks=REQUIRED_CHECKS, format=FORMAT)


def _skipped(code: str) -> Check:
    return Check(code, SKIPPED, "prerequisite_failed", {"check": "proof"})


def _code(error: Exception, default: str) -> str:
    return getattr(error, "code", default) or default
