"""Documents that verification reads from the web, and the errors of reading them.

This package never opens a connection itself. A verifier receives a
``Fetcher``: a callable that takes a URL and an ``Accept`` header and
returns a ``FetchedDocument`` for any HTTP response, or raises one of the
``DocumentFetchError`` classes below when no response could be read
safely. ``badges.fetching.fetch`` is the implementation used by the site::

    >>> document = fetch("https://issuer.example/keys/1", accept=JSON_ACCEPT)
    >>> document.status, document.url
    (200, 'https://issuer.example/keys/1')

``read_json_object`` turns a response into a JSON object or raises
``DocumentHttpError`` / ``DocumentNotJsonError``. Every error has a stable
``code`` that doubles as a verification reason code, and ``params`` with
the URL without its query string, which may carry secrets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from .errors import OpenBadgesError

# Open Badges 2.0 hosts negotiate on Accept: JSON-LD first, then JSON.
JSON_ACCEPT = "application/ld+json, application/json;q=0.9"
# Media types of a badge URL that a person types: a document, an image or a token.
ANY_BADGE_ACCEPT = (
    "application/ld+json, application/vc+ld+json, application/json;q=0.9, "
    "image/png;q=0.8, image/svg+xml;q=0.8, text/plain;q=0.5"
)


@dataclass(frozen=True)
class FetchedDocument:
    """One HTTP response: the URL it came from after redirects, its status, type and body."""

    url: str
    status: int
    content_type: str
    body: bytes


class Fetcher(Protocol):
    """Fetch ``url``; ``max_bytes`` raises the fetcher's default body size limit when given."""

    def __call__(self, url: str, *, accept: str, max_bytes: int | None = None) -> FetchedDocument: ...


def display_url(url: Any) -> str:
    """Return ``url`` without its query string and fragment, for messages and logs."""
    if not isinstance(url, str):
        return repr(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.split("?", 1)[0].split("#", 1)[0]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


class DocumentFetchError(OpenBadgesError):
    """A document that could not be read: the connection failed or was not attempted."""

    code = "fetch_failed"

    def __init__(self, message: str, *, url: Any, params: dict[str, Any] | None = None) -> None:
        url_text = display_url(url)
        super().__init__(message, value=url_text, params={"url": url_text, **(params or {})})
        self.url = url


class FetchRefusedError(DocumentFetchError):
    """A URL that the fetch policy does not allow: a private address, a bad scheme or user info."""

    code = "fetch_refused"


class FetchNotHttpsError(DocumentFetchError):
    """A plain ``http://`` URL where only HTTPS is allowed."""

    code = "fetch_not_https"


class FetchTimeoutError(DocumentFetchError):
    """A server that did not respond within the time limit."""

    code = "fetch_timeout"


class FetchTooLargeError(DocumentFetchError):
    """A response body larger than the size limit; ``params["limit"]`` is the limit in bytes."""

    code = "fetch_too_large"


class TooManyRedirectsError(DocumentFetchError):
    """A chain of redirects longer than the limit."""

    code = "too_many_redirects"


class DocumentHttpError(DocumentFetchError):
    """A response whose HTTP status is not 200; ``params["status"]`` is the status."""

    code = "document_http_error"


class DocumentNotJsonError(DocumentFetchError):
    """A response that is not a UTF-8 JSON object."""

    code = "document_not_json"


def read_json_object(document: FetchedDocument) -> dict[str, Any]:
    """Return the JSON object in a 200 response.

    Raises ``DocumentHttpError`` for any other status and
    ``DocumentNotJsonError`` when the body is not a UTF-8 JSON object.
    """
    if document.status != 200:
        raise DocumentHttpError(
            f"{display_url(document.url)} returned HTTP status {document.status}; expected 200.",
            url=document.url,
            params={"status": document.status},
        )
    try:
        value = json.loads(document.body.decode("utf-8-sig"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        value = None
    if not isinstance(value, dict):
        raise DocumentNotJsonError(
            f"{display_url(document.url)} did not return a JSON object (content type {document.content_type!r}).",
            url=document.url,
        )
    return value


def fetch_json_object(fetch: Fetcher, url: str, *, accept: str = JSON_ACCEPT) -> dict[str, Any]:
    """Fetch ``url`` and return its JSON object; raises the errors of ``fetch`` and ``read_json_object``."""
    return read_json_object(fetch(url, accept=accept))


def _reject_constant(name: str) -> None:
    # NaN and Infinity are not JSON (RFC 8259), although Python's parser accepts them.
    raise ValueError(f"{name} is not valid JSON")
