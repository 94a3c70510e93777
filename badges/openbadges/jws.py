"""Compact JWS (RFC 7515) signing and verification with RSA keys.

Open Badges 2.0 signed assertions and Open Badges 3.0 VC-JWTs are both
compact serialisations ``BASE64URL(header).BASE64URL(payload).BASE64URL(signature)``,
for example a header ``{"alg": "RS256", "kid": "https://…/keys/rsa-1", "typ": "JWT"}``.

Only RS256 and ES256 are accepted when verifying: they are the algorithms
1EdTech's validators accept, and an explicit list is what stops the
``alg: none`` and algorithm-confusion attacks. Signing uses RS256, whose
PKCS#1 v1.5 signatures are deterministic, so the same input always gives
the same token.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey

from .errors import JwsError, JwsSignatureError

SIGNING_ALGORITHM = "RS256"
ACCEPTED_ALGORITHMS = ("RS256", "ES256")
MAX_TOKEN_LENGTH = 1024 * 1024
# joserfc 1.x rejects protected headers over 512 bytes, but a VC-JWT header
# may embed the issuer's public RSA key as a ``jwk`` (about 600 bytes for
# 2048 bits), so verification allows headers up to 8 KiB.
MAX_HEADER_LENGTH = 8192


def _registry(algorithm: str) -> jws.JWSRegistry:
    registry = jws.JWSRegistry(algorithms=[algorithm])
    registry.max_header_length = MAX_HEADER_LENGTH
    return registry


def sign_compact(payload: bytes, *, private_key: rsa.RSAPrivateKey, headers: dict[str, Any]) -> str:
    """Return a compact RS256 JWS of ``payload`` with ``headers`` added to the protected header."""
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise TypeError(f"RS256 needs an RSA private key, got {type(private_key).__name__}.")
    protected = {"alg": SIGNING_ALGORITHM, **headers}
    return jws.serialize_compact(
        protected, payload, RSAKey.import_key(private_key), algorithms=[SIGNING_ALGORITHM]
    )


def decode_unverified(token: str) -> tuple[dict[str, Any], bytes]:
    """Return the header and payload of a compact JWS without checking the signature.

    Use it only to find the key that verifies the token. Raises ``JwsError``
    when the token is not three base64url parts or the header is not a JSON
    object with a string ``alg``.
    """
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise JwsError("The JWS is not a string of at most 1 MiB.", value=str(token)[:80])
    parts = token.strip().split(".")
    if len(parts) != 3 or not parts[0] or not parts[2]:
        raise JwsError(
            "A compact JWS has three base64url parts separated by dots.", value=token[:80]
        )
    try:
        header = json.loads(_b64decode(parts[0]))
        payload = _b64decode(parts[1])
    except (ValueError, UnicodeDecodeError) as error:
        raise JwsError(f"The JWS header or payload is not valid base64url JSON: {error}.", value=token[:80]) from None
    if not isinstance(header, dict) or not isinstance(header.get("alg"), str):
        raise JwsError("The JWS header is not a JSON object with an 'alg' string.", value=parts[0][:80])
    return header, payload


def verify_compact(token: str, *, public_key: Any) -> tuple[dict[str, Any], bytes]:
    """Verify a compact JWS with an RSA or P-256 public key; return (header, payload).

    Raises ``JwsError`` for a malformed token or an algorithm outside
    RS256/ES256 (``none`` included), and ``JwsSignatureError`` when the
    signature does not match.
    """
    header, _payload = decode_unverified(token)
    algorithm = header["alg"]
    if algorithm not in ACCEPTED_ALGORITHMS:
        raise JwsError(
            f"The JWS algorithm {algorithm!r} is not accepted; use one of {list(ACCEPTED_ALGORITHMS)}.",
            value=algorithm,
            params={"algorithm": algorithm},
        )
    key = _import_public_key(public_key, algorithm)
    try:
        result = jws.deserialize_compact(token.strip(), key, algorithms=[algorithm], registry=_registry(algorithm))
    except JoseError as error:
        raise JwsSignatureError(f"The JWS signature does not verify: {error}.", value=token[:80]) from None
    return dict(result.protected), result.payload


def _import_public_key(public_key: Any, algorithm: str):
    if algorithm == "RS256" and isinstance(public_key, rsa.RSAPublicKey):
        return RSAKey.import_key(public_key)
    if algorithm == "ES256" and isinstance(public_key, ec.EllipticCurvePublicKey):
        if not isinstance(public_key.curve, ec.SECP256R1):
            raise JwsError("ES256 needs a P-256 key.", value=public_key.curve.name)
        return ECKey.import_key(public_key)
    raise JwsError(
        f"The key does not match the JWS algorithm {algorithm}.",
        value=type(public_key).__name__,
        params={"algorithm": algorithm},
    )


def _b64decode(part: str) -> bytes:
    if any(character in part for character in "+/="):
        raise ValueError("not base64url without padding")
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
