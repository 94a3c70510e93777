"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (W3C vc-di-eddsa).

``sign`` adds an embedded proof like this one, from the Open Badges 3.0
specification's example, as the only item of a ``proof`` array. 1EdTech's
JSON schema for OpenBadgeCredential requires the array form, and verifiers
accept both forms::

    "proof": [{
      "type": "DataIntegrityProof",
      "created": "2010-01-01T19:23:24Z",
      "verificationMethod": "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
      "cryptosuite": "eddsa-rdfc-2022",
      "proofPurpose": "assertionMethod",
      "proofValue": "z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35HcbgXVEDYHxCzgkCr"
    }]

The signed bytes are SHA-256 of the canonical proof configuration (the
proof options with the document's ``@context``, without ``proofValue``)
followed by SHA-256 of the canonical document without ``proof``. The
signature is Ed25519 over those 64 bytes, in base58btc multibase.

``verify`` also accepts the legacy suite ``Ed25519Signature2020`` (W3C CCG
Ed25519Signature2020), which early Open Badges 3.0 credentials under the
VC Data Model 1.1 carry. It hashes and signs the same way, with
``"type": "Ed25519Signature2020"`` and no ``cryptosuite``; its terms come
from the context ``https://w3id.org/security/suites/ed25519-2020/v1``,
which the credential must list. It is never produced here.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .canonical import canonicalize
from .dates import format_datetime, parse_datetime
from .errors import (
    InvalidDateTimeError,
    InvalidMultibaseError,
    InvalidProofValueError,
    KeyResolutionError,
    MalformedProofError,
    OpenBadgesError,
    ProofError,
    ProofMissingError,
    ProofPurposeError,
    SignatureMismatchError,
    UnsupportedCryptosuiteError,
)
from .keys import ResolvedKey
from .multikey import decode_multibase_base58btc, encode_multibase_base58btc

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
# Early OB 3.0 credentials name the same algorithm "eddsa-2022".
LEGACY_CRYPTOSUITE = "eddsa-2022"
# The suite before Data Integrity, verified but never signed.
LEGACY_PROOF_TYPE = "Ed25519Signature2020"
PROOF_PURPOSE = "assertionMethod"
SIGNATURE_LENGTH = 64

KeyResolver = Callable[[str], ResolvedKey]


@dataclass(frozen=True)
class VerifiedProof:
    """The proof that verified and the key that made it."""

    verification_method: str
    controller: str
    created: datetime | None
    key: ResolvedKey
    legacy_cryptosuite: bool = False
    legacy_proof_type: bool = False


def proof_hashes(document: dict[str, Any], proof_options: dict[str, Any]) -> tuple[bytes, bytes]:
    """Return (proof hash, document hash), the two SHA-256 digests that are signed.

    Raises the canonicalisation errors of ``canonical.canonicalize``.
    """
    proof_config = {key: value for key, value in proof_options.items() if key != "proofValue"}
    proof_config["@context"] = document.get("@context")
    unsecured_document = {key: value for key, value in document.items() if key != "proof"}

    proof_hash = hashlib.sha256(canonicalize(proof_config).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonicalize(unsecured_document).encode("utf-8")).digest()
    return proof_hash, document_hash


def sign(
    document: dict[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
) -> dict[str, Any]:
    """Return a copy of ``document`` with an eddsa-rdfc-2022 proof added.

    Raises ``UndefinedTermError`` before signing when a term is undefined,
    and ``ValueError`` when the document already has a proof or
    ``created`` is naive.
    """
    if "proof" in document:
        raise ValueError("The document already has a proof; sign the unsigned credential instead.")
    proof = {
        "type": PROOF_TYPE,
        "created": format_datetime(created),
        "verificationMethod": verification_method,
        "cryptosuite": CRYPTOSUITE,
        "proofPurpose": PROOF_PURPOSE,
    }
    proof_hash, document_hash = proof_hashes(document, proof)
    signature = private_key.sign(proof_hash + document_hash)

    signed = copy.deepcopy(document)
    signed["proof"] = [{**proof, "proofValue": encode_multibase_base58btc(signature)}]
    return signed


def verify(document: dict[str, Any], *, resolve_key: KeyResolver) -> VerifiedProof:
    """Verify the embedded proof of ``document`` and return what signed it.

    ``proof`` may be one object or a list, in which case one valid proof
    suffices. Raises a ``ProofError`` subclass when no proof verifies; with
    several proofs the error of the first eddsa proof is raised. Also raises
    the canonicalisation errors of ``canonical.canonicalize``.
    """
    if not isinstance(document, dict):
        raise TypeError(f"Expected the credential as a dict, got {type(document).__name__}.")
    proofs = document.get("proof")
    if proofs is None or proofs == []:
        raise ProofMissingError("The credential has no 'proof'; only signed credentials can be verified.")

    errors: list[ProofError] = []
    for proof in proofs if isinstance(proofs, list) else [proofs]:
        try:
            return _verify_one(document, proof, resolve_key)
        except ProofError as exc:
            errors.append(exc)
    raise _most_relevant(errors)


def _verify_one(document: dict[str, Any], proof: Any, resolve_key: KeyResolver) -> VerifiedProof:
    suite = _check_proof_options(proof)
    verification_method = proof["verificationMethod"]
    created = _parse_created(proof)
    signature = _decode_proof_value(proof.get("proofValue"))
    key = _resolve(resolve_key, verification_method)

    proof_hash, document_hash = proof_hashes(document, proof)
    try:
        public_key = Ed25519PublicKey.from_public_bytes(key.public_key)
        public_key.verify(signature, proof_hash + document_hash)
    except InvalidSignature as exc:
        raise SignatureMismatchError(
            f"The proof signature does not match the credential and the key of "
            f"{verification_method!r}: the credential was changed after signing, "
            "or another key signed it.",
            value=verification_method,
        ) from exc
    return VerifiedProof(
        verification_method=verification_method,
        controller=key.controller,
        created=created,
        key=key,
        legacy_cryptosuite=suite == LEGACY_CRYPTOSUITE,
        legacy_proof_type=suite == LEGACY_PROOF_TYPE,
    )


def _check_proof_options(proof: Any) -> str:
    """Check type, cryptosuite, purpose and method; return the suite: a cryptosuite or the legacy proof type."""
    if not isinstance(proof, dict):
        raise MalformedProofError(
            f"A proof must be a JSON object, not {type(proof).__name__}.",
            value=type(proof).__name__,
            params={"field": "proof"},
        )
    proof_type = proof.get("type")
    cryptosuite = proof.get("cryptosuite")
    if proof_type == LEGACY_PROOF_TYPE and cryptosuite is None:
        _check_purpose_and_method(proof)
        return LEGACY_PROOF_TYPE
    if proof_type != PROOF_TYPE:
        raise UnsupportedCryptosuiteError(
            f"Proof type {proof_type!r} is not supported; expected {PROOF_TYPE!r} with cryptosuite {CRYPTOSUITE!r}.",
            value=proof_type,
            params={"cryptosuite": proof_type},
        )
    if cryptosuite not in (CRYPTOSUITE, LEGACY_CRYPTOSUITE):
        raise UnsupportedCryptosuiteError(
            f"Cryptosuite {cryptosuite!r} is not supported; expected {CRYPTOSUITE!r}.",
            value=cryptosuite,
            params={"cryptosuite": cryptosuite},
        )
    _check_purpose_and_method(proof)
    return cryptosuite


def _check_purpose_and_method(proof: dict[str, Any]) -> None:
    purpose = proof.get("proofPurpose")
    if purpose != PROOF_PURPOSE:
        raise ProofPurposeError(
            f"Proof purpose {purpose!r} is not {PROOF_PURPOSE!r}, the purpose for issuing credentials.",
            value=purpose,
            params={"proof_purpose": purpose},
        )
    if not isinstance(proof.get("verificationMethod"), str):
        raise MalformedProofError(
            "The proof has no string 'verificationMethod' naming the signing key.",
            value=proof.get("verificationMethod"),
            params={"field": "verificationMethod"},
        )


def _parse_created(proof: dict[str, Any]) -> datetime | None:
    if "created" not in proof:
        return None
    try:
        return parse_datetime(proof["created"])
    except InvalidDateTimeError as exc:
        raise MalformedProofError(
            f"Proof 'created' is invalid: {exc}", value=proof["created"], params={"field": "created"}
        ) from exc


def _decode_proof_value(proof_value: Any) -> bytes:
    try:
        signature = decode_multibase_base58btc(proof_value)
    except InvalidMultibaseError as exc:
        raise InvalidProofValueError(f"Invalid proofValue: {exc}", value=proof_value) from exc
    if len(signature) != SIGNATURE_LENGTH:
        raise InvalidProofValueError(
            f"proofValue {proof_value!r} decodes to {len(signature)} bytes; an Ed25519 signature has 64.",
            value=proof_value,
        )
    return signature


def _resolve(resolve_key: KeyResolver, verification_method: str) -> ResolvedKey:
    """Call the caller's resolver and check that it returned a usable key.

    ValueError, LookupError and this package's own errors from the resolver
    become KeyResolutionError. Anything else, such as a database outage, is
    not a property of the credential and propagates.
    """
    try:
        key = resolve_key(verification_method)
    except KeyResolutionError:
        raise
    except (OpenBadgesError, ValueError, LookupError) as exc:
        raise KeyResolutionError(verification_method, str(exc).rstrip(".")) from exc
    if not isinstance(key, ResolvedKey) or len(key.public_key) != 32:
        raise KeyResolutionError(verification_method, "the key resolver returned no 32-byte Ed25519 key")
    return key


def _most_relevant(errors: list[ProofError]) -> ProofError:
    """Pick the error to report when no proof verified.

    A failed eddsa proof is more informative than a suite we do not support.
    """
    for error in errors:
        if not isinstance(error, UnsupportedCryptosuiteError):
            return error
    return errors[0]
