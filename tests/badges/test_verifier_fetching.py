"""badges.fetching: the verifier's only network access, tested against a local server that records requests."""
import json
import logging
import socket
import time

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from badges import fetching
from badges.fetching import fetch, is_public_address
from badges.openbadges.remote import (
    DocumentFetchError,
    FetchNotHttpsError,
    FetchRefusedError,
    FetchTimeoutError,
    FetchTooLargeError,
    TooManyRedirectsError,
)

from .verifier_server import forbid_dns, server, url_map  # noqa: F401 - fixtures

ACCEPT = "application/json"


@pytest.fixture
def allow_private(settings):
    settings.MERKKIPAJA_FETCH_ALLOW_PRIVATE = True


@pytest.fixture
def no_connections(monkeypatch):
    """Fail the test if any socket connection is attempted."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a connection was attempted: {args!r}")

    monkeypatch.setattr(socket, "create_connection", refuse)


def test_fetch_from_allowed_private_address(server, allow_private):
    server.add("/doc", {"a": 1})

    document = fetch(server.url("/doc"), accept=ACCEPT)

    assert (document.status, json.loads(document.body), document.url) == (200, {"a": 1}, server.url("/doc"))
    assert server.requests[0].accept == ACCEPT


def test_loopback_refused_without_request(server):
    server.add("/secret", {"a": 1})

    with pytest.raises(FetchRefusedError) as caught:
        fetch(server.url("/secret"), accept=ACCEPT)

    assert caught.value.code == "fetch_refused"
    assert server.requests == []


def test_localhost_name_refused_after_resolving(server, forbid_dns):
    with pytest.raises(FetchRefusedError):
        fetch(f"http://localhost:{server.port}/x", accept=ACCEPT)

    assert forbid_dns == ["localhost"]
    assert server.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://0.0.0.0/x",
        "http://224.0.0.1/x",
        "http://100.64.0.1/x",
    ],
)
def test_private_literals_refused_before_connecting(url, no_connections):
    with pytest.raises(FetchRefusedError):
        fetch(url, accept=ACCEPT)


def test_name_resolving_to_any_private_address_refused(monkeypatch, no_connections):
    monkeypatch.setattr(fetching, "resolve_addresses", lambda host, port: ["93.184.216.34", "127.0.0.1"])

    with pytest.raises(FetchRefusedError):
        fetch("https://mixed.example/x", accept=ACCEPT)


def test_connects_to_the_checked_address(server, allow_private, monkeypatch):
    """The name is resolved once and the connection goes to that address, with the name kept for Host."""
    server.add("/doc", {"a": 1})
    answers = iter([["127.0.0.1"], ["10.9.9.9"]])
    calls = []

    def resolve(host, port):
        calls.append(host)
        return next(answers)

    monkeypatch.setattr(fetching, "resolve_addresses", resolve)

    fetch(f"http://rebinding.example:{server.port}/doc", accept=ACCEPT)

    assert calls == ["rebinding.example"]
    assert server.requests[0].host == f"rebinding.example:{server.port}"


def test_redirect_to_private_address_refused(server, url_map):
    """A mapped host may redirect, but the next hop is checked like any other URL."""
    url_map("https://issuer.example/", server.url("/"))
    server.redirect("/start", server.url("/private"))
    server.add("/private", {"secret": True})

    with pytest.raises(FetchRefusedError):
        fetch("https://issuer.example/start", accept=ACCEPT)

    assert server.paths() == ["/start"]


def test_redirects_followed_within_mapped_host(server, url_map):
    url_map("https://issuer.example/", server.url("/"))
    server.redirect("/a", "/b", status=301)
    server.redirect("/b", "https://issuer.example/c", status=308)
    server.add("/c", {"ok": True})

    document = fetch("https://issuer.example/a", accept=ACCEPT)

    assert (document.url, json.loads(document.body)) == ("https://issuer.example/c", {"ok": True})
    assert server.paths() == ["/a", "/b", "/c"]


def test_three_redirects_allowed_four_refused(server, url_map):
    url_map("https://issuer.example/", server.url("/"))
    for number in range(4):
        server.redirect(f"/r{number}", f"/r{number + 1}")
    server.add("/r4", {"ok": True})

    assert fetch("https://issuer.example/r1", accept=ACCEPT).status == 200
    with pytest.raises(TooManyRedirectsError):
        fetch("https://issuer.example/r0", accept=ACCEPT)


def test_declared_size_refused_before_reading(server, allow_private, settings):
    settings.MERKKIPAJA_FETCH_MAX_BYTES = 1000
    server.add("/big", b"x" * 5000)

    with pytest.raises(FetchTooLargeError) as caught:
        fetch(server.url("/big"), accept=ACCEPT)

    assert caught.value.params["limit"] == 1000


def test_undeclared_size_stops_past_limit(server, allow_private, settings):
    settings.MERKKIPAJA_FETCH_MAX_BYTES = 1000
    server.add("/big", b"x" * 500_000, content_length=False)

    with pytest.raises(FetchTooLargeError):
        fetch(server.url("/big"), accept=ACCEPT)


def test_max_bytes_argument_raises_limit(server, allow_private, settings):
    settings.MERKKIPAJA_FETCH_MAX_BYTES = 1000
    server.add("/image", b"x" * 5000)

    assert len(fetch(server.url("/image"), accept=ACCEPT, max_bytes=10_000).body) == 5000


def test_slow_server_times_out(server, allow_private, settings):
    settings.MERKKIPAJA_FETCH_TIMEOUT_SECONDS = 0.5
    server.add("/slow", b"{}", delay=3)

    started = time.monotonic()
    with pytest.raises(FetchTimeoutError):
        fetch(server.url("/slow"), accept=ACCEPT)

    assert time.monotonic() - started < 2.5


def test_https_only_in_production(server, allow_private, settings):
    settings.PRODUCTION = True

    with pytest.raises(FetchNotHttpsError):
        fetch(server.url("/x"), accept=ACCEPT)

    assert server.requests == []


def test_url_map_refused_in_production(url_map, server, settings):
    url_map("https://issuer.example/", server.url("/"))
    settings.PRODUCTION = True

    with pytest.raises(ImproperlyConfigured):
        fetch("https://issuer.example/x", accept=ACCEPT)

    assert server.requests == []


def test_bundled_context_never_fetched(no_connections):
    with pytest.raises(FetchRefusedError, match="bundled"):
        fetch("https://www.w3.org/ns/credentials/v2", accept=ACCEPT)


@pytest.mark.parametrize(
    "url",
    ["ftp://issuer.example/x", "file:///etc/passwd", "https://user:pass@issuer.example/x", "https:///x", "http://[::1"],
)
def test_bad_urls_refused(url, no_connections):
    with pytest.raises(FetchRefusedError):
        fetch(url, accept=ACCEPT)


def test_unresolvable_name(no_connections):
    with pytest.raises(DocumentFetchError) as caught:
        fetch("https://does-not-resolve.example/x", accept=ACCEPT)

    assert caught.value.code == "fetch_failed"


def test_connection_refused(allow_private):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(DocumentFetchError) as caught:
        fetch(f"http://127.0.0.1:{port}/x", accept=ACCEPT)

    assert caught.value.code == "fetch_failed"


def test_own_origin_served_in_process(organisation, no_connections, settings):
    url = f"{settings.MERKKIPAJA_BASE_URL}/issuers/{organisation.slug}/did.json"

    document = fetch(url, accept=ACCEPT)

    assert document.status == 200
    assert json.loads(document.body)["id"].startswith("did:web:")


def test_own_origin_missing_page(db, no_connections, settings):
    assert fetch(f"{settings.MERKKIPAJA_BASE_URL}/issuers/no-such-organisation/did.json", accept=ACCEPT).status == 404


def test_log_names_host_only(server, allow_private, caplog):
    server.add("/doc?token=secret", {"a": 1})
    caplog.set_level(logging.INFO, logger="badges.fetching")

    fetch(server.url("/doc?token=secret"), accept=ACCEPT)

    assert "127.0.0.1" in caplog.text
    assert "secret" not in caplog.text
    assert "/doc" not in caplog.text


def test_error_params_hide_query(server):
    with pytest.raises(FetchRefusedError) as caught:
        fetch(server.url("/x?token=secret"), accept=ACCEPT)

    assert caught.value.params == {"url": server.url("/x")}


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:10.0.0.1", False),
        ("2002:7f00:1::", False),
        ("64:ff9b::7f00:1", False),
    ],
)
def test_is_public_address(address, public):
    assert is_public_address(address) is public


def test_system_check_rejects_url_map_in_production(settings):
    settings.PRODUCTION = True
    settings.MERKKIPAJA_FETCH_URL_MAP = "/tmp/map.json"
    settings.MERKKIPAJA_FETCH_ALLOW_PRIVATE = True

    ids = {message.id for message in run_checks()}

    assert {"merkkipaja.E020", "merkkipaja.W020"} <= ids


def test_system_check_silent_in_development(settings):
    settings.MERKKIPAJA_FETCH_URL_MAP = "/tmp/map.json"

    assert not {message.id for message in run_checks()} & {"merkkipaja.E020", "merkkipaja.W020"}


def test_non_ascii_path_is_encoded(server, allow_private):
    server.add("/merkit/%C3%A4%C3%A4kk%C3%B6set?nimi=%C3%B6", {"ok": True})

    document = fetch(server.url("/merkit/ääkköset?nimi=ö"), accept=ACCEPT)

    assert document.status == 200


def test_non_ascii_host_refused(no_connections):
    with pytest.raises(FetchRefusedError, match="punycode"):
        fetch("https://merkkipäjä.example/x", accept=ACCEPT)
