"""Safe fetching of the documents a badge verifier needs: the only code that opens connections.

Verifying a foreign badge means reading URLs that a stranger chose: the
hosted assertion, the issuer profile, keys, revocation lists. ``fetch``
reads one such URL under these rules, so that a badge cannot make the
server reach its own network (SSRF) or exhaust its memory:

- ``http`` and ``https`` only, without user info; HTTPS only when
  ``MERKKIPAJA_ENV=production``.
- The host name is resolved once. Every address it resolves to must be
  public (no private, loopback, link-local, multicast, reserved or
  unspecified address, also when wrapped in IPv6), unless
  ``MERKKIPAJA_FETCH_ALLOW_PRIVATE`` is set. The connection goes to the
  address that was checked, so a second DNS answer cannot redirect it
  (DNS rebinding).
- Redirects are followed by this code, at most ``MAX_REDIRECTS``, and each
  hop is checked like the first.
- ``MERKKIPAJA_FETCH_MAX_BYTES`` bounds the body: a larger
  ``Content-Length`` is refused before the body is read, and reading
  stops one byte past the limit. ``MERKKIPAJA_FETCH_TIMEOUT_SECONDS``
  bounds the whole fetch, redirects included.
- JSON-LD contexts that we bundle are never fetched.
- URLs on our own origin (``MERKKIPAJA_BASE_URL``) are served in-process
  by our own views, without a connection.

For tests, ``MERKKIPAJA_FETCH_URL_MAP`` names a JSON file that maps URL
prefixes to other URLs, for example ``{"https://issuer.example/":
"http://127.0.0.1:8123/"}``, so that a foreign issuer can be served by a
local test server. The operator wrote those targets, so they skip the
address check. Redirects that leave the mapped prefixes do not skip it.
The map is refused in production.

The log names only the host of each fetch, never the path or the query.
"""
from __future__ import annotations

import http.client
import ipaddress
import json
import logging
import socket
import ssl
import sys
import threading
import time
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes, urljoin, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.utils import translation

from .openbadges.loader import is_bundled
from .openbadges.remote import (
    DocumentFetchError,
    FetchedDocument,
    FetchNotHttpsError,
    FetchRefusedError,
    FetchTimeoutError,
    FetchTooLargeError,
    TooManyRedirectsError,
    display_url,
)

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 3
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "Merkkipaja-verifier/1"
_CHUNK_BYTES = 64 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters left as they are when a path or query is percent-encoded for
# the request line; "%" keeps existing escapes intact.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"


@dataclass(frozen=True)
class _Hop:
    """One response: the document, or the URL that a redirect points to."""

    document: FetchedDocument
    location: str | None


def fetch(url: str, *, accept: str, max_bytes: int | None = None) -> FetchedDocument:
    """Fetch ``url`` under the rules in the module docstring and return the final response.

    Responses of any status are returned; ``FetchedDocument.url`` is the
    URL after redirects (before any test mapping). ``max_bytes`` overrides
    ``MERKKIPAJA_FETCH_MAX_BYTES``. Raises a ``DocumentFetchError``
    subclass when the URL is refused, the connection fails or a limit is
    exceeded.
    """
    limit = max_bytes if max_bytes is not None else settings.MERKKIPAJA_FETCH_MAX_BYTES
    deadline = time.monotonic() + settings.MERKKIPAJA_FETCH_TIMEOUT_SECONDS
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        hop = _fetch_once(current, accept=accept, limit=limit, deadline=deadline)
        if hop.location is None:
            return hop.document
        current = urljoin(current, hop.location)
    logger.warning("Refused a fetch from %s: more than %d redirects", _host(url), MAX_REDIRECTS)
    raise TooManyRedirectsError(
        f"{display_url(url)} redirects more than {MAX_REDIRECTS} times; give the final address instead.",
        url=url,
    )


def is_public_address(address: str) -> bool:
    """Return whether ``address`` (an IP literal) is a public unicast address.

    IPv4 addresses inside IPv6 (mapped, 6to4, Teredo) are judged by the
    IPv4 address, because that is where a packet would end up.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            ip = embedded
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def resolve_addresses(host: str, port: int) -> list[str]:
    """Return the IP addresses of ``host`` in the resolver's order; raises ``OSError`` if none."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [info[4][0] for info in infos]


def url_map() -> dict[str, str]:
    """Return the test URL map from ``MERKKIPAJA_FETCH_URL_MAP``, or {} when the setting is empty."""
    path = settings.MERKKIPAJA_FETCH_URL_MAP
    if not path:
        return {}
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "MERKKIPAJA_FETCH_URL_MAP is set in production; it is for tests only. Unset it."
        )
    try:
        mapping = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise ImproperlyConfigured(f"MERKKIPAJA_FETCH_URL_MAP file {path!r} is not readable JSON: {error}.") from None
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise ImproperlyConfigured(f"MERKKIPAJA_FETCH_URL_MAP file {path!r} must map URL prefixes to URL strings.")
    return mapping


