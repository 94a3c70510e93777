"""Secrets handed to earners: link tokens and typable claim codes, and their hashes.

A claim code has 10 characters from an alphabet without the look-alikes
0/O, 1/I/L, printed in groups as ``ABCD-EFGH-JK``: 31**10 (about 2**49)
codes. Typing is forgiving: case, spaces and dashes do not matter.
"""
import hashlib
import secrets

from django.utils.crypto import salted_hmac

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
CODE_GROUPS = (4, 4, 2)
_CODE_HMAC_SALT = "merkkipaja.earners.claim-code"
_RATE_HMAC_SALT = "merkkipaja.earners.rate-limit"


def token_new() -> str:
    """Return a new random URL-safe link token (256 bits)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    # A plain SHA-256 is enough: the token has 256 random bits, so it
    # cannot be guessed from its hash.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def code_new() -> str:
    """Return a new claim code in its printed form, for example ``ABCD-EFGH-JK``."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return code_format(raw)


def code_format(raw: str) -> str:
    parts, start = [], 0
    for size in CODE_GROUPS:
        parts.append(raw[start:start + size])
        start += size
    return "-".join(parts)


def code_normalize(text: str) -> str | None:
    """Return the code's 10 characters in upper case, or None when it cannot be a claim code."""
    raw = "".join(character for character in (text or "").upper() if character not in " -\t")
    if len(raw) != CODE_LENGTH or any(character not in CODE_ALPHABET for character in raw):
        return None
    return raw


def code_hash(raw: str) -> str:
    # Keyed, unlike token_hash: 49 bits could be brute-forced from a
    # leaked table if the hash were unkeyed.
    # NOTE: the key is derived from SECRET_KEY, so after a SECRET_KEY change
    # stored codes are not found until code_hash is recomputed from encrypted_code.
    return salted_hmac(_CODE_HMAC_SALT, raw, algorithm="sha256").hexdigest()


def rate_key(scope: str, source: str) -> str:
    return salted_hmac(_RATE_HMAC_SALT, f"{scope}:{source}", algorithm="sha256").hexdigest()
