"""Baking: an Open Badges credential embedded in its PNG or SVG badge image.

PNG: one ``iTXt`` chunk right after ``IHDR``, not compressed, with an
empty language tag and translated keyword. The keyword is
``openbadgecredential`` for Open Badges 3.0 and ``openbadges`` for 2.0,
and the text is the credential JSON or a compact JWS::

    length | "iTXt" | "openbadgecredential" 00 | 00 (not compressed) 00 (method) | 00 (language) 00 (translated keyword) | UTF-8 text | CRC-32

SVG: one element in the Open Badges namespace as the first child of ``<svg>``,
with JSON in CDATA or a compact JWS in its ``verify`` attribute::

    <svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" …>
      <openbadges:credential><![CDATA[{"@context": […], …}]]></openbadges:credential>
      …
    </svg>

Open Badges 2.0 uses ``xmlns:openbadges="http://openbadges.org"`` and
``<openbadges:assertion verify="…">``: ``verify`` contains the signed JWS,
with an empty element, or the hosted assertion URL, with the JSON in CDATA.

Baking is deterministic and replaces every earlier baked credential, so an
image carries one credential. Extraction returns every credential it finds
and leaves rejecting an image with several to the verifier. Readers are
bounded: file size, text chunk length and inflated zTXt/iTXt text all have
limits, because an uploaded image is untrusted.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from .errors import (
    BakedPayloadError,
    DecompressionBombError,
    ImageCorruptError,
    ImageTooLargeError,
    MultiplePayloadsError,
    NotBakedError,
    PayloadTooLargeError,
    UnsafeSvgError,
    UnsupportedImageError,
)

KEYWORD_OB2 = "openbadges"
KEYWORD_OB3 = "openbadgecredential"
FORMAT_BY_KEYWORD = {KEYWORD_OB2: "ob2", KEYWORD_OB3: "ob3"}

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
# The namespace must match exactly: verifiers do not accept variants.
OB2_NAMESPACE = "http://openbadges.org"
OB3_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
BAKED_ELEMENTS = {
    "ob2": f"{{{OB2_NAMESPACE}}}assertion",
    "ob3": f"{{{OB3_NAMESPACE}}}credential",
}
FORMAT_BY_ELEMENT = {tag: version for version, tag in BAKED_ELEMENTS.items()}

# A badge image plus one credential stays far below these limits, so a
# larger file is rejected before it is parsed.
MAX_IMAGE_BYTES = 16 * 1024 * 1024
MAX_PAYLOAD_BYTES = 1024 * 1024

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TEXT_CHUNK_TYPES = (b"tEXt", b"zTXt", b"iTXt")
MAX_CHUNK_LENGTH = 2**31 - 1  # PNG specification, section 5.3
_CHUNK_TYPE = re.compile(rb"[A-Za-z]{4}")
_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+")

Format = Literal["ob2", "ob3"]
Kind = Literal["json", "jws", "url"]


@dataclass(frozen=True)
class BakedPayload:
    """One credential found in an image.

    ``format`` is the Open Badges version that the PNG keyword or SVG
    element names. ``kind`` is the type of ``text``: credential JSON, a
    compact JWS, or the URL of a hosted assertion, without surrounding
    whitespace. ``verify`` is the SVG ``verify`` attribute (None in PNG and
    where absent).
    """

    format: Format
    kind: Kind
    text: str
    verify: str | None = None


@dataclass(frozen=True)
class _Chunk:
    """One PNG chunk as offsets into the file, so that reading copies no image data."""

    type: bytes
    start: int  # offset of the length field
    end: int  # offset after the CRC

    def data(self, image: bytes) -> bytes:
        return image[self.start + 8 : self.end - 4]


# Any image


def extract(image: bytes) -> list[BakedPayload]:
    """Return every credential baked into a PNG or SVG image, recognised by its first bytes."""
    if image.startswith(PNG_SIGNATURE):
        return extract_png(image)
    head = image[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return extract_svg(image)
    raise UnsupportedImageError("The file is neither a PNG nor an SVG image.", value=image[:16])


def extract_one(image: bytes) -> BakedPayload:
    """Return the one credential baked into an image.

    Raises ``NotBakedError`` when there is none and ``MultiplePayloadsError``
    when there are several, since it is unknown which one the image shows.
    """
    payloads = extract(image)
    if not payloads:
        raise NotBakedError(
            "The image contains no Open Badges credential: no openbadges or openbadgecredential "
            "PNG text chunk and no Open Badges SVG element. Download the baked badge image again.",
        )
    if len(payloads) > 1:
        raise MultiplePayloadsError(
            f"The image contains {len(payloads)} Open Badges credentials, so it is unclear which one it "
            "shows. Use an image with one baked credential.",
            value=len(payloads),
            params={"count": len(payloads)},
        )
    return payloads[0]


def payload_kind(text: str) -> Kind:
    """Classify baked text as credential JSON, a compact JWS or a hosted assertion URL."""
    stripped = text.strip()
    if stripped.startswith("{"):
        return "json"
    if _COMPACT_JWS.fullmatch(stripped):
        return "jws"
    if stripped.startswith(("https://", "http://")):
        return "url"
    raise BakedPayloadError(
        "The baked text is not credential JSON, a compact JWS or an http(s) URL.", value=stripped[:80]
    )


# PNG


def bake_png(image: bytes, *, keyword: str, text: str) -> bytes:
    """Return ``image`` with ``text`` in one uncompressed iTXt chunk right after IHDR.

    Every earlier openbadges or openbadgecredential text chunk is removed.
    Raises ``BakingError`` subclasses for an unreadable or oversized PNG or text.
    """
    if keyword not in FORMAT_BY_KEYWORD:
        raise ValueError(f"keyword must be {KEYWORD_OB3!r} (Open Badges 3.0) or {KEYWORD_OB2!r} (2.0), not {keyword!r}.")
    payload_kind(text)
    encoded = text.encode("utf-8")
    if b"\x00" in encoded:
        raise ValueError("The text to bake contains a NUL character, which a PNG text chunk cannot contain.")
    _check_payload_size(len(encoded), MAX_PAYLOAD_BYTES)

    chunks = list(_read_png_chunks(image, MAX_IMAGE_BYTES))
    # Keyword, compression flag 0 and method 0, then empty language tag and translated keyword.
    body = keyword.encode("latin-1") + b"\x00\x00\x00\x00\x00" + encoded
    ihdr = chunks[0]
    kept = [image[chunk.start : chunk.end] for chunk in chunks[1:] if not _is_baked_chunk(image, chunk)]
    return PNG_SIGNATURE + image[ihdr.start : ihdr.end] + _chunk_bytes(b"iTXt", body) + b"".join(kept)


def extract_png(
    image: bytes, *, max_image_bytes: int = MAX_IMAGE_BYTES, max_payload_bytes: int = MAX_PAYLOAD_BYTES
) -> list[BakedPayload]:
    """Return the credential in every openbadges/openbadgecredential iTXt, tEXt and zTXt chunk.

    Raises ``ImageTooLargeError``, ``ImageCorruptError`` (bad signature,
    truncation, CRC mismatch), ``PayloadTooLargeError``,
    ``DecompressionBombError`` and ``BakedPayloadError``.
    """
    payloads = []
    for chunk in _read_png_chunks(image, max_image_bytes):
        if chunk.type not in TEXT_CHUNK_TYPES:
            continue
        keyword, _separator, rest = chunk.data(image).partition(b"\x00")
        version = FORMAT_BY_KEYWORD.get(keyword.decode("latin-1"))
        if version is None:
            continue
        _check_payload_size(len(rest), max_payload_bytes)
        text = _chunk_text(chunk.type, rest, max_payload_bytes).strip()
        payloads.append(BakedPayload(format=version, kind=payload_kind(text), text=text))
    return payloads


def _read_png_chunks(image: bytes, max_image_bytes: int) -> Iterator[_Chunk]:
    """Yield the chunks of a PNG from IHDR to IEND, checking lengths and CRCs."""
    if len(image) > max_image_bytes:
        raise ImageTooLargeError(
            f"The image is {len(image)} bytes; the limit is {max_image_bytes} bytes.",
            value=len(image),
            params={"size": len(image), "limit": max_image_bytes},
        )
    if not image.startswith(PNG_SIGNATURE):
        raise ImageCorruptError("The file does not start with the PNG signature.", value=image[:8])

    view = memoryview(image)
    offset = len(PNG_SIGNATURE)
    chunk_type = b""
    while chunk_type != b"IEND":
        if offset + 12 > len(image):
            raise ImageCorruptError(
                f"The PNG ends at byte {len(image)} before its IEND chunk; the file is truncated.", value=len(image)
            )
        length, chunk_type = struct.unpack(">I4s", view[offset : offset + 8])
        end = offset + 12 + length
        if length > MAX_CHUNK_LENGTH or end > len(image):
            raise ImageCorruptError(
                f"The PNG chunk at byte {offset} declares {length} bytes, more than the file contains; "
                "the file is truncated or damaged.",
                value=offset,
            )
        if not _CHUNK_TYPE.fullmatch(chunk_type):
            raise ImageCorruptError(f"The PNG chunk at byte {offset} has an invalid type {chunk_type!r}.", value=offset)
        (crc,) = struct.unpack(">I", view[end - 4 : end])
        if zlib.crc32(view[offset + 4 : end - 4]) != crc:
            raise ImageCorruptError(
                f"The CRC of the PNG {chunk_type.decode()} chunk at byte {offset} does not match; the file is damaged.",
                value=offset,
            )
        if offset == len(PNG_SIGNATURE) and chunk_type != b"IHDR":
            raise ImageCorruptError("The first PNG chunk is not IHDR.", value=chunk_type)
        yield _Chunk(type=chunk_type, start=offset, end=end)
        offset = end


def _is_baked_chunk(image: bytes, chunk: _Chunk) -> bool:
    if chunk.type not in TEXT_CHUNK_TYPES:
        return False
    keyword = chunk.data(image).partition(b"\x00")[0]
    return keyword.decode("latin-1") in FORMAT_BY_KEYWORD


def _chunk_text(chunk_type: bytes, rest: bytes, max_payload_bytes: int) -> str:
    """Decode the part of a text chunk after its keyword (PNG specification, section 11.3.4)."""
    if chunk_type == b"tEXt":
        return rest.decode("latin-1")
    if chunk_type == b"zTXt":
        if rest[:1] != b"\x00":
            raise ImageCorruptError("A zTXt chunk names an unknown compression method.", value=rest[:1])
        return _inflate(rest[1:], max_payload_bytes).decode("latin-1")

    if len(rest) < 2:
        raise ImageCorruptError("An iTXt chunk ends before its compression flag.", value=rest)
    compressed, method = rest[0], rest[1]
    parts = rest[2:].split(b"\x00", 2)
    if len(parts) != 3:
        raise ImageCorruptError("An iTXt chunk lacks its language tag or translated keyword.", value=rest[:40])
    data = parts[2]
    if compressed == 1 and method == 0:
        data = _inflate(data, max_payload_bytes)
    elif compressed != 0:
        raise ImageCorruptError("An iTXt chunk has an unknown compression flag or method.", value=rest[:2])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise BakedPayloadError("The text of an iTXt chunk is not UTF-8.", value=data[:40]) from None


def _inflate(data: bytes, limit: int) -> bytes:
    """Decompress zlib ``data``, refusing to produce more than ``limit`` bytes."""
    decompressor = zlib.decompressobj()
    try:
        output = decompressor.decompress(data, limit + 1)
    except zlib.error as error:
        raise ImageCorruptError(f"A compressed PNG text chunk cannot be decompressed: {error}.") from None
    if len(output) > limit or decompressor.unconsumed_tail:
        raise DecompressionBombError(
            f"A compressed PNG text chunk inflates to more than {limit} bytes; a badge credential is smaller.",
            value=limit,
            params={"limit": limit},
        )
    if not decompressor.eof:
        raise ImageCorruptError("A compressed PNG text chunk is truncated.")
    return output


def _chunk_bytes(chunk_type: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + chunk_type + data + struct.pack(">I", zlib.crc32(chunk_type + data))


def _check_payload_size(size: int, limit: int) -> None:
    if size > limit:
        raise PayloadTooLargeError(
            f"The baked text is {size} bytes; the limit for one credential is {limit} bytes.",
            value=size,
            params={"size": size, "limit": limit},
        )


# SVG


def bake_svg(svg: bytes, *, version: Format, text: str, verify: str | None = None) -> bytes:
    """Return ``svg`` with the credential as the first child of its root element.

    ``text`` is credential JSON, written as CDATA, or a compact JWS, written
    to ``verify`` with an empty element. An Open Badges 2.0 hosted assertion
    passes its JSON as ``text`` and its URL as ``verify``: badgecheck needs
    the JSON even when ``verify`` names the URL. Earlier baked elements are
    removed. Comments, processing instructions and a DOCTYPE are not kept.
    """
    if version not in BAKED_ELEMENTS:
        raise ValueError(f"version must be 'ob3' or 'ob2', not {version!r}.")
    content, verify = _svg_content(version, text, verify)
    _check_payload_size(len(text.encode("utf-8")), MAX_PAYLOAD_BYTES)

    root = _parse_svg(svg, MAX_IMAGE_BYTES)
    _remove_baked_elements(root)
    # makeelement: defusedxml builds the tree from its own copy of the ElementTree classes.
    element = root.makeelement(BAKED_ELEMENTS[version], {"verify": verify} if verify else {})
    element.text = content
    # The whitespace that indented the old first child now follows the new one.
    element.tail = root.text
    root.insert(0, element)
    return _serialize_svg(root, version)


def extract_svg(
    svg: bytes, *, max_image_bytes: int = MAX_IMAGE_BYTES, max_payload_bytes: int = MAX_PAYLOAD_BYTES
) -> list[BakedPayload]:
    """Return the credential in every Open Badges 2.0 and 3.0 element of an SVG image.

    Raises ``ImageTooLargeError``, ``ImageCorruptError``, ``UnsafeSvgError``
    (DTD internal subset, entities, external references),
    ``PayloadTooLargeError`` and ``BakedPayloadError``.
    """
    root = _parse_svg(svg, max_image_bytes)
    payloads = []
    for element in root.iter():
        version = FORMAT_BY_ELEMENT.get(element.tag)
        if version is None:
            continue
        verify = element.get("verify")
        text = (element.text or "").strip() or (verify or "").strip()
        if not text:
            raise BakedPayloadError("An Open Badges SVG element has neither content nor a verify attribute.")
        _check_payload_size(len(text.encode("utf-8")), max_payload_bytes)
        payloads.append(BakedPayload(format=version, kind=payload_kind(text), text=text, verify=verify))
    return payloads


def _svg_content(version: Format, text: str, verify: str | None) -> tuple[str | None, str | None]:
    """Return (element content, verify attribute) for the text to bake."""
    kind = payload_kind(text)
    if kind == "jws":
        if verify not in (None, text):
            raise ValueError("A baked JWS goes in the verify attribute; pass it as text and leave verify unset.")
        return None, text
    if kind == "url":
        raise ValueError(
            "Pass the hosted assertion JSON as text and its URL as verify: verifiers cannot read an "
            "SVG whose only content is a URL."
        )
    if version == "ob2" and not verify:
        raise ValueError("An Open Badges 2.0 hosted assertion needs its URL as verify.")
    return text, verify


class _SvgParser(DefusedXMLParser):
    """defusedxml's parser that also rejects a DOCTYPE with an internal subset.

    A bare DOCTYPE, as Illustrator and 1EdTech's example badges write it, is
    accepted: the external DTD is never loaded. Entity declarations and
    external references raise, which stops billion-laughs and XXE files.
    """

    def __init__(self):
        super().__init__(forbid_dtd=False, forbid_entities=True, forbid_external=True)
        self.parser.StartDoctypeDeclHandler = self._start_doctype

    @staticmethod
    def _start_doctype(name, system_id, public_id, has_internal_subset):
        if has_internal_subset:
            raise UnsafeSvgError(
                "The SVG has a DTD internal subset, which can declare entities; export the image again "
                "without a DOCTYPE.",
                value=name,
            )


def _parse_svg(svg: bytes, max_image_bytes: int) -> ElementTree.Element:
    if len(svg) > max_image_bytes:
        raise ImageTooLargeError(
            f"The image is {len(svg)} bytes; the limit is {max_image_bytes} bytes.",
            value=len(svg),
            params={"size": len(svg), "limit": max_image_bytes},
        )
    parser = _SvgParser()
    try:
        parser.feed(svg)
        root = parser.close()
    except DefusedXmlException as error:
        raise UnsafeSvgError(
            f"The SVG declares entities or refers to external files ({type(error).__name__}); "
            "export the image again as plain SVG.",
        ) from None
    except ElementTree.ParseError as error:
        raise ImageCorruptError(f"The SVG is not well-formed XML: {error}.") from None
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise ImageCorruptError(
            f"The root element is {root.tag!r}, not <svg> in the SVG namespace {SVG_NAMESPACE}.", value=root.tag
        )
    return root


def _remove_baked_elements(root: ElementTree.Element) -> None:
    for parent in list(root.iter()):
        for index, child in reversed(list(enumerate(parent))):
            if child.tag not in FORMAT_BY_ELEMENT:
                continue
            # Keep text that followed the element unless it is only whitespace.
            if child.tail and child.tail.strip():
                if index == 0:
                    parent.text = (parent.text or "") + child.tail
                else:
                    parent[index - 1].tail = (parent[index - 1].tail or "") + child.tail
            parent.remove(child)


def _serialize_svg(root: ElementTree.Element, version: Format) -> bytes:
    """Write the tree with fixed namespace prefixes.

    ``ElementTree.tostring`` takes prefixes from a process-wide registry
    that other modules change, so the same image could serialise
    differently from one process to another. Baking must be deterministic.
    """
    prefixes = _namespace_prefixes(root, version)
    declarations = "".join(
        f' xmlns="{uri}"' if prefix == "" else f' xmlns:{prefix}="{_escape_attribute(uri)}"'
        for uri, prefix in prefixes.items()
        if uri != XML_NAMESPACE
    )
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    _write_element(root, prefixes, parts, declarations)
    parts.append("\n")
    return "".join(parts).encode("utf-8")


def _namespace_prefixes(root: ElementTree.Element, version: Format) -> dict[str, str]:
    """Map each namespace URI in the tree to a prefix, in order of first use."""
    ob_namespace = OB3_NAMESPACE if version == "ob3" else OB2_NAMESPACE
    prefixes = {SVG_NAMESPACE: "", XML_NAMESPACE: "xml"}
    fixed = {XLINK_NAMESPACE: "xlink", ob_namespace: "openbadges"}
    for element in root.iter():
        # With SVG as the default namespace, an element without one would silently become SVG.
        if not element.tag.startswith("{"):
            raise ImageCorruptError(
                f"The SVG element <{element.tag}> has no namespace; every element must be in one.", value=element.tag
            )
        for name in (element.tag, *element.attrib):
            if not name.startswith("{"):
                continue
            uri = name[1:].split("}", 1)[0]
            if uri not in prefixes:
                prefixes[uri] = fixed.get(uri, f"ns{len(prefixes) - 1}")
    return prefixes


def _write_element(element, prefixes, parts, declarations="") -> None:
    tag = _qualified_name(element.tag, prefixes)
    attributes = "".join(
        f' {_qualified_name(name, prefixes)}="{_escape_attribute(value)}"' for name, value in element.attrib.items()
    )
    parts.append(f"<{tag}{declarations}{attributes}")
    if element.text is None and len(element) == 0:
        parts.append(" />" if element.tag not in FORMAT_BY_ELEMENT else f"></{tag}>")
    else:
        parts.append(">")
        if element.text:
            is_baked = element.tag in FORMAT_BY_ELEMENT
            parts.append(_cdata(element.text) if is_baked else _escape_text(element.text))
        for child in element:
            _write_element(child, prefixes, parts)
        parts.append(f"</{tag}>")
    if element.tail:
        parts.append(_escape_text(element.tail))


def _qualified_name(name: str, prefixes: dict[str, str]) -> str:
    if not name.startswith("{"):
        return name
    uri, local = name[1:].split("}", 1)
    prefix = prefixes[uri]
    return f"{prefix}:{local}" if prefix else local


def _cdata(text: str) -> str:
    # "]]>" would end the section early, so it is split across two sections.
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(text: str) -> str:
    escaped = _escape_text(text).replace('"', "&quot;")
    # Literal whitespace in attributes is normalised by XML parsers; references survive.
    return escaped.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