def _fetch_once(url: str, *, accept: str, limit: int, deadline: float) -> _Hop:
    _check_url(url)
    if _is_own_origin(url):
        return _serve_locally(url, accept=accept, limit=limit)
    mapped = _mapped_url(url)
    return _fetch_network(
        url,
        connect_url=mapped or url,
        check_address=mapped is None,
        accept=accept,
        limit=limit,
        deadline=deadline,
    )


def _check_url(url: str) -> None:
    """Refuse URLs that no fetch may follow, before any name is resolved."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchRefusedError(f"{display_url(url)} is not a valid URL.", url=url) from None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise FetchRefusedError(f"{display_url(url)} is not an http or https URL with a host name.", url=url)
    if parts.username is not None or parts.password is not None:
        raise FetchRefusedError(f"{display_url(url)} contains a user name or password, which is not allowed.", url=url)
    if port == 0:
        raise FetchRefusedError(f"{display_url(url)} names port 0.", url=url)
    if not parts.hostname.isascii():
        raise FetchRefusedError(
            f"{display_url(url)} has a non-ASCII host name; write it in its ASCII (punycode) form.", url=url
        )
    if settings.PRODUCTION and parts.scheme != "https":
        _log_refusal(url, "not HTTPS")
        raise FetchNotHttpsError(f"{display_url(url)} is not an HTTPS address; only HTTPS is fetched.", url=url)
    if is_bundled(url.split("#", 1)[0]):
        _log_refusal(url, "a bundled JSON-LD context")
        raise FetchRefusedError(
            f"{display_url(url)} is a JSON-LD context; contexts are read from the bundled copies, never fetched.",
            url=url,
        )


def _is_own_origin(url: str) -> bool:
    own = urlsplit(settings.MERKKIPAJA_BASE_URL)
    parts = urlsplit(url)
    return (parts.scheme, _authority(parts)) == (own.scheme, _authority(own))


def _authority(parts) -> tuple[str, int]:
    return (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(parts.scheme, 0)


def _mapped_url(url: str) -> str | None:
    mapping = url_map()
    matches = [prefix for prefix in mapping if url.startswith(prefix)]
    if not matches:
        return None
    prefix = max(matches, key=len)
    return mapping[prefix] + url[len(prefix):]


def _fetch_network(
    url: str, *, connect_url: str, check_address: bool, accept: str, limit: int, deadline: float
) -> _Hop:
    parts = urlsplit(connect_url)
    host = parts.hostname
    port = parts.port or _DEFAULT_PORTS[parts.scheme]
    address = _checked_address(url, host, port, check_address=check_address)

    connection = _PinnedConnection(parts.scheme, host, port, address=address, timeout=_remaining(url, deadline))
    watchdog = _Watchdog(connection, _remaining(url, deadline))
    try:
        path = quote(parts.path or "/", safe=_PATH_SAFE)
        if parts.query:
            path += "?" + quote(parts.query, safe=_QUERY_SAFE)
        connection.request(
            "GET",
            path,
            headers={
                "Accept": accept,
                "Accept-Encoding": "identity",
                "User-Agent": USER_AGENT,
                "Connection": "close",
            },
        )
        response = connection.getresponse()
        return _read_response(url, response, limit=limit, deadline=deadline, watchdog=watchdog)
    except (TimeoutError, socket.timeout):
        raise _timeout(url) from None
    except (OSError, http.client.HTTPException, UnicodeError) as error:
        if watchdog.fired:
            raise _timeout(url) from None
        logger.warning("Fetch from %s failed: %s", _host(url), type(error).__name__)
        raise DocumentFetchError(
            f"Could not read {display_url(url)}: {type(error).__name__}. Check the address and try again later.",
            url=url,
        ) from None
    finally:
        watchdog.cancel()
        connection.close()


def _checked_address(url: str, host: str, port: int, *, check_address: bool) -> str:
    """Resolve ``host`` once and return the address to connect to, refusing non-public ones."""
    try:
        addresses = [str(ipaddress.ip_address(host))] if _is_ip_literal(host) else resolve_addresses(host, port)
    except OSError:
        logger.warning("Fetch from %s failed: the name does not resolve", _host(url))
        raise DocumentFetchError(f"The host of {display_url(url)} could not be found.", url=url) from None
    if not addresses:
        raise DocumentFetchError(f"The host of {display_url(url)} has no address.", url=url)
    if check_address and not settings.MERKKIPAJA_FETCH_ALLOW_PRIVATE:
        # Every address must be public, because one left unchecked could be the one a later connection uses.
        if not all(is_public_address(address) for address in addresses):
            _log_refusal(url, "a private or reserved address")
            raise FetchRefusedError(
                f"{display_url(url)} resolves to a private or reserved network address, which is never fetched.",
                url=url,
            )
    return addresses[0]


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _read_response(url, response, *, limit: int, deadline: float, watchdog) -> _Hop:
    status = response.status
    content_type = response.getheader("Content-Type", "")
    if status in REDIRECT_STATUSES and response.getheader("Location"):
        logger.info("Fetched %s: HTTP %s redirect", _host(url), status)
        return _Hop(FetchedDocument(url, status, content_type, b""), response.getheader("Location"))

    declared = response.getheader("Content-Length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise _too_large(url, limit)
    body = bytearray()
    while len(body) <= limit:
        _remaining(url, deadline)
        chunk = response.read(min(_CHUNK_BYTES, limit + 1 - len(body)))
        if not chunk:
            break
        body.extend(chunk)
    if watchdog.fired:
        raise _timeout(url)
    if len(body) > limit:
        raise _too_large(url, limit)
    logger.info("Fetched %s: HTTP %s, %d bytes", _host(url), status, len(body))
    return _Hop(FetchedDocument(url, status, content_type, bytes(body)), None)


def _serve_locally(url: str, *, accept: str, limit: int) -> _Hop:
    """Serve a URL on our own origin with our own views, as the test client does, without a socket."""
    parts = urlsplit(url)
    port = parts.port or _DEFAULT_PORTS[parts.scheme]
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(parts.path or "/").decode("iso-8859-1"),
        "QUERY_STRING": parts.query,
        "SERVER_NAME": parts.hostname,
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": parts.netloc,
        "HTTP_ACCEPT": accept,
        "HTTP_USER_AGENT": USER_AGENT,
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_LENGTH": "0",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": parts.scheme,
        "wsgi.input": BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy_header and parts.scheme == "https":
        environ[proxy_header[0]] = proxy_header[1]

    # The locale middleware activates a language for the inner request; the
    # override gives the outer request its own language back afterwards.
    with translation.override(translation.get_language()):
        response = _local_handler().get_response(WSGIRequest(environ))
    content_type = response.get("Content-Type", "")
    if response.status_code in REDIRECT_STATUSES and response.has_header("Location"):
        return _Hop(FetchedDocument(url, response.status_code, content_type, b""), response["Location"])

    # response.close() is not called: it sends request_finished, whose
    # handler closes the outer request's database connection.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if len(body) > limit:
        raise _too_large(url, limit)
    logger.info("Served %s in-process: HTTP %s, %d bytes", _host(url), response.status_code, len(body))
    return _Hop(FetchedDocument(url, response.status_code, content_type, bytes(body)), None)


_handler_lock = threading.Lock()
_handler: BaseHandler | None = None


def _local_handler() -> BaseHandler:
    # BaseHandler, not WSGIHandler: the request_started and request_finished
    # signals would close the caller's database connection mid-request.
    global _handler
    with _handler_lock:
        if _handler is None:
            handler = BaseHandler()
            handler.load_middleware()
            _handler = handler
        return _handler


class _PinnedConnection:
    """An HTTP(S) connection to one checked address, with the host name kept for TLS and ``Host``."""

    def __init__(self, scheme: str, host: str, port: int, *, address: str, timeout: float) -> None:
        factory = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        self._connection = factory(host, port, address=address, timeout=timeout)

    def request(self, method: str, path: str, *, headers: dict[str, str]) -> None:
        self._connection.request(method, path, headers=headers)

    def getresponse(self):
        return self._connection.getresponse()

    def shutdown(self) -> None:
        # http.client drops its reference to the socket once the response
        # owns it, so the socket is kept from connect().
        sock = self._connection.pinned_socket
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self) -> None:
        self._connection.close()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address
        self.pinned_socket = None

    def connect(self) -> None:
        self.sock = self.pinned_socket = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        self._tls_context = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls_context)
        self._address = address
        self.pinned_socket = None

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, not the address.
        self.sock = self.pinned_socket = self._tls_context.wrap_socket(sock, server_hostname=self.host)


class _Watchdog:
    """Shut the connection down when the whole fetch runs out of time.

    Socket timeouts bound each read, but a server that sends one byte at a
    time could keep resetting them; this bounds the total.
    """

    def __init__(self, connection: _PinnedConnection, seconds: float) -> None:
        self.fired = False
        self._connection = connection
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        self._connection.shutdown()

    def cancel(self) -> None:
        self._timer.cancel()


def _remaining(url: str, deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _timeout(url)
    return remaining


def _timeout(url: str) -> FetchTimeoutError:
    seconds = settings.MERKKIPAJA_FETCH_TIMEOUT_SECONDS
    logger.warning("Fetch from %s timed out after %s s", _host(url), seconds)
    return FetchTimeoutError(
        f"{display_url(url)} did not respond within {seconds} seconds; try again later.",
        url=url,
        params={"seconds": seconds},
    )


def _too_large(url: str, limit: int) -> FetchTooLargeError:
    logger.warning("Refused a response from %s: larger than %d bytes", _host(url), limit)
    return FetchTooLargeError(
        f"{display_url(url)} returned more than {limit} bytes, which is more than a badge document needs.",
        url=url,
        params={"limit": limit},
    )


def _log_refusal(url: str, reason: str) -> None:
    logger.warning("Refused to fetch from %s: %s", _host(url), reason)


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or "?"
    except ValueError:
        return "?"
