"""did:web identifiers and DID documents of our organisations.

An organisation with the slug ``taitopaja`` on ``https://merkit.example.fi``
is ``did:web:merkit.example.fi:issuers:taitopaja``; a verifier resolves it
to ``https://merkit.example.fi/issuers/taitopaja/did.json``. A port in the
base URL is percent-encoded (``127.0.0.1%3A8000``) as did:web requires.
"""
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings

DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


def did_prefix() -> str:
    parts = urlsplit(settings.MERKKIPAJA_BASE_URL)
    host = quote(parts.netloc, safe="")
    path = [segment for segment in parts.path.split("/") if segment]
    return ":".join(["did", "web", host, *path])


def did_for_slug(slug: str) -> str:
    return f"{did_prefix()}:issuers:{slug}"


def slug_for_did(did: str) -> str | None:
    """Return the organisation slug of one of our own DIDs, or None for any other DID."""
    prefix = f"{did_prefix()}:issuers:"
    if not did.startswith(prefix):
        return None
    slug = unquote(did[len(prefix):])
    if not slug or ":" in slug or "/" in slug:
        return None
    return slug


def verification_method_id(slug: str, key_id: str) -> str:
    return f"{did_for_slug(slug)}#{key_id}"


def build_did_document(*, slug: str, keys: list[tuple[str, str]]) -> dict:
    """Build the DID document listing every key ever used, as (key_id, multibase) pairs.

    Retired keys stay listed under ``assertionMethod``: credentials signed
    with them must keep verifying. Revoked keys are left out so that
    third-party verifiers reject what they signed.
    """
    did = did_for_slug(slug)
    methods = [
        {
            "id": f"{did}#{key_id}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": multibase,
        }
        for key_id, multibase in keys
    ]
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }
