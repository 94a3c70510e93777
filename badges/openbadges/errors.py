"""Exceptions raised by the Open Badges core.

Every class has a stable snake_case ``code`` that callers can map to a
translated message, the offending ``value`` and a ``params`` dict with the
named values a message needs. The English message names the value and the
rule it broke::

    >>> error = ContextNotBundledError("https://example.org/ctx.json")
    >>> error.code, error.params
    ('context_not_bundled', {'url': 'https://example.org/ctx.json'})

The ``code`` values double as the reason codes of the verification report
in ``verify.py``, so keep them stable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


class OpenBadgesError(Exception):
    """Base class for every error the Open Badges core raises on bad input."""

    code = "openbadges_error"

    def __init__(
        self,
        message: str,
        *,
        value: Any = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.value = value
        self.params = dict(params or {})


class ContextNotBundledError(OpenBadgesError):
    """A JSON-LD context URL that the package does not ship a copy of."""

    code = "context_not_bundled"

    def __init__(self, url: Any) -> None:
        super().__init__(
            f"JSON-LD context {url!r} is not bundled; contexts are never "
            "fetched from the network, so add a copy to "
            "badges/openbadges/contexts/ and map it in loader.CONTEXT_FILES.",
            value=url,
            params={"url": url},
        )
        self.url = url


class UndefinedTermError(OpenBadgesError):
    """Terms or type names that the active JSON-LD context does not define.

    Canonicalisation drops such terms silently, so a signature would not
    cover them.
    """

    code = "undefined_terms"

    def __init__(self, terms: Iterable[str]) -> None:
        term_list = list(terms)
        super().__init__(
            f"Undefined JSON-LD terms or relative IRIs {term_list}: every "
            "property and type name must be defined by the document's "
            "@context, otherwise canonicalisation drops it from the signed "
            "data. Remove them or add a context that defines them.",
            value=term_list,
            params={"terms": term_list},
        )
        self.terms = term_list


class CanonicalizationError(OpenBadgesError):
    """A document that the JSON-LD processor cannot expand or canonicalise."""

    code = "canonicalization_failed"


class InvalidDateTimeError(OpenBadgesError):
    """A timestamp that is not an XSD dateTime with a time zone."""

    code = "invalid_date"


class InvalidMultibaseError(OpenBadgesError):
    """A value that is not base58btc multibase text (a ``z`` prefix)."""

    code = "invalid_multibase"


class InvalidMultikeyError(InvalidMultibaseError):
    """A multibase value that is not a multicodec Ed25519 public key."""

    code = "invalid_multikey"


class ProofError(OpenBadgesError):
    """Base class for a proof that fails verification."""

    code = "proof_invalid"


class ProofMissingError(ProofError):
    """A credential without a ``proof`` to verify."""

    code = "proof_missing"


class MalformedProofError(ProofError):
    """A proof that is not an object or lacks a required property."""

    code = "invalid_proof"


class UnsupportedCryptosuiteError(ProofError):
    """A proof type or cryptosuite this package cannot verify."""

    code = "unsupported_cryptosuite"


class ProofPurposeError(ProofError):
    """A proof made for a purpose other than ``assertionMethod``."""

    code = "invalid_proof_purpose"


class InvalidProofValueError(ProofError):
    """A ``proofValue`` that is not a base58btc multibase 64-byte signature."""

    code = "invalid_proof_value"


class SignatureMismatchError(ProofError):
    """A signature that does not match the document and the key."""

    code = "signature_mismatch"


class KeyResolutionError(ProofError):
    """A verification method that cannot be resolved to a usable key.

    ``detail`` names the rule that failed. Without it, the message states
    that no key is known for the verification method.
    """

    code = "key_not_found"

    def __init__(self, verification_method: Any, detail: str | None = None) -> None:
        explanation = detail or "no key with this id is known to the verifier"
        super().__init__(
            f"Verification method {verification_method!r} could not be resolved to an "
            f"Ed25519 public key: {explanation}.",
            value=verification_method,
            params={"verification_method": verification_method},
        )
        self.verification_method = verification_method


class JwsError(OpenBadgesError):
    """A compact JWS that is malformed or uses an algorithm we do not accept."""

    code = "invalid_jws"


class JwsSignatureError(JwsError):
    """A compact JWS whose signature does not verify with the given key."""

    code = "signature_mismatch"


class VcJwtError(JwsError):
    """A compact JWS that is not a well-formed VC-JWT of an Open Badges 3.0 credential."""

    code = "invalid_vc_jwt"


class VcJwtClaimMissingError(VcJwtError):
    """A VC-JWT that lacks a claim the credential requires (``iss``, ``jti``, ``sub``, ``nbf``, ``exp``)."""

    code = "jwt_claim_missing"


class VcJwtClaimMismatchError(VcJwtError):
    """A VC-JWT claim whose value differs from the credential property it mirrors."""

    code = "jwt_claim_mismatch"


class InvalidJwkError(OpenBadgesError):
    """A JSON Web Key that is not a public RSA or P-256 key."""

    code = "invalid_jwk"


class BakingError(OpenBadgesError):
    """Base class for an image whose baked credential cannot be written or read."""

    code = "baking_failed"


class UnsupportedImageError(BakingError):
    """A file that is neither a PNG nor an SVG image."""

    code = "image_type"


class ImageCorruptError(BakingError):
    """A PNG or SVG file that is truncated, damaged or not well-formed."""

    code = "image_corrupt"


class ImageTooLargeError(BakingError):
    """An image file larger than the size limit for baking or extraction."""

    code = "image_too_large"


class PayloadTooLargeError(BakingError):
    """A baked text chunk or text larger than the limit for one credential."""

    code = "payload_too_large"


class DecompressionBombError(PayloadTooLargeError):
    """A compressed text chunk that inflates past the limit for one credential."""

    code = "decompression_bomb"


class UnsafeSvgError(BakingError):
    """An SVG with a DTD internal subset, entity declarations or external references."""

    code = "svg_unsafe"


class BakedPayloadError(BakingError):
    """A baked text that is not credential JSON, a compact JWS or a URL."""

    code = "payload_invalid"


class NotBakedError(BakingError):
    """An image that contains no Open Badges credential."""

    code = "not_baked"


class MultiplePayloadsError(BakingError):
    """An image that contains more than one Open Badges credential."""

    code = "multiple_payloads"
