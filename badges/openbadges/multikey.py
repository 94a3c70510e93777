"""Multibase (base58btc) and Multikey encoding of Ed25519 public keys.

A Multikey is ``z`` (the multibase prefix for base58btc) followed by the
base58btc encoding of the multicodec prefix ``0xed 0x01`` and the 32-byte
raw public key. Every Ed25519 Multikey therefore starts with ``z6Mk``::

    z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi

A did:key DID is ``did:key:`` followed by the same value. Data Integrity
proof values use the multibase form without a multicodec prefix.
"""

from __future__ import annotations

import base58

from .errors import InvalidMultibaseError, InvalidMultikeyError

BASE58BTC_PREFIX = "z"
ED25519_PUBLIC_KEY_MULTICODEC = b"\xed\x01"
ED25519_PUBLIC_KEY_LENGTH = 32

_BASE58_ALPHABET = frozenset(base58.BITCOIN_ALPHABET.decode("ascii"))


def encode_multibase_base58btc(data: bytes) -> str:
    """Encode ``data`` as base58btc multibase text (``z`` + base58btc)."""
    return BASE58BTC_PREFIX + base58.b58encode(bytes(data)).decode("ascii")


def decode_multibase_base58btc(text: str) -> bytes:
    """Decode base58btc multibase text, raising ``InvalidMultibaseError``."""
    if not isinstance(text, str):
        raise InvalidMultibaseError(
            f"Multibase value must be a string, not {type(text).__name__}.",
            value=text,
        )
    if not text.startswith(BASE58BTC_PREFIX):
        raise InvalidMultibaseError(
            f"Multibase value {text!r} must start with 'z' (base58btc); "
            "other multibase encodings are not supported.",
            value=text,
        )
    encoded = text[len(BASE58BTC_PREFIX):]
    if not encoded:
        raise InvalidMultibaseError(f"Multibase value {text!r} has no data after the 'z' prefix.", value=text)
    # base58.b58decode strips trailing whitespace instead of rejecting it,
    # so the alphabet is checked here.
    invalid = sorted(set(encoded) - _BASE58_ALPHABET)
    if invalid:
        raise InvalidMultibaseError(
            f"Multibase value {text!r} contains characters outside the base58btc alphabet: {invalid}.",
            value=text,
        )
    return base58.b58decode(encoded)


def ed25519_public_key_to_multibase(raw: bytes) -> str:
    """Encode a raw 32-byte Ed25519 public key as a ``z6Mk…`` Multikey."""
    _require_ed25519_length(raw)
    return encode_multibase_base58btc(ED25519_PUBLIC_KEY_MULTICODEC + bytes(raw))


def multibase_to_ed25519_public_key(text: str) -> bytes:
    """Decode a ``z6Mk…`` Multikey into the raw 32-byte Ed25519 public key.

    Raises ``InvalidMultikeyError`` when the value is not base58btc, lacks
    the Ed25519 multicodec prefix or does not hold exactly 32 key bytes.
    """
    try:
        decoded = decode_multibase_base58btc(text)
    except InvalidMultibaseError as exc:
        raise InvalidMultikeyError(str(exc), value=text) from exc
    if not decoded.startswith(ED25519_PUBLIC_KEY_MULTICODEC):
        raise InvalidMultikeyError(
            f"Multikey {text!r} does not start with the Ed25519 public key "
            f"multicodec prefix 0xed01 (found 0x{decoded[:2].hex()}).",
            value=text,
        )
    raw = decoded[len(ED25519_PUBLIC_KEY_MULTICODEC):]
    if len(raw) != ED25519_PUBLIC_KEY_LENGTH:
        raise InvalidMultikeyError(
            f"Multikey {text!r} contains {len(raw)} key bytes, but an Ed25519 public key must be exactly 32.",
            value=text,
        )
    return raw


def did_key_for(raw: bytes) -> str:
    """Return the did:key DID of a raw 32-byte Ed25519 public key."""
    return "did:key:" + ed25519_public_key_to_multibase(raw)


def _require_ed25519_length(raw: bytes) -> None:
    if not isinstance(raw, (bytes, bytearray)):
        raise TypeError(f"Ed25519 public key must be bytes, not {type(raw).__name__}.")
    if len(raw) != ED25519_PUBLIC_KEY_LENGTH:
        raise ValueError(f"Ed25519 public key must be exactly 32 bytes, got {len(raw)}.")
