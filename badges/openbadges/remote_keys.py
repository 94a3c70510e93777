"""Resolution of issuer keys that live on other hosts, through a fetcher the caller passes in.

Data Integrity proofs name a ``verificationMethod``; this module turns one
into a ``ResolvedKey`` in one of these ways:

- ``did:key:z6Mk…#z6Mk…``: the key is in the identifier itself.
- ``did:web:host:path#key-1``: the DID document at
  ``https://host/path/did.json`` must list the method under
  ``assertionMethod``.
- ``https://host/keys/1`` or ``https://host/issuer#key-1``: a key document
  (``Multikey`` or ``Ed25519VerificationKey2020`` with a ``controller``)
  or a controller document that lists the method. A key document's
  controller document is fetched too and must list the key under
  ``assertionMethod``, so the key cannot claim a controller on its own.
- ``<issuer id>#z6Mk…`` (1EdTech's convention): the key is read from the
  fragment and nothing is fetched. Only the credential vouches for such a
  key, so it is marked ``asserted_by_credential_only``.

VC-JWT headers name a ``kid``: a URL that returns a JWK (or a JWK Set
holding it), or a DID URL whose method has a ``publicKeyJwk``. A JWK found
at a URL belongs to the issuer only when the URL lies inside the issuer's
own space: under the did:web DID's path, or under the issuer's HTTPS id.
Several issuers can share one host, so the host alone proves nothing.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from .errors import KeyResolutionError
from .keys import (
    absolute_reference,
    as_list,
    DID_KEY_PREFIX,
    DID_WEB_PREFIX,
    ResolvedJwsKey,
    ResolvedKey,
    did_web_document_url,
    lists_assertion_method,
    parse_did_document,
    parse_verification_method,
    resolve_did_key,
    resolve_from_multikey_fragment,
)
from .remote import Fetcher, fetch_json_object
from .vcjwt import public_key_from_jwk

DID_ACCEPT = "application/did+json, application/did+ld+json, application/ld+json, application/json;q=0.9"
JWK_ACCEPT = "application/jwk+json, application/jwk-set+json, application/json;q=0.9"
_MULTIKEY_FRAGMENT_PREFIX = "z6Mk"


def resolve_verification_method(vm_id: str, *, issuer_id: str | None, fetch: Fetcher) -> ResolvedKey:
    """Resolve a Data Integrity verification method by the rules in the module docstring.

    Raises ``KeyResolutionError``, and the ``remote`` errors when a
    document cannot be fetched.
    """
    if not isinstance(vm_id, str):
        raise KeyResolutionError(vm_id, "a verification method must be a string")
    if vm_id.startswith(DID_KEY_PREFIX):
        return resolve_did_key(vm_id)
    if vm_id.startswith(DID_WEB_PREFIX):
        did = vm_id.partition("#")[0]
        return parse_did_document(fetch_did_document(did, fetch), vm_id)
    if not vm_id.startswith(("https://", "http://")):
        raise KeyResolutionError(vm_id, "only did:key, did:web and https verification methods are supported")
    if _is_fragment_convention(vm_id, issuer_id):
        return resolve_from_multikey_fragment(vm_id, issuer_id)
    return _resolve_key_url(vm_id, fetch)


def fetch_did_document(did: str, fetch: Fetcher) -> dict[str, Any]:
    """Fetch a did:web DID document and check that it describes ``did``."""
    document = fetch_json_object(fetch, did_web_document_url(did), accept=DID_ACCEPT)
    if document.get("id") != did:
        raise KeyResolutionError(did, f"the DID document found for it has the id {document.get('id')!r}")
    return document


def resolve_jwk(kid: str, *, issuer_id: str | None, fetch: Fetcher) -> ResolvedJwsKey:
    """Resolve a VC-JWT ``kid`` to a public key, and to the issuer when the key lies in its space.

    Raises ``KeyResolutionError``, ``InvalidJwkError`` and the ``remote`` errors.
    """
    if not isinstance(kid, str) or not kid:
        raise KeyResolutionError(kid, "the JWT header kid must be a non-empty URL")
    if kid.startswith(DID_WEB_PREFIX):
        return _resolve_did_jwk(kid, fetch)
    if not kid.startswith(("https://", "http://")):
        raise KeyResolutionError(kid, "a kid must be an https URL or a did:web URL")
    document = fetch_json_object(fetch, kid.partition("#")[0], accept=JWK_ACCEPT)
    jwk = _select_jwk(document, kid)
    controller = issuer_id if key_url_in_issuer_space(kid, issuer_id) else _origin(kid)
    return ResolvedJwsKey(id=kid, controller=controller, public_key=public_key_from_jwk(jwk))


def key_url_in_issuer_space(url: str, issuer_id: str | None) -> bool:
    """Return whether the key ``url`` lies under the issuer's did:web path or HTTPS id.

    The scheme is not compared, so that a development server on plain HTTP
    counts for its own did:web DIDs.
    """
    if not isinstance(issuer_id, str) or not issuer_id:
        return False
    if issuer_id.startswith(DID_WEB_PREFIX):
        try:
            base = did_web_document_url(issuer_id).removesuffix("did.json").removesuffix(".well-known/")
        except KeyResolutionError:
            return False
    elif issuer_id.startswith(("https://", "http://")):
        base = issuer_id
    else:
        return False
    key_parts, base_parts = urlsplit(url), urlsplit(base)
    if key_parts.netloc.lower() != base_parts.netloc.lower():
        return False
    base_path = base_parts.path.rstrip("/")
    key_path = key_parts.path
    if not base_path:
        return True
    return key_path == base_path or key_path.startswith(base_path + "/")


def _is_fragment_convention(vm_id: str, issuer_id: str | None) -> bool:
    prefix, _separator, fragment = vm_id.partition("#")
    return prefix == issuer_id and fragment.startswith(_MULTIKEY_FRAGMENT_PREFIX)


def _resolve_key_url(vm_id: str, fetch: Fetcher) -> ResolvedKey:
    document_url = vm_id.partition("#")[0]
    document = fetch_json_object(fetch, document_url, accept=DID_ACCEPT)
    if "verificationMethod" in document or "assertionMethod" in document:
        if document.get("id") != document_url:
            raise KeyResolutionError(vm_id, f"the controller document at {document_url} has another id")
        return parse_did_document(document, vm_id)

    key = parse_verification_method(document, vm_id)
    controller_document = _fetch_controller_document(key.controller, fetch)
    if not lists_assertion_method(controller_document, vm_id):
        raise KeyResolutionError(
            vm_id, f"its controller {key.controller!r} does not list it under assertionMethod"
        )
    return key


def _fetch_controller_document(controller: str, fetch: Fetcher) -> dict[str, Any]:
    if controller.startswith(DID_WEB_PREFIX):
        return fetch_did_document(controller, fetch)
    if not controller.startswith(("https://", "http://")):
        raise KeyResolutionError(controller, "a key document's controller must be an https URL or a did:web DID")
    document = fetch_json_object(fetch, controller, accept=DID_ACCEPT)
    if document.get("id") != controller:
        raise KeyResolutionError(controller, "the controller document does not have the controller's URL as its id")
    return document


def _resolve_did_jwk(kid: str, fetch: Fetcher) -> ResolvedJwsKey:
    did = kid.partition("#")[0]
    document = fetch_did_document(did, fetch)
    # parse_did_document checks the assertionMethod listing; its Ed25519
    # decoding does not apply to a JWK, so the method is read here.
    methods = [m for m in as_list(document.get("verificationMethod")) if isinstance(m, dict)]
    method = next((m for m in methods if absolute_reference(m.get("id"), did) == kid), None)
    if method is None or not isinstance(method.get("publicKeyJwk"), dict):
        raise KeyResolutionError(kid, f"the DID document of {did} has no method {kid} with a publicKeyJwk")
    if not lists_assertion_method(document, kid):
        raise KeyResolutionError(kid, f"{did} does not list it under assertionMethod")
    controller = method.get("controller") if isinstance(method.get("controller"), str) else None
    return ResolvedJwsKey(id=kid, controller=controller, public_key=public_key_from_jwk(method["publicKeyJwk"]))


def _select_jwk(document: dict[str, Any], kid: str) -> dict[str, Any]:
    """Return the JWK itself, or the member of a JWK Set whose ``kid`` is the URL or its fragment."""
    if "kty" in document:
        return document
    keys = [key for key in as_list(document.get("keys")) if isinstance(key, dict)]
    fragment = kid.partition("#")[2]
    for key in keys:
        if key.get("kid") in (kid, fragment) and key.get("kid"):
            return key
    raise KeyResolutionError(kid, "the document at this URL is neither a JWK nor a JWK Set containing this kid")


def _origin(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else None
