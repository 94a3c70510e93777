"""The clock, fetcher and key resolvers that the verifier of any badge takes from its caller.

The Open Badges core never opens connections or reads a database, so the
site passes these in (``badges.verification.verifier_environment``) and
tests pass fakes. Both resolvers take the verification method or ``kid``
and the issuer id the credential claims.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from .keys import ResolvedJwsKey, ResolvedKey
from .remote import Fetcher

DEFAULT_MAX_IMAGE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class VerifierEnvironment:
    """Clock, fetcher, key resolvers, the email to check and the input size limit.

    ``resolve_key`` returns the Ed25519 key of a Data Integrity
    verification method and ``resolve_jwk`` the RSA or P-256 key of a JWT
    ``kid``. Both raise ``KeyResolutionError`` or a ``remote`` error.
    ``email``, when set, adds the ``recipient`` check.
    """

    now: datetime
    fetch: Fetcher
    resolve_key: Callable[[str, str | None], ResolvedKey]
    resolve_jwk: Callable[[str, str | None], ResolvedJwsKey]
    email: str | None = None
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES

    def __post_init__(self) -> None:
        if self.now.tzinfo is None or self.now.utcoffset() is None:
            raise ValueError(f"now={self.now.isoformat()} is naive; pass an aware datetime.")
