"""Run 1EdTech's Open Badges 2.0 validator (badgecheck) offline and print its report.

Runs inside the Python 3.9 virtual environment next to this file, because
badgecheck 1.2.0 and its pinned dependencies do not import on newer
Pythons. Usage::

    .venv/bin/python run_badgecheck.py --data https://127.0.0.1:8000/ob2/assertions/…
    .venv/bin/python run_badgecheck.py --data eyJhbGciOiJSUzI1NiJ9.eyJ…
    .venv/bin/python run_badgecheck.py --data baked.png \\
        --origin https://merkit.example.fi=http://127.0.0.1:8000

``--data`` takes a URL, assertion JSON, a compact JWS or the path of a
file (a baked PNG or SVG, or a text file holding JSON or a JWS). The
output is badgecheck's result as JSON (``graph``, ``input``, ``report``);
the exit status is 0 when ``report.valid`` is true, 1 when it is false
and 2 when the validator could not run.

Every HTTP request badgecheck makes goes through one transport adapter:

* ``https://w3id.org/openbadges/v2`` (the Open Badges 2.0 context) is
  served from the copy bundled in ``badges/openbadges/contexts/``;
* a public origin given with ``--origin PUBLIC=LOCAL`` is forwarded to the
  local server, so badges issued for a real host name can be checked
  against a test server;
* loopback hosts (127.0.0.0/8, ``localhost``, ``[::1]``) are fetched;
* any other host gets a connection error: the validator never touches the
  network, and a fetch we did not expect shows up as a failed check.
"""
import argparse
import ipaddress
import json
import os
import sys
import traceback
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter, HTTPAdapter

OB2_CONTEXT_URL = "https://w3id.org/openbadges/v2"
REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BUNDLED_CONTEXT = os.path.join(REPOSITORY, "badges", "openbadges", "contexts", "openbadges-v2.jsonld")

EXIT_VALID = 0
EXIT_INVALID = 1
EXIT_HARNESS_ERROR = 2


class OfflineAdapter(BaseAdapter):
    """Transport adapter that serves the bundled context and reaches loopback hosts only."""

    def __init__(self, context_path, origins):
        super().__init__()
        with open(context_path, "rb") as handle:
            self.context = handle.read()
        # Public origin ("https://merkit.example.fi") -> local origin ("http://127.0.0.1:8000").
        self.origins = origins
        self.http = HTTPAdapter()

    def send(self, request, **kwargs):
        url = request.url
        if _without_fragment(url).rstrip("/") in (OB2_CONTEXT_URL, "http" + OB2_CONTEXT_URL[5:]):
            return self._context_response(request)

        for public, local in self.origins.items():
            if url == public or url.startswith(public + "/"):
                request.url = local + url[len(public):]
                # The Host header belongs to the local server now.
                request.headers.pop("Host", None)
                return self.http.send(request, **kwargs)

        if not _is_loopback(urlsplit(url).hostname):
            raise requests.ConnectionError(
                "run_badgecheck.py blocks {}: only loopback hosts and --origin mappings are "
                "reachable, so that validation never uses the network.".format(url),
                request=request,
            )
        return self.http.send(request, **kwargs)

    def close(self):
        self.http.close()

    def _context_response(self, request):
        response = requests.Response()
        response.status_code = 200
        response.reason = "OK"
        response.url = request.url
        response.request = request
        response.headers["Content-Type"] = "application/ld+json"
        response._content = self.context
        response.encoding = "utf-8"
        return response


def _without_fragment(url):
    return url.split("#", 1)[0]


def _is_loopback(hostname):
    if hostname is None:
        return False
    if hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def install_adapter(adapter):
    """Route every requests Session, badgecheck's requests-cache sessions included, through ``adapter``.

    badgecheck builds new sessions in several places (the JSON-LD document
    loader, node fetching, image checks) and accepts no session of ours, so
    the adapter lookup of the base class is replaced instead.
    """
    requests.Session.get_adapter = lambda session, url: adapter


def read_input(data):
    """Return badgecheck's input for ``data``: an open image file, or text."""
    if not os.path.isfile(data):
        return data
    with open(data, "rb") as handle:
        head = handle.read(1024)
    is_image = data.lower().endswith((".png", ".svg")) or head.startswith(b"\x89PNG") or b"<svg" in head
    if is_image:
        # A file object, because badgecheck unbakes only those. Text input
        # must be a URL, JSON or a JWS, and anything else, SVG markup
        # included, makes its input detection raise NotImplementedError.
        return open(data, "rb")
    with open(data, "r", encoding="utf-8") as handle:
        return handle.read().strip()


def parse_origins(pairs):
    origins = {}
    for pair in pairs:
        public, separator, local = pair.partition("=")
        if not separator or not public.startswith("http") or not local.startswith("http"):
            raise SystemExit(
                "--origin {!r} is not PUBLIC=LOCAL, for example "
                "https://merkit.example.fi=http://127.0.0.1:8000.".format(pair)
            )
        origins[public.rstrip("/")] = local.rstrip("/")
    return origins


def main(argv=None):
    parser = argparse.ArgumentParser(description="Verify an Open Badges 2.0 badge with badgecheck, offline.")
    parser.add_argument("--data", required=True, help="URL, JSON, compact JWS, or path of a baked PNG/SVG or text file")
    parser.add_argument(
        "--origin", action="append", default=[],
        help="PUBLIC=LOCAL: fetch URLs under the public origin from the local one; repeatable",
    )
    parser.add_argument("--context", default=BUNDLED_CONTEXT, help="file served for " + OB2_CONTEXT_URL)
    arguments = parser.parse_args(argv)

    install_adapter(OfflineAdapter(arguments.context, parse_origins(arguments.origin)))
    # Imported after the adapter is in place, so no session predates it.
    from openbadges import verify

    try:
        result = verify(read_input(arguments.data))
    except Exception:
        sys.stderr.write(traceback.format_exc())
        return EXIT_HARNESS_ERROR
    json.dump(result, sys.stdout, indent=2, default=str)
    sys.stdout.write("\n")
    return EXIT_VALID if result["report"].get("valid") else EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())
