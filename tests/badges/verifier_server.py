"""A local HTTP server for the verifier tests: it serves fixed routes on 127.0.0.1 and records every request.

Foreign issuers' hosts (``https://issuer.example/``) reach it through
``MERKKIPAJA_FETCH_URL_MAP``. ``forbid_dns`` makes sure no test resolves a
real host name: only ``127.0.0.1`` and ``localhost`` resolve.
"""
from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from badges import fetching


@dataclass
class Route:
    """A response: status, body, extra headers, a delay before the body, and whether to send Content-Length."""

    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    content_length: bool = True


@dataclass
class RecordedRequest:
    path: str
    host: str
    accept: str


class RecordingServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[RecordedRequest] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - the name http.server calls
                server.requests.append(RecordedRequest(self.path, self.headers.get("Host", ""), self.headers.get("Accept", "")))
                route = server.routes.get(self.path, Route(404, b"not found"))
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.content_length:
                    self.send_header("Content-Length", str(len(route.body)))
                self.send_header("Connection", "close")
                self.end_headers()
                if route.delay:
                    time.sleep(route.delay)
                try:
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

            def log_message(self, format, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, body=b"", *, status: int = 200, content_type: str = "application/json", **options) -> None:
        if not isinstance(body, bytes):
            body = json.dumps(body).encode("utf-8")
        headers = {"Content-Type": content_type, **options.pop("headers", {})}
        self.routes[path] = Route(status=status, body=body, headers=headers, **options)

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.routes[path] = Route(status=status, headers={"Location": location})

    def paths(self) -> list[str]:
        return [request.path for request in self.requests]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def server():
    instance = RecordingServer()
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture
def url_map(tmp_path, settings):
    """Return a function that routes URL prefixes to local URLs through MERKKIPAJA_FETCH_URL_MAP."""
    path = tmp_path / "url-map.json"
    mapping: dict[str, str] = {}

    def route(prefix: str, target: str) -> None:
        mapping[prefix] = target
        path.write_text(json.dumps(mapping), encoding="utf-8")
        settings.MERKKIPAJA_FETCH_URL_MAP = str(path)

    return route


@pytest.fixture(autouse=True)
def forbid_dns(monkeypatch):
    """Resolve only 127.0.0.1 and localhost, so that no test can reach another host."""
    calls: list[str] = []
    real = fetching.resolve_addresses

    def resolve(host, port):
        calls.append(host)
        if host not in ("127.0.0.1", "localhost"):
            raise socket.gaierror(f"the tests resolve no host name but localhost, not {host!r}")
        return [address for address in real(host, port) if address == "127.0.0.1"] or ["127.0.0.1"]

    monkeypatch.setattr(fetching, "resolve_addresses", resolve)
    return calls
