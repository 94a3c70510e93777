"""Salted recipient identity hashes (Open Badges IdentityObject).

The hash is the algorithm name, ``$`` and the hex digest of the identity
followed by the salt. The OB 3.0 specification's example is ``a@example.com``
with salt ``Kosher``::

    sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399

Validators hash the email exactly as typed, so a capital letter in the
stored address yields a different hash: normalise emails before hashing.
"""

from __future__ import annotations

import hashlib
import hmac

# md5 is legal in Open Badges 2.0 hashes, so it is accepted when matching
# but never produced.
_MATCH_ALGORITHMS = ("sha256", "md5")
_EMAIL_IDENTITY_TYPES = ("emailAddress", "email")


def normalize_email(email: str) -> str:
    """Return ``email`` stripped of surrounding white space and lower-cased.

    Lower-casing the local part is stricter than RFC 5321 allows, but
    recipients type their address in any case and expect the badge to match.
    """
    return email.strip().lower()


def hash_identity(identity: str, salt: str) -> str:
    """Return ``sha256$`` and the lowercase hex SHA-256 of identity + salt.

    ``identity`` is hashed as given; call ``normalize_email`` first for an
    email address.
    """
    digest = hashlib.sha256((identity + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


def identity_matches(
    identity_hash: str,
    identity: str,
    salt: str | None,
    *,
    identity_type: str = "emailAddress",
) -> bool:
    """Return whether ``identity`` with ``salt`` produces ``identity_hash``.

    Accepts ``sha256$`` and ``md5$`` hashes with hex digits in either case
    and normalises an email identity first. The comparison is constant-time.
    Raises ``ValueError`` for a hash without a supported ``algorithm$``
    prefix, because it cannot be checked at all.
    """
    algorithm, separator, expected_hex = identity_hash.partition("$")
    algorithm = algorithm.lower()
    if not separator or algorithm not in _MATCH_ALGORITHMS:
        raise ValueError(
            f"Identity hash {identity_hash!r} must start with 'sha256$' or 'md5$'."
        )
    if identity_type in _EMAIL_IDENTITY_TYPES:
        identity = normalize_email(identity)

    data = (identity + (salt or "")).encode("utf-8")
    actual_hex = hashlib.new(algorithm, data).hexdigest()
    # Some issuers write upper-case hex, which is still the same digest.
    # Bytes, because compare_digest raises TypeError on non-ASCII text.
    return hmac.compare_digest(actual_hex.encode("ascii"), expected_hex.lower().encode("utf-8"))
