"""Recognising what a person gave the verifier, and taking the badge out of it.

A submission is bytes: an uploaded file, pasted text encoded as UTF-8, or
a response body. ``read_submission`` recognises it by its first bytes and
returns a ``Payload``: one badge to verify, with its Open Badges version
(``format``) and what its text is (``kind``)::

    b"\\x89PNG…"              -> Payload(format="ob3", kind="json", source="png", …)  (via baking)
    b"<svg …"                  -> the credential baked into the SVG
    b'{"@context": […], …}'   -> Payload(format="ob3" or "ob2", kind="json", source="json", …)
    b"eyJhbGciOi…"             -> Payload(format="ob3" or "ob2", kind="jws", source="jwt", …)
    b"https://…"               -> Payload(format=None, kind="url", source="url", …)

A URL is not fetched here; the caller fetches it and passes the body to
``read_submission`` again with ``allow_url=False``.

``InputError`` has these stable codes, which double as reason codes of
the ``input`` check: ``empty_input``, ``input_too_large`` {limit},
``not_utf8``, ``unrecognized_input``, ``invalid_json`` {line, column},
``not_json_object``, ``malformed_jws``. Errors of the image reader in
``baking`` (``image_corrupt``, ``image_too_large``,
``decompression_bomb``, ``svg_unsafe``, ``not_baked``,
``multiple_payloads`` {count}, ``payload_invalid``, ``payload_too_large``)
pass through with their own codes.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

from . import baking
from .errors import OpenBadgesError

MAX_TEXT_BYTES = 1024 * 1024
# A credential nests about ten levels deep. The limit keeps recursive
# readers (JSON-LD expansion, the JSON schema validator) far from Python's
# recursion limit.
MAX_JSON_DEPTH = 64
OB2_CONTEXT = "https://w3id.org/openbadges/v2"
VC_CONTEXTS = ("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/2018/credentials/v1")

# Compact JWS: three base64url parts. The signature may be empty so that
# an unsigned "alg: none" token is recognised and rejected by name.
_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_UTF8_BOM = b"\xef\xbb\xbf"
# An XML declaration, comments and a DOCTYPE may come before <svg>.
_SVG_SNIFF_BYTES = 4096
_WHITESPACE = b" \t\r\n"


class InputError(OpenBadgesError):
    """A submission that is not a badge the verifier can read; ``code`` names the reason."""

    def __init__(self, code: str, message: str, *, params: dict[str, Any] | None = None) -> None:
        super().__init__(message, params=params)
        self.code = code


@dataclass(frozen=True)
class Payload:
    """One badge to verify.

    ``format`` is ``"ob3"`` or ``"ob2"``, or None for a URL not yet
    fetched. ``kind`` is ``"json"``, ``"jws"`` or ``"url"``. ``source`` is
    what the person gave: ``png``, ``svg``, ``json``, ``jwt`` or ``url``.
    ``document`` is the parsed JSON object when ``kind`` is ``"json"``.
    """

    format: str | None
    kind: str
    text: str
    source: str
    document: dict[str, Any] | None = None


def read_submission(
    data: bytes, *, max_image_bytes: int, allow_url: bool = True, source: str | None = None
) -> Payload:
    """Recognise ``data`` and return the badge in it; raises ``InputError`` or a baking error.

    ``source`` overrides the reported source, for a body fetched from a URL.
    """
    head = data.lstrip(_WHITESPACE)
    if not head:
        raise InputError("empty_input", "The input is empty; give a badge image, its JSON, a JWT or a URL.")
    if data.startswith(baking.PNG_SIGNATURE) or _looks_like_svg(head):
        return _read_image(data, max_image_bytes=max_image_bytes, source=source)
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(
            "input_too_large",
            f"The text is {len(data)} bytes; a badge's JSON or JWT is at most {MAX_TEXT_BYTES} bytes.",
            params={"limit": MAX_TEXT_BYTES},
        )
    return read_text(decode_text(data), allow_url=allow_url, source=source)


def decode_text(data: bytes) -> str:
    """Decode UTF-8 text, with or without a byte order mark; raises ``InputError`` ``not_utf8``."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            "not_utf8",
            f"The input is not UTF-8 text (invalid byte at offset {error.start}); give the badge's JSON, "
            "JWT or image file.",
        ) from None


def read_text(text: str, *, allow_url: bool = True, source: str | None = None) -> Payload:
    """Recognise badge text: JSON, a compact JWS or a URL."""
    stripped = text.strip()
    if stripped.startswith(("{", "[")):
        document = parse_json_object(stripped)
        return Payload(json_format(document), "json", stripped, source or "json", document)
    if _COMPACT_JWS.fullmatch(stripped):
        _header, payload = peek_jws(stripped)
        return Payload(jws_format(payload), "jws", stripped, source or "jwt")
    if allow_url and _URL.fullmatch(stripped):
        return Payload(None, "url", stripped, source or "url")
    raise InputError(
        "unrecognized_input",
        "The input is not a badge: expected a baked PNG or SVG image, JSON, a JWT or a web address.",
    )


