"""JSON-LD document loader that serves bundled contexts only.

Contexts are never fetched at run time. A context host that is down or
that returns HTML would otherwise make verification fail, and a changed
remote context would silently change what a signature covers.
PyLD calls the loader with a URL and expects a remote document::

    >>> document_loader("https://www.w3.org/ns/credentials/v2")["documentUrl"]
    'https://www.w3.org/ns/credentials/v2'

The full return value is ``{"contextUrl": None, "documentUrl": url,
"document": {"@context": {...}}}``. Any URL not in ``CONTEXT_FILES`` raises
``ContextNotBundledError``.
"""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from typing import Any

from .errors import ContextNotBundledError

# Context URL -> file in badges/openbadges/contexts/ (sources in its README).
CONTEXT_FILES: dict[str, str] = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://www.w3.org/2018/credentials/v1": "credentials-v1.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-context-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
    "https://w3id.org/openbadges/v2": "openbadges-v2.jsonld",
    "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.jsonld",
    "https://w3id.org/security/multikey/v1": "multikey-v1.jsonld",
    "https://www.w3.org/ns/did/v1": "did-v1.jsonld",
    "https://www.w3.org/ns/credentials/status/v1": "credentials-status-v1.jsonld",
    "https://w3id.org/security/suites/ed25519-2020/v1": "ed25519-signature-2020-v1.jsonld",
}


@functools.lru_cache(maxsize=None)
def _read_context_file(filename: str) -> dict[str, Any]:
    text = resources.files(__package__).joinpath("contexts", filename).read_text("utf-8")
    return json.loads(text)


def is_bundled(url: Any) -> bool:
    """Return whether ``url`` names a context that this package ships."""
    return isinstance(url, str) and url in CONTEXT_FILES


def load_context(url: str) -> dict[str, Any]:
    """Return a private copy of the bundled context document for ``url``.

    The copy keeps the cached original safe from callers that modify it.
    """
    if not is_bundled(url):
        raise ContextNotBundledError(url)
    return copy.deepcopy(_read_context_file(CONTEXT_FILES[url]))


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return ``url``'s bundled context as a PyLD remote document.

    ``options`` is accepted because PyLD passes it, and it is ignored.
    """
    return {"contextUrl": None, "documentUrl": url, "document": load_context(url)}
