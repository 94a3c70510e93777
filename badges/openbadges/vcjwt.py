"""Open Badges 3.0 credentials as VC-JWTs: a compact RS256 JWS whose payload is the credential.

The JOSE header has ``alg``, ``kid`` and ``typ`` and nothing else, because
Open Badges 3.0 allows no other header members. ``kid`` is a URL that
returns the issuer's public key as a JWK. The payload is the credential
with the JWT claims that mirror it, as NumericDate seconds for the dates::

    header  {"alg":"RS256","kid":"https://merkit.example.fi/issuers/taitopaja/keys/rsa-1.jwk","typ":"JWT"}
    payload {"@context":[…],"id":"https://merkit.example.fi/credentials/6f1c…",
             "issuer":{"id":"did:web:merkit.example.fi:issuers:taitopaja",…},
             "validFrom":"2026-12-04T10:00:00Z","credentialSubject":{"id":"urn:uuid:…",…},…,
             "iss":"did:web:merkit.example.fi:issuers:taitopaja","jti":"https://merkit.example.fi/credentials/6f1c…",
             "sub":"urn:uuid:…","nbf":1796378400}

``exp`` mirrors ``validUntil`` when the credential has one. Early OB 3.0
tokens (VCDM 1.1) put the credential in a ``vc`` claim and mirror
``issuanceDate``/``expirationDate``; ``decode_vc_jwt`` reads both layouts.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, rsa

from .dates import parse_datetime
from .errors import (
    InvalidDateTimeError,
    InvalidJwkError,
    VcJwtClaimMismatchError,
    VcJwtClaimMissingError,
    VcJwtError,
)
from .jws import decode_unverified, sign_compact, verify_compact

# RFC 7519 section 4.1. A VCDM 2.0 credential has none of these names at
# its top level, so they separate the claims from the credential.
REGISTERED_CLAIMS = ("iss", "sub", "aud", "exp", "nbf", "iat", "jti")
HEADER_MEMBERS = frozenset({"alg", "kid", "jwk", "typ"})
# Members that only a private JWK has (RFC 7518 section 6.2.2 and 6.3.2).
PRIVATE_JWK_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth"})


def encode_vc_jwt(credential: Mapping[str, Any], *, private_key: rsa.RSAPrivateKey, kid: str) -> str:
    """Sign ``credential`` as a VC-JWT with an RSA key whose public JWK is served at ``kid``.

    Raises ``VcJwtError`` when the credential lacks a value that a required
    claim mirrors: ``issuer.id``, ``id``, ``credentialSubject.id`` or
    ``validFrom``.
    """
    if not isinstance(kid, str) or not kid:
        raise ValueError("kid must be the URL of the signing key's public JWK.")
    clashes = [name for name in REGISTERED_CLAIMS if name in credential]
    if clashes:
        raise VcJwtError(
            f"The credential already has the top-level JWT claim names {clashes}; "
            "pass the credential without JWT claims.",
            value=clashes,
        )
    payload = {**credential, **_expected_claims(credential, strict=True)}
    payload_bytes = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return sign_compact(payload_bytes, private_key=private_key, headers={"kid": kid, "typ": "JWT"})


def decode_vc_jwt(token: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Split a VC-JWT into (header, credential, claims) WITHOUT checking the signature.

    Use the header's ``kid`` or ``jwk`` to find the key, then call
    ``verify_vc_jwt``. ``claims`` contains the registered JWT claims that
    are present. Raises ``JwsError`` for a malformed token and ``VcJwtError``
    when the header breaks the Open Badges 3.0 rules or the payload is not
    a credential.
    """
    header, payload_bytes = decode_unverified(token)
    _check_header(header)
    try:
        payload = json.loads(payload_bytes)
    except (ValueError, UnicodeDecodeError) as error:
        raise VcJwtError(f"The VC-JWT payload is not JSON: {error}.", value=token[:80]) from None
    if not isinstance(payload, dict):
        raise VcJwtError("The VC-JWT payload is not a JSON object.", value=token[:80])

    if isinstance(payload.get("vc"), dict) and "@context" not in payload:
        # VCDM 1.1 layout: the credential is the value of the vc claim.
        claims = {name: value for name, value in payload.items() if name != "vc"}
        return header, payload["vc"], claims
    credential = {name: value for name, value in payload.items() if name not in REGISTERED_CLAIMS}
    claims = {name: value for name, value in payload.items() if name in REGISTERED_CLAIMS}
    return header, credential, claims


def verify_vc_jwt(token: str, *, public_key: Any) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Check the signature of a VC-JWT and return (header, credential, claims).

    The caller resolves ``public_key`` from the header (``kid`` URL or
    ``jwk``) and checks the claims with ``check_vc_jwt_claims``. Raises
    ``JwsSignatureError`` when the signature does not match, and the errors
    of ``decode_vc_jwt`` and ``jws.verify_compact`` otherwise.
    """
    decoded = decode_vc_jwt(token)
    verify_compact(token, public_key=public_key)
    return decoded


def check_vc_jwt_claims(credential: Mapping[str, Any], claims: Mapping[str, Any]) -> list[VcJwtError]:
    """Return one error per claim that does not mirror the credential; an empty list means all match.

    ``iss``, ``jti``, ``sub`` and ``nbf`` are required. ``exp`` is required
    when the credential has an end of validity and must be absent when it
    has none. Dates compare in whole seconds.
    """
    problems: list[VcJwtError] = []
    expected = _expected_claims(credential, strict=False)
    for claim in ("iss", "jti", "sub", "nbf", "exp"):
        wanted = expected.get(claim)
        if claim not in claims:
            if wanted is not None:
                problems.append(_missing(claim, wanted))
            elif claim != "exp":
                problems.append(_missing(claim, None))
            continue
        actual = claims[claim]
        if claim in ("nbf", "exp"):
            matches = _same_second(actual, wanted)
        else:
            matches = wanted is not None and actual == wanted
        if not matches:
            problems.append(_mismatch(claim, wanted, actual))
    return problems


def public_jwk(public_key: rsa.RSAPublicKey, *, kid: str) -> dict[str, str]:
    """Return the RS256 public JWK (RFC 7517) of an RSA key, with ``kid`` as its key id."""
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise TypeError(f"An RS256 JWK needs an RSA public key, got {type(public_key).__name__}.")
    numbers = public_key.public_numbers()
    return {
        "kty": "RSA",
        "n": _b64_uint(numbers.n),
        "e": _b64_uint(numbers.e),
        "alg": "RS256",
        "use": "sig",
        "kid": kid,
    }


def public_key_from_jwk(jwk: Any) -> rsa.RSAPublicKey | ec.EllipticCurvePublicKey:
    """Load a public RSA or P-256 key from a JWK, as a verifier fetches it from a ``kid`` URL.

    Raises ``InvalidJwkError`` for anything else, including a JWK that
    carries private key members.
    """
    if not isinstance(jwk, Mapping):
        raise InvalidJwkError("The JWK is not a JSON object.", value=str(jwk)[:80])
    private_members = sorted(PRIVATE_JWK_MEMBERS & set(jwk))
    if private_members:
        raise InvalidJwkError(
            f"The JWK contains the private key members {private_members}; a verification key "
            "must be public only.",
            value=private_members,
        )
    key_type = jwk.get("kty")
    try:
        if key_type == "RSA":
            return rsa.RSAPublicNumbers(_uint(jwk, "e"), _uint(jwk, "n")).public_key()
        if key_type == "EC" and jwk.get("crv") == "P-256":
            numbers = ec.EllipticCurvePublicNumbers(_uint(jwk, "x"), _uint(jwk, "y"), ec.SECP256R1())
            return numbers.public_key()
    except ValueError as error:
        raise InvalidJwkError(f"The {key_type} JWK is not a valid public key: {error}.", value=key_type) from None
    raise InvalidJwkError(
        f"The JWK has kty {key_type!r} and crv {jwk.get('crv')!r}; only RSA and EC P-256 keys verify "
        "RS256 and ES256 signatures.",
        value=key_type,
    )


def _check_header(header: dict[str, Any]) -> None:
    extra = sorted(set(header) - HEADER_MEMBERS)
    if extra:
        raise VcJwtError(
            f"The VC-JWT header has the members {extra}; Open Badges 3.0 allows only "
            f"{sorted(HEADER_MEMBERS)}.",
            value=extra,
        )
    if "typ" in header and header["typ"] != "JWT":
        raise VcJwtError(f"The VC-JWT header typ is {header['typ']!r}; it must be 'JWT' when present.", value=header["typ"])
    if "kid" not in header and "jwk" not in header:
        raise VcJwtError("The VC-JWT header has neither kid nor jwk, so no key can verify it.", value=None)
    if "kid" in header and not (isinstance(header["kid"], str) and header["kid"]):
        raise VcJwtError("The VC-JWT header kid must be a non-empty URI.", value=header["kid"])
    if "jwk" in header and not isinstance(header["jwk"], dict):
        raise VcJwtError("The VC-JWT header jwk must be a JSON object.", value=str(header["jwk"])[:80])


def _expected_claims(credential: Mapping[str, Any], *, strict: bool) -> dict[str, Any]:
    """Return the claim values that mirror ``credential``; None where the credential has no value.

    With ``strict`` a missing or unreadable source value raises
    ``VcJwtError`` (signing); without it the value is None (checking).
    """
    issuer = credential.get("issuer")
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    sources = {
        "iss": ("issuer.id", issuer.get("id") if isinstance(issuer, Mapping) else issuer),
        "jti": ("id", credential.get("id")),
        "sub": ("credentialSubject.id", subject.get("id") if isinstance(subject, Mapping) else None),
        "nbf": ("validFrom", credential.get("validFrom", credential.get("issuanceDate"))),
        "exp": ("validUntil", credential.get("validUntil", credential.get("expirationDate"))),
    }
    claims: dict[str, Any] = {}
    for claim, (source, value) in sources.items():
        if value is None:
            if strict and claim != "exp":
                raise VcJwtError(
                    f"The credential has no {source}, which the required JWT claim {claim} mirrors.",
                    value=source,
                    params={"claim": claim, "property": source},
                )
            continue
        if claim in ("nbf", "exp"):
            value = _numeric_date(value, source, strict=strict)
        claims[claim] = value
    return claims


def _numeric_date(text: Any, source: str, *, strict: bool) -> int | None:
    try:
        return math.floor(parse_datetime(text).timestamp())
    except InvalidDateTimeError as error:
        if strict:
            raise VcJwtError(f"The credential's {source} cannot become a NumericDate: {error}", value=text) from None
        return None


def _same_second(actual: Any, expected: int | None) -> bool:
    # NumericDate may be fractional (RFC 7519 section 2); bool is an int in Python.
    if expected is None or isinstance(actual, bool) or not isinstance(actual, (int, float)):
        return False
    return math.isfinite(actual) and math.floor(actual) == expected


def _missing(claim: str, expected: Any) -> VcJwtClaimMissingError:
    if expected is None:
        message = f"The VC-JWT has no {claim} claim, and the credential has no value for it either; {claim} is required."
    else:
        message = f"The VC-JWT has no {claim} claim; it must be {expected!r} to mirror the credential."
    return VcJwtClaimMissingError(message, value=claim, params={"claim": claim, "expected": expected})


def _mismatch(claim: str, expected: Any, actual: Any) -> VcJwtClaimMismatchError:
    return VcJwtClaimMismatchError(
        f"The VC-JWT claim {claim} is {actual!r}, but the credential gives {expected!r}.",
        value=actual,
        params={"claim": claim, "expected": expected, "actual": actual},
    )


def _b64_uint(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8 or 1, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _uint(jwk: Mapping[str, Any], member: str) -> int:
    text = jwk.get(member)
    if not isinstance(text, str) or not text or any(character in text for character in "+/="):
        raise ValueError(f"member {member!r} is not base64url text")
    return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")