def parse_json_object(text: str) -> dict[str, Any]:
    """Parse ``text`` as one JSON object; raises ``InputError`` ``invalid_json`` or ``not_json_object``."""
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise InputError(
            "invalid_json",
            f"The JSON is invalid at line {error.lineno}, column {error.colno}: {error.msg}.",
            params={"line": error.lineno, "column": error.colno},
        ) from None
    except (ValueError, RecursionError):
        raise InputError(
            "invalid_json", "The JSON is invalid or nested too deeply.", params={"line": 0, "column": 0}
        ) from None
    if not isinstance(value, dict):
        raise InputError(
            "not_json_object", f"The JSON is a {type(value).__name__}, not an object, so it is not a badge."
        )
    if json_depth(value) > MAX_JSON_DEPTH:
        raise InputError(
            "invalid_json",
            f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep, which no badge is.",
            params={"line": 0, "column": 0},
        )
    return value


def json_depth(value: Any) -> int:
    """Return how deeply ``value`` nests objects and arrays, without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def peek_jws(token: str) -> tuple[dict[str, Any], Any]:
    """Return the header and the JSON payload of a compact JWS without checking anything else.

    Unlike ``jws.decode_unverified`` it accepts an empty signature, so
    that the verifier can name an unsigned token. Raises ``InputError``
    ``malformed_jws`` when the header is not a JSON object with a string
    ``alg`` or the payload is not JSON.
    """
    header_part, payload_part, _signature = token.strip().split(".")
    try:
        header = json.loads(_b64url_decode(header_part))
        payload = json.loads(_b64url_decode(payload_part))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise InputError(
            "malformed_jws", "The JWT is damaged: its header or payload is not base64url-encoded JSON."
        ) from None
    if not isinstance(header, dict) or not isinstance(header.get("alg"), str):
        raise InputError("malformed_jws", "The JWT header is not a JSON object with an 'alg' string.")
    return header, payload


def json_format(document: dict[str, Any]) -> str:
    """Return "ob2" for an Open Badges 2.0 object and "ob3" for anything else.

    A document that is neither goes to the 3.0 verifier, whose structure
    check then reports what is missing.
    """
    contexts = _as_list(document.get("@context"))
    if OB2_CONTEXT in contexts:
        return "ob2"
    if any(context in VC_CONTEXTS for context in contexts):
        return "ob3"
    if "Assertion" in _as_list(document.get("type")):
        return "ob2"
    return "ob3"


def jws_format(payload: Any) -> str:
    """Return "ob2" for a signed 2.0 assertion and "ob3" for a VC-JWT."""
    if isinstance(payload, dict) and "vc" not in payload and json_format(payload) == "ob2":
        return "ob2"
    return "ob3"


def _looks_like_svg(head: bytes) -> bool:
    """Return whether markup is XML or has an ``<svg`` element near the top, unlike an HTML page."""
    markup = head.removeprefix(_UTF8_BOM).lstrip(_WHITESPACE)[:_SVG_SNIFF_BYTES].lower()
    return markup.startswith((b"<?xml", b"<!doctype svg")) or (markup.startswith(b"<") and b"<svg" in markup)


def _read_image(data: bytes, *, max_image_bytes: int, source: str | None) -> Payload:
    image_source = "png" if data.startswith(baking.PNG_SIGNATURE) else "svg"
    if len(data) > max_image_bytes:
        raise InputError(
            "input_too_large",
            f"The image is {len(data)} bytes; the limit is {max_image_bytes} bytes.",
            params={"limit": max_image_bytes},
        )
    # Raises NotBakedError, MultiplePayloadsError and the reader's errors,
    # whose codes are reason codes of the input check too.
    baked = baking.extract_one(data)
    text = baked.text.strip()
    if baked.kind == "jws" or (baked.verify and _COMPACT_JWS.fullmatch(baked.verify.strip())):
        jws_text = text if baked.kind == "jws" else baked.verify.strip()
        peek_jws(jws_text)
        return Payload(baked.format, "jws", jws_text, source or image_source)
    if baked.kind == "url":
        return Payload(baked.format, "url", text, source or image_source)
    document = parse_json_object(text)
    return Payload(baked.format, "json", text, source or image_source, document)


def _b64url_decode(part: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except binascii.Error as error:
        raise ValueError(str(error)) from None


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
