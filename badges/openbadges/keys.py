"""Resolution of a proof's ``verificationMethod`` to an Ed25519 public key.

``dataintegrity.verify`` takes a ``resolve_key(verification_method_id)``
callable that returns a ``ResolvedKey`` or raises ``KeyResolutionError``.
This module has the resolvers that need no network; the caller composes
them with any that fetch documents. A verification method in a DID
document looks like this::

    {"id": "did:web:example.org#key-1", "type": "Multikey",
     "controller": "did:web:example.org",
     "publicKeyMultibase": "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"}

A verifier must also check that the key's ``controller`` is the
credential's issuer, which ``verify.verify_credential`` does.
``remote_keys`` has the resolvers that fetch did:web documents, HTTPS key
documents and JWKs through a fetcher the caller passes in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from .errors import InvalidMultikeyError, KeyResolutionError
from .multikey import multibase_to_ed25519_public_key

DID_KEY_PREFIX = "did:key:"
DID_WEB_PREFIX = "did:web:"

# Both types carry an Ed25519 key as a z6Mk… multibase value.
_SUPPORTED_METHOD_TYPES = ("Multikey", "Ed25519VerificationKey2020")


@dataclass(frozen=True)
class ResolvedKey:
    """An Ed25519 public key and who controls it.

    ``asserted_by_credential_only`` marks a key that only the credential
    itself vouches for. Such a key proves that the document is intact, but
    not that the issuer made it, because anyone can claim any issuer id.
    """

    id: str
    controller: str
    public_key: bytes
    revoked: bool = False
    revocation_reason: str | None = None
    asserted_by_credential_only: bool = False


@dataclass(frozen=True)
class ResolvedJwsKey:
    """An RSA or P-256 public key (a ``cryptography`` object) for JWS, and who controls it.

    ``controller`` is None when nothing ties the key to any issuer. The
    other fields mean what they mean in ``ResolvedKey``.
    """

    id: str
    controller: str | None
    public_key: Any
    revoked: bool = False
    revocation_reason: str | None = None
    asserted_by_credential_only: bool = False


def did_web_document_url(did: str) -> str:
    """Return the HTTPS URL of a did:web DID document (W3C did:web method).

    ``did:web:example.org:issuers:7`` resolves to
    ``https://example.org/issuers/7/did.json`` and ``did:web:example.org``
    to ``https://example.org/.well-known/did.json``. A port is written
    percent-encoded: ``did:web:example.org%3A8443``. Raises
    ``KeyResolutionError`` for a malformed DID.
    """
    if not isinstance(did, str) or not did.startswith(DID_WEB_PREFIX):
        raise KeyResolutionError(did, "it is not a did:web DID")
    segments = did[len(DID_WEB_PREFIX):].split(":")
    host = unquote(segments[0])
    path = [unquote(segment) for segment in segments[1:]]
    if not host or any(character in host for character in "/?#@") or not all(path):
        raise KeyResolutionError(did, "a did:web DID is a host name and optional path segments separated by ':'")
    if any("/" in segment or segment in (".", "..") for segment in path):
        raise KeyResolutionError(did, "a did:web path segment may not contain '/' or be '.' or '..'")
    if not path:
        return f"https://{host}/.well-known/did.json"
    return f"https://{host}/{'/'.join(path)}/did.json"


def parse_verification_method(method: Any, vm_id: str) -> ResolvedKey:
    """Return the key of a verification method served as a document of its own at ``vm_id``.

    The document's ``id`` must be ``vm_id``. The caller still has to
    confirm with the controller's document that the controller lists the
    method under ``assertionMethod``.
    """
    if not isinstance(method, dict) or method.get("id") != vm_id:
        raise KeyResolutionError(vm_id, "the key document at this URL does not have this URL as its 'id'")
    return _resolved_from_method(method, vm_id, vm_id)


def resolve_from_multikey_fragment(vm_id: str, issuer_id: str) -> ResolvedKey:
    """Resolve 1EdTech's ``<issuer id>#z6Mk…`` convention.

    The key is read from the fragment, and the part before ``#`` must be
    the issuer id. Nothing outside the credential confirms the key, so the
    result has ``asserted_by_credential_only=True``.
    """
    prefix, separator, fragment = _split_fragment(vm_id)
    if not separator or not fragment:
        raise KeyResolutionError(vm_id, "it has no '#z6Mk…' fragment to read the key from")
    if prefix != issuer_id:
        raise KeyResolutionError(vm_id, f"the part before '#' must equal the issuer id {issuer_id!r}")
    return ResolvedKey(
        id=vm_id,
        controller=issuer_id,
        public_key=_decode_key(fragment, vm_id),
        asserted_by_credential_only=True,
    )


def resolve_did_key(vm_id: str) -> ResolvedKey:
    """Resolve a ``did:key:z6Mk…#z6Mk…`` verification method.

    For an Ed25519 did:key the fragment repeats the key, and the DID is the
    controller.
    """
    did, separator, fragment = _split_fragment(vm_id)
    if not did.startswith(DID_KEY_PREFIX):
        raise KeyResolutionError(vm_id, "it is not a did:key URL")
    multibase = did[len(DID_KEY_PREFIX):]
    if not separator or fragment != multibase:
        raise KeyResolutionError(
            vm_id, f"a did:key method must be the DID, '#' and the same key again: {did}#{multibase}"
        )
    return ResolvedKey(id=vm_id, controller=did, public_key=_decode_key(multibase, vm_id))


def parse_did_document(document: dict[str, Any], vm_id: str) -> ResolvedKey:
    """Find ``vm_id`` in a DID or controller document and return its key.

    ``vm_id`` may be absolute or a ``#fragment`` relative to the document
    id. The method must be listed under ``assertionMethod``, by reference
    or embedded there. A method with a ``revoked`` timestamp is returned
    with ``revoked=True``.
    """
    document_id = document.get("id") if isinstance(document, dict) else None
    if not isinstance(document_id, str):
        raise KeyResolutionError(vm_id, "its DID document is not a JSON object with a string 'id'")
    method_id = absolute_reference(vm_id, document_id)

    method = _find_method(document, document_id, method_id)
    if method is None:
        raise KeyResolutionError(vm_id, f"the DID document {document_id!r} has no method {method_id!r}")
    if method_id not in _assertion_method_ids(document, document_id):
        raise KeyResolutionError(
            vm_id, f"{document_id!r} does not list it under assertionMethod, so it may not sign credentials"
        )
    return _resolved_from_method(method, method_id, vm_id)


def lists_assertion_method(document: Any, vm_id: str) -> bool:
    """Return whether a controller document lists ``vm_id`` under ``assertionMethod``.

    The entry may be the id, a ``#fragment`` of the document id, or an
    embedded method with that id.
    """
    document_id = document.get("id") if isinstance(document, dict) else None
    if not isinstance(document_id, str):
        return False
    return absolute_reference(vm_id, document_id) in _assertion_method_ids(document, document_id)


def _resolved_from_method(method: dict[str, Any], method_id: str, vm_id: str) -> ResolvedKey:
    method_type = method.get("type")
    if method_type not in _SUPPORTED_METHOD_TYPES:
        raise KeyResolutionError(
            vm_id, f"its type {method_type!r} is not one of the supported {list(_SUPPORTED_METHOD_TYPES)}"
        )
    controller = method.get("controller")
    if not isinstance(controller, str):
        raise KeyResolutionError(vm_id, "it has no string 'controller'")
    revoked = method.get("revoked")
    return ResolvedKey(
        id=method_id,
        controller=controller,
        public_key=_decode_key(method.get("publicKeyMultibase"), vm_id),
        # NOTE: a revoked timestamp in the future still counts as revoked
        # here, because this parser has no clock.
        revoked=revoked is not None,
        revocation_reason=f"revoked at {revoked}" if revoked is not None else None,
    )


def _find_method(document: dict[str, Any], document_id: str, method_id: str) -> dict[str, Any] | None:
    candidates = as_list(document.get("verificationMethod")) + as_list(document.get("assertionMethod"))
    for candidate in candidates:
        if isinstance(candidate, dict) and absolute_reference(candidate.get("id"), document_id) == method_id:
            return candidate
    return None


def _assertion_method_ids(document: dict[str, Any], document_id: str) -> set[str]:
    ids = set()
    for entry in as_list(document.get("assertionMethod")):
        reference = entry.get("id") if isinstance(entry, dict) else entry
        if isinstance(reference, str):
            ids.add(absolute_reference(reference, document_id))
    return ids


def absolute_reference(reference: Any, document_id: str) -> Any:
    """Resolve a ``#fragment`` reference against the document id."""
    if isinstance(reference, str) and reference.startswith("#"):
        return document_id + reference
    return reference


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _split_fragment(vm_id: Any) -> tuple[str, str, str]:
    if not isinstance(vm_id, str):
        raise KeyResolutionError(vm_id, f"a verification method must be a string, not {type(vm_id).__name__}")
    return vm_id.partition("#")


def _decode_key(multibase: Any, vm_id: str) -> bytes:
    try:
        return multibase_to_ed25519_public_key(multibase)
    except InvalidMultikeyError as exc:
        raise KeyResolutionError(vm_id, str(exc).rstrip(".")) from exc
