"""RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD credentials.

``canonicalize`` returns the canonical N-Quads that Data Integrity proofs
hash, one sorted statement per line, for example::

    <http://example.com/credentials/3527> <https://schema.org/name> "Teamwork Badge" .

PyLD 3.3 accepts a ``safe`` option but ignores it, so a property or type
name that no context defines disappears from the N-Quads without an error,
and a signature would not cover it. ``find_undefined_terms`` performs the
safe-mode check instead, and ``canonicalize`` refuses a document that
fails it.
"""

from __future__ import annotations

import re
from typing import Any

from pyld import jsonld
from pyld.canon import URDNA2015

from .errors import CanonicalizationError, ContextNotBundledError, UndefinedTermError
from .loader import document_loader, is_bundled

# URDNA2015 is the algorithm that W3C standardised as RDFC-1.0. PyLD's
# default base IRI would turn relative values into example.org IRIs, so
# base None keeps them relative and the safe-mode check reports them.
_NORMALIZE_OPTIONS = {
    "algorithm": "URDNA2015",
    "format": "application/n-quads",
    "documentLoader": document_loader,
    "base": None,
}
_EXPAND_OPTIONS = {"documentLoader": document_loader, "base": None}
_TO_RDF_OPTIONS = {"documentLoader": document_loader, "base": None, "produceGeneralizedRdf": False}

# RDFC-1.0 is exponential on "poison" graphs: many blank nodes that look
# alike force the N-degree hash through every permutation of them. An
# ordinary credential needs no N-degree hashing at all, so a small budget
# stops a hostile document on /verify long before it costs real time.
# Digital Bazaar's rdf-canonize caps the same step for the same reason.
MAX_DEEP_ITERATIONS = 1000

# Errors PyLD raises on malformed input. Besides its own JsonLdError it lets
# Python errors escape on some shapes it does not expect.
_PYLD_ERRORS = (jsonld.JsonLdError, TypeError, ValueError, KeyError, AttributeError, IndexError, RecursionError)

# An absolute IRI starts with a scheme (RFC 3987). Blank node ids start with "_:".
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")

_NULL_MAPPED_TERM = "(term mapped to null)"


def canonicalize(document: dict[str, Any]) -> str:
    """Canonicalise ``document`` into RDFC-1.0 N-Quads.

    Raises ``ContextNotBundledError`` for a context this package does not
    ship, ``UndefinedTermError`` when a term would be dropped and
    ``CanonicalizationError`` when PyLD rejects the document.
    """
    undefined = find_undefined_terms(document)
    if undefined:
        raise UndefinedTermError(undefined)
    try:
        dataset = jsonld.to_rdf(document, dict(_TO_RDF_OPTIONS))
        return _BoundedURDNA2015(MAX_DEEP_ITERATIONS).main(dataset, {"format": "application/n-quads"})
    except _PYLD_ERRORS as exc:
        raise _from_pyld_error(exc) from exc


class _BoundedURDNA2015(URDNA2015):
    """PyLD's RDFC-1.0 with a limit on N-degree hashing steps."""

    def __init__(self, max_deep_iterations: int):
        super().__init__()
        self._budget = max_deep_iterations

    def hash_n_degree_quads(self, id_, issuer):
        self._budget -= 1
        if self._budget < 0:
            raise CanonicalizationError(
                "The document's blank nodes are too many and too alike to canonicalise "
                "in reasonable time; a badge credential never needs this.",
                value="too_complex",
            )
        return super().hash_n_degree_quads(id_, issuer)


def find_undefined_terms(document: dict[str, Any]) -> list[str]:
    """Return the names that JSON-LD expansion of ``document`` would drop.

    The sorted list contains three kinds of names. The first are properties
    with no IRI mapping. The second are ``@type`` values that stay relative
    IRIs, such as a type name that no context defines. The third are
    ``@id`` values that stay relative, because RDF conversion drops those
    nodes. Raises ``ContextNotBundledError`` for an unknown context and
    ``CanonicalizationError`` when PyLD rejects the document.
    """
    if not isinstance(document, dict):
        # PyLD would treat a string as a URL to fetch and a list as several
        # documents, but a credential is always one JSON object.
        raise CanonicalizationError(
            f"A JSON-LD document must be a JSON object, not {type(document).__name__}.",
            value=type(document).__name__,
        )
    require_bundled_contexts(document)
    dropped: list[str | None] = []
    try:
        expanded = jsonld.expand(document, dict(_EXPAND_OPTIONS), on_property_dropped=dropped.append)
    except _PYLD_ERRORS as exc:
        raise _from_pyld_error(exc) from exc

    undefined = {name for name in dropped if name is not None}
    if None in dropped:
        # PyLD reports None both for a key in keyword form ("@foo") and for
        # a term that a context maps to null. Only the first can be named.
        undefined.update(_keyword_like_keys(document) or [_NULL_MAPPED_TERM])
    undefined.update(_relative_iris(expanded))
    return sorted(undefined)


def require_bundled_contexts(document: Any) -> None:
    """Raise ``ContextNotBundledError`` for the first context URL not bundled.

    Checked before PyLD runs because PyLD caches resolved contexts per
    process by URL: a context that another caller loaded from elsewhere
    would otherwise be reused without reaching our document loader.
    """
    for url in _context_urls(document, inside_context=False):
        if not is_bundled(url):
            raise ContextNotBundledError(url)


def _context_urls(value: Any, *, inside_context: bool) -> list[str]:
    """Return every context URL in ``value``, including nested and scoped ones."""
    urls: list[str] = []
    if isinstance(value, list):
        for item in value:
            urls.extend(_context_urls(item, inside_context=inside_context))
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "@context":
                urls.extend(_context_reference_urls(item))
            elif inside_context and key == "@import" and isinstance(item, str):
                urls.append(item)
            else:
                urls.extend(_context_urls(item, inside_context=inside_context))
    return urls


def _context_reference_urls(context: Any) -> list[str]:
    """Return the URLs in a ``@context`` value: a string, an object or a list."""
    entries = context if isinstance(context, list) else [context]
    urls: list[str] = []
    for entry in entries:
        if isinstance(entry, str):
            urls.append(entry)
        elif isinstance(entry, dict):
            urls.extend(_context_urls(entry, inside_context=True))
    return urls


def _keyword_like_keys(value: Any) -> set[str]:
    """Return keys of ``value`` that look like keywords but are not ones."""
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= _keyword_like_keys(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "@context":
                continue
            if key.startswith("@") and key not in jsonld.KEYWORDS:
                found.add(key)
            found |= _keyword_like_keys(item)
    return found


def _relative_iris(expanded: Any) -> set[str]:
    """Return relative ``@id`` and ``@type`` values in expanded JSON-LD."""
    found: set[str] = set()
    if isinstance(expanded, list):
        for item in expanded:
            found |= _relative_iris(item)
        return found
    if not isinstance(expanded, dict):
        return found

    identifier = expanded.get("@id")
    if isinstance(identifier, str) and not _is_absolute_or_blank(identifier):
        found.add(identifier)
    types = expanded.get("@type", [])
    for type_name in types if isinstance(types, list) else [types]:
        if isinstance(type_name, str) and not _is_absolute_or_blank(type_name) and type_name not in jsonld.KEYWORDS:
            found.add(type_name)
    for key, item in expanded.items():
        # A @value may hold a JSON literal whose keys are data, not terms.
        if key not in ("@id", "@type", "@value"):
            found |= _relative_iris(item)
    return found


def _is_absolute_or_blank(iri: str) -> bool:
    return iri.startswith("_:") or bool(_SCHEME.match(iri))


def _from_pyld_error(exc: BaseException) -> Exception:
    """Translate a PyLD failure into this package's errors.

    PyLD wraps the loader's ContextNotBundledError in its own error, so the
    original is looked for on the ``__cause__`` chain.
    """
    message = f"{type(exc).__name__}: {exc}"
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ContextNotBundledError):
            return cause
        if isinstance(cause, jsonld.JsonLdError) and cause.args:
            # The innermost PyLD message names the rule, while outer ones
            # name only the failed step. str() would add a multi-line dump.
            message = str(cause.args[0]).rstrip(".")
        cause = cause.__cause__
    return CanonicalizationError(
        f"JSON-LD processing failed: {message}. The document must be valid "
        "JSON-LD 1.1 with every context bundled.",
        value=message,
    )
