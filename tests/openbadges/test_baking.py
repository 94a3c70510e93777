"""Baking credentials into PNG and SVG images and reading them back, including hostile files."""

import io
import json
import struct
import zlib
from xml.etree import ElementTree

import pytest
from PIL import Image, PngImagePlugin

from badges.openbadges import baking
from badges.openbadges.baking import BakedPayload
from badges.openbadges.errors import (
    BakedPayloadError,
    BakingError,
    DecompressionBombError,
    ImageCorruptError,
    ImageTooLargeError,
    MultiplePayloadsError,
    NotBakedError,
    PayloadTooLargeError,
    UnsafeSvgError,
    UnsupportedImageError,
)

CREDENTIAL_JSON = json.dumps(
    {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "https://merkit.example.fi/credentials/6f1c2a9e-0b5d-4c1e-9a3f-2d7e8b4c5a10",
        "name": "Digitaalinen tiedonhaku – ]]> <&> “lainaus”",
    },
    ensure_ascii=False,
    indent=2,
)
OTHER_JSON = '{"id": "https://merkit.example.fi/credentials/other"}'
JWS = "eyJhbGciOiJSUzI1NiJ9.eyJpZCI6Imh0dHBzOi8vbWVya2l0LmV4YW1wbGUuZmkvb2IyLzEifQ.c2lnbmF0dXJl"
ASSERTION_URL = "https://merkit.example.fi/ob2/assertions/6f1c2a9e-0b5d-4c1e-9a3f-2d7e8b4c5a10"
SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'width="64" height="64" viewBox="0 0 64 64">\n'
    b'  <defs><circle id="dot" r="4"/></defs>\n'
    b'  <circle cx="32" cy="32" r="30" fill="#0b4f8a"/>\n'
    b'  <use xlink:href="#dot" x="32" y="32"/>\n'
    b'  <text x="32" y="40" text-anchor="middle">A &amp; B</text>\n'
    b"</svg>\n"
)


def make_png(width=8, height=8, text_chunks=()) -> bytes:
    image = Image.new("RGBA", (width, height), (11, 79, 138, 255))
    info = PngImagePlugin.PngInfo()
    for keyword, value, kind in text_chunks:
        if kind == "iTXt":
            info.add_itxt(keyword, value)
        elif kind == "zTXt":
            info.add_text(keyword, value, zip=True)
        else:
            info.add_text(keyword, value)
    output = io.BytesIO()
    image.save(output, format="PNG", pnginfo=info)
    return output.getvalue()


def chunk(chunk_type: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + chunk_type + data + struct.pack(">I", zlib.crc32(chunk_type + data))


def chunks_of(png: bytes) -> list[tuple[bytes, bytes]]:
    """List (type, data) of every chunk, read independently of the code under test."""
    result, offset = [], 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        result.append((png[offset + 4 : offset + 8], png[offset + 8 : offset + 8 + length]))
        offset += 12 + length
    return result


def insert_after_ihdr(png: bytes, extra: bytes) -> bytes:
    # 8-byte signature, then IHDR: 4 length + 4 type + 13 data + 4 CRC.
    return png[:33] + extra + png[33:]


@pytest.fixture
def png():
    return make_png()


# PNG baking


def test_png_round_trip(png):
    baked = baking.bake_png(png, keyword=baking.KEYWORD_OB3, text=CREDENTIAL_JSON)
    assert baking.extract_png(baked) == [BakedPayload(format="ob3", kind="json", text=CREDENTIAL_JSON)]


@pytest.mark.parametrize(
    "keyword, text, expected",
    [
        ("openbadges", JWS, BakedPayload(format="ob2", kind="jws", text=JWS)),
        ("openbadges", ASSERTION_URL, BakedPayload(format="ob2", kind="url", text=ASSERTION_URL)),
        ("openbadgecredential", JWS, BakedPayload(format="ob3", kind="jws", text=JWS)),
    ],
)
def test_png_round_trip_kinds(png, keyword, text, expected):
    assert baking.extract_png(baking.bake_png(png, keyword=keyword, text=text)) == [expected]


def test_png_bake_is_deterministic(png):
    first = baking.bake_png(png, keyword=baking.KEYWORD_OB3, text=CREDENTIAL_JSON)
    second = baking.bake_png(png, keyword=baking.KEYWORD_OB3, text=CREDENTIAL_JSON)
    assert first == second


def test_png_bake_writes_one_uncompressed_itxt_after_ihdr(png):
    baked = baking.bake_png(png, keyword=baking.KEYWORD_OB3, text=CREDENTIAL_JSON)
    chunks = chunks_of(baked)

    assert [chunk_type for chunk_type, _data in chunks[:2]] == [b"IHDR", b"iTXt"]
    assert chunks[1][1] == b"openbadgecredential\x00\x00\x00\x00\x00" + CREDENTIAL_JSON.encode("utf-8")
    assert [chunk_type for chunk_type, _data in chunks].count(b"iTXt") == 1
    assert chunks.index((b"iTXt", chunks[1][1])) < [chunk_type for chunk_type, _data in chunks].index(b"IDAT")


def test_png_bake_keeps_image_and_crcs_valid(png):
    baked = baking.bake_png(png, keyword=baking.KEYWORD_OB3, text=CREDENTIAL_JSON)

    with Image.open(io.BytesIO(baked)) as image:
        image.verify()
    with Image.open(io.BytesIO(baked)) as image, Image.open(io.BytesIO(png)) as original:
        assert image.info["openbadgecredential"] == CREDENTIAL_JSON
        assert image.tobytes() == original.tobytes()


def test_png_rebake_replaces_earlier_credential(png):
    first = baking.bake_png(png, keyword=baking.KEYWORD_OB3, text=OTHER_JSON)

    rebaked = baking.bake_png(first, keyword=baking.KEYWORD_OB3, text=CREDENTIAL_JSON)

    assert baking.extract_png(rebaked) == [BakedPayload(format="ob3", kind="json", text=CREDENTIAL_JSON)]
    assert rebaked == baking.bake_png(png, keyword=baking.KEYWORD_OB3, text=CREDENTIAL_JSON)


@pytest.mark.parametrize("kind", ["tEXt", "zTXt", "iTXt"])
@pytest.mark.parametrize("keyword", ["openbadges", "openbadgecredential"])
def test_png_bake_removes_every_earlier_badge_chunk(keyword, kind):
    png = make_png(text_chunks=[(keyword, ASSERTION_URL, kind)])

    baked = baking.bake_png(png, keyword=baking.KEYWORD_OB3, text=CREDENTIAL_JSON)

    assert baking.extract_png(baked) == [BakedPayload(format="ob3", kind="json", text=CREDENTIAL_JSON)]


def test_png_bake_keeps_other_text_chunks():
    png = make_png(text_chunks=[("Software", "Inkscape", "tEXt"), ("Comment", "Merkki", "iTXt")])

    baked = baking.bake_png(png, keyword=baking.KEYWORD_OB3, text=CREDENTIAL_JSON)

    with Image.open(io.BytesIO(baked)) as image:
        assert (image.info["Software"], image.info["Comment"]) == ("Inkscape", "Merkki")


def test_png_bake_rejects_unknown_keyword(png):
    with pytest.raises(ValueError):
        baking.bake_png(png, keyword="OpenBadges", text=CREDENTIAL_JSON)


def test_png_bake_rejects_nul_in_text(png):
    with pytest.raises(ValueError):
        baking.bake_png(png, keyword=baking.KEYWORD_OB3, text='{"a": "\x00"}')


def test_png_bake_rejects_text_that_is_no_credential(png):
    with pytest.raises(BakedPayloadError):
        baking.bake_png(png, keyword=baking.KEYWORD_OB3, text="hello")


def test_png_bake_rejects_oversized_text(png):
    text = '{"a": "' + "x" * baking.MAX_PAYLOAD_BYTES + '"}'
    with pytest.raises(PayloadTooLargeError):
        baking.bake_png(png, keyword=baking.KEYWORD_OB3, text=text)


# PNG extraction


def test_png_without_credential_gives_empty_list(png):
    assert baking.extract_png(png) == []


def test_png_other_keywords_ignored():
    assert baking.extract_png(make_png(text_chunks=[("openbadges-extra", ASSERTION_URL, "tEXt")])) == []


@pytest.mark.parametrize("kind", ["tEXt", "zTXt", "iTXt"])
def test_png_legacy_chunks_read(kind):
    png = make_png(text_chunks=[("openbadges", ASSERTION_URL, kind)])
    assert baking.extract_png(png) == [BakedPayload(format="ob2", kind="url", text=ASSERTION_URL)]


def test_png_compressed_itxt_read(png):
    body = b"openbadgecredential\x00\x01\x00\x00\x00" + zlib.compress(CREDENTIAL_JSON.encode("utf-8"))
    baked = insert_after_ihdr(png, chunk(b"iTXt", body))
    assert baking.extract_png(baked) == [BakedPayload(format="ob3", kind="json", text=CREDENTIAL_JSON)]


def test_png_two_credentials_both_returned(png):
    baked = baking.bake_png(png, keyword=baking.KEYWORD_OB3, text=CREDENTIAL_JSON)
    second = chunk(b"tEXt", b"openbadges\x00" + ASSERTION_URL.encode())
    doubled = insert_after_ihdr(baked, second)

    assert baking.extract_png(doubled) == [
        BakedPayload(format="ob2", kind="url", text=ASSERTION_URL),
        BakedPayload(format="ob3", kind="json", text=CREDENTIAL_JSON),
    ]


def test_ztxt_bomb_rejected(png):
    bomb = zlib.compress(b"{" + b" " * (64 * 1024 * 1024), 9)
    assert len(bomb) < 100_000
    baked = insert_after_ihdr(png, chunk(b"zTXt", b"openbadges\x00\x00" + bomb))

    with pytest.raises(DecompressionBombError) as caught:
        baking.extract_png(baked)

    assert caught.value.code == "decompression_bomb"


def test_compressed_itxt_bomb_rejected(png):
    bomb = zlib.compress(b"{" + b" " * (8 * 1024 * 1024), 9)
    baked = insert_after_ihdr(png, chunk(b"iTXt", b"openbadgecredential\x00\x01\x00\x00\x00" + bomb))
    with pytest.raises(DecompressionBombError):
        baking.extract_png(baked)


def test_oversized_text_chunk_rejected(png):
    text = b'{"a": "' + b"x" * 2048 + b'"}'
    baked = insert_after_ihdr(png, chunk(b"tEXt", b"openbadges\x00" + text))

    with pytest.raises(PayloadTooLargeError) as caught:
        baking.extract_png(baked, max_payload_bytes=1024)

    assert caught.value.code == "payload_too_large"


def test_oversized_png_rejected(png):
    with pytest.raises(ImageTooLargeError) as caught:
        baking.extract_png(png, max_image_bytes=len(png) - 1)
    assert caught.value.code == "image_too_large"


@pytest.mark.parametrize("cut", [8, 20, 40, -12, -1])
def test_truncated_png_rejected(png, cut):
    baked = baking.bake_png(png, keyword=baking.KEYWORD_OB3, text=CREDENTIAL_JSON)

    with pytest.raises(ImageCorruptError) as caught:
        baking.extract_png(baked[:cut])

    assert caught.value.code == "image_corrupt"


def test_png_with_bad_crc_rejected(png):
    baked = bytearray(baking.bake_png(png, keyword=baking.KEYWORD_OB3, text=CREDENTIAL_JSON))
    baked[60] ^= 0x01  # inside the iTXt text
    with pytest.raises(ImageCorruptError):
        baking.extract_png(bytes(baked))


def test_png_with_huge_declared_length_rejected(png):
    broken = png[:33] + struct.pack(">I", 0xFFFFFFF0) + b"tEXt" + png[41:]
    with pytest.raises(ImageCorruptError):
        baking.extract_png(broken)


def test_png_must_start_with_ihdr(png):
    reordered = png[:8] + chunk(b"tEXt", b"Comment\x00x") + png[8:]
    with pytest.raises(ImageCorruptError):
        baking.extract_png(reordered)


def test_not_a_png_rejected():
    with pytest.raises(ImageCorruptError):
        baking.extract_png(b"GIF89a" + b"\x00" * 40)


def test_bake_into_corrupt_png_rejected(png):
    with pytest.raises(ImageCorruptError):
        baking.bake_png(png[:-5], keyword=baking.KEYWORD_OB3, text=CREDENTIAL_JSON)


def test_itxt_that_is_not_utf8_rejected(png):
    baked = insert_after_ihdr(png, chunk(b"iTXt", b"openbadgecredential\x00\x00\x00\x00\x00{\xff}"))
    with pytest.raises(BakedPayloadError):
        baking.extract_png(baked)


def test_itxt_without_separators_rejected(png):
    baked = insert_after_ihdr(png, chunk(b"iTXt", b"openbadgecredential\x00\x00\x00"))
    with pytest.raises(ImageCorruptError):
        baking.extract_png(baked)


def test_baked_text_that_is_no_credential_rejected(png):
    baked = insert_after_ihdr(png, chunk(b"tEXt", b"openbadges\x00hello"))
    with pytest.raises(BakedPayloadError) as caught:
        baking.extract_png(baked)
    assert caught.value.code == "payload_invalid"


# SVG baking


def test_svg_ob3_json_round_trip():
    baked = baking.bake_svg(SVG, version="ob3", text=CREDENTIAL_JSON)
    assert baking.extract_svg(baked) == [BakedPayload(format="ob3", kind="json", text=CREDENTIAL_JSON)]


def test_svg_ob3_json_in_cdata_as_first_child():
    baked = baking.bake_svg(SVG, version="ob3", text='{"id": "x"}').decode("utf-8")

    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked
    assert '64 64">\n  <openbadges:credential><![CDATA[{"id": "x"}]]></openbadges:credential>\n  <defs>' in baked


def test_svg_ob3_jws_in_verify_attribute():
    baked = baking.bake_svg(SVG, version="ob3", text=JWS)

    assert f'<openbadges:credential verify="{JWS}"></openbadges:credential>'.encode() in baked
    assert baking.extract_svg(baked) == [BakedPayload(format="ob3", kind="jws", text=JWS, verify=JWS)]


def test_svg_ob2_signed_form():
    baked = baking.bake_svg(SVG, version="ob2", text=JWS)

    assert b'xmlns:openbadges="http://openbadges.org"' in baked
    assert f'<openbadges:assertion verify="{JWS}"></openbadges:assertion>'.encode() in baked
    assert baking.extract_svg(baked) == [BakedPayload(format="ob2", kind="jws", text=JWS, verify=JWS)]


def test_svg_ob2_hosted_form_has_url_and_json():
    baked = baking.bake_svg(SVG, version="ob2", text=OTHER_JSON, verify=ASSERTION_URL)

    assert f'<openbadges:assertion verify="{ASSERTION_URL}"><![CDATA[{OTHER_JSON}]]>'.encode() in baked
    assert baking.extract_svg(baked) == [
        BakedPayload(format="ob2", kind="json", text=OTHER_JSON, verify=ASSERTION_URL)
    ]


def test_svg_cdata_end_marker_survives():
    text = '{"narrative": "a]]>b]]]>c"}'
    baked = baking.bake_svg(SVG, version="ob3", text=text)
    assert baking.extract_svg(baked)[0].text == text


def test_svg_bake_is_deterministic():
    first = baking.bake_svg(SVG, version="ob3", text=CREDENTIAL_JSON)
    second = baking.bake_svg(SVG, version="ob3", text=CREDENTIAL_JSON)
    assert first == second


def test_svg_bake_ignores_global_namespace_registry():
    before = baking.bake_svg(SVG, version="ob3", text=CREDENTIAL_JSON)
    ElementTree.register_namespace("linkki", "http://www.w3.org/1999/xlink")
    try:
        after = baking.bake_svg(SVG, version="ob3", text=CREDENTIAL_JSON)
    finally:
        ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    assert after == before


def test_svg_bake_keeps_content():
    baked = baking.bake_svg(SVG, version="ob3", text=CREDENTIAL_JSON)

    assert b'<use xlink:href="#dot" x="32" y="32" />' in baked
    assert b"A &amp; B</text>" in baked
    assert b'xmlns:xlink="http://www.w3.org/1999/xlink"' in baked


def test_svg_rebake_replaces_earlier_credential():
    first = baking.bake_svg(SVG, version="ob2", text=OTHER_JSON, verify=ASSERTION_URL)

    rebaked = baking.bake_svg(first, version="ob3", text=CREDENTIAL_JSON)

    assert baking.extract_svg(rebaked) == [BakedPayload(format="ob3", kind="json", text=CREDENTIAL_JSON)]
    assert rebaked == baking.bake_svg(SVG, version="ob3", text=CREDENTIAL_JSON)


def test_svg_bake_is_well_formed_svg():
    baked = baking.bake_svg(SVG, version="ob3", text=CREDENTIAL_JSON)
    root = ElementTree.fromstring(baked)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root[0].tag == "{https://purl.imsglobal.org/ob/v3p0}credential"


def test_svg_bake_rejects_url_only():
    with pytest.raises(ValueError):
        baking.bake_svg(SVG, version="ob2", text=ASSERTION_URL)


def test_svg_bake_ob2_json_needs_url():
    with pytest.raises(ValueError):
        baking.bake_svg(SVG, version="ob2", text=OTHER_JSON)


def test_svg_bake_rejects_unknown_version():
    with pytest.raises(ValueError):
        baking.bake_svg(SVG, version="ob1", text=OTHER_JSON)


# SVG extraction


def test_svg_without_credential_gives_empty_list():
    assert baking.extract_svg(SVG) == []


def test_svg_two_credentials_both_returned():
    ob2 = baking.bake_svg(SVG, version="ob2", text=OTHER_JSON, verify=ASSERTION_URL).decode()
    both = ob2.replace(
        "<svg ",
        '<svg xmlns:ob3="https://purl.imsglobal.org/ob/v3p0" ',
        1,
    ).replace("</svg>", "<ob3:credential><![CDATA[{\"id\": \"y\"}]]></ob3:credential></svg>")

    assert [payload.format for payload in baking.extract_svg(both.encode())] == ["ob2", "ob3"]


def test_svg_with_bare_doctype_read():
    svg = (
        b'<?xml version="1.0" encoding="utf-8"?>\n'
        b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">\n'
        b"  <openbadges:credential>\n    <![CDATA[\n      {\"id\": \"x\"}\n    ]]>\n  </openbadges:credential>\n"
        b"</svg>"
    )
    assert baking.extract_svg(svg) == [BakedPayload(format="ob3", kind="json", text='{"id": "x"}')]


def test_svg_other_namespace_ignored():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/spec/ob/v3p0">'
        b'<openbadges:credential><![CDATA[{"id": "x"}]]></openbadges:credential></svg>'
    )
    assert baking.extract_svg(svg) == []


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE svg [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&lol4;</text></svg>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">
<openbadges:credential>&secret;</openbadges:credential></svg>"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<svg xmlns="http://www.w3.org/2000/svg"/>"""


@pytest.mark.parametrize("svg", [BILLION_LAUGHS, XXE, PARAMETER_ENTITY], ids=["billion-laughs", "xxe", "parameter-entity"])
def test_svg_with_entities_rejected(svg):
    with pytest.raises(UnsafeSvgError) as caught:
        baking.extract_svg(svg)
    assert caught.value.code == "svg_unsafe"


def test_bake_into_unsafe_svg_rejected():
    with pytest.raises(UnsafeSvgError):
        baking.bake_svg(XXE, version="ob3", text=OTHER_JSON)


def test_svg_undefined_entity_rejected():
    svg = b'<!DOCTYPE svg SYSTEM "file:///etc/passwd"><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>'
    with pytest.raises(ImageCorruptError):
        baking.extract_svg(svg)


@pytest.mark.parametrize(
    "svg",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>",
        b"<html><body/></html>",
        b"<svg><circle/></svg>",
        b"",
    ],
    ids=["malformed", "not-svg", "no-namespace", "empty"],
)
def test_svg_that_is_not_svg_rejected(svg):
    with pytest.raises(ImageCorruptError):
        baking.extract_svg(svg)


def test_oversized_svg_rejected():
    with pytest.raises(ImageTooLargeError):
        baking.extract_svg(SVG, max_image_bytes=len(SVG) - 1)


def test_svg_oversized_payload_rejected():
    baked = baking.bake_svg(SVG, version="ob3", text=CREDENTIAL_JSON)
    with pytest.raises(PayloadTooLargeError):
        baking.extract_svg(baked, max_payload_bytes=16)


def test_svg_empty_element_rejected():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        b"<openbadges:assertion/></svg>"
    )
    with pytest.raises(BakedPayloadError):
        baking.extract_svg(svg)


def test_svg_unqualified_child_rejected_when_baking():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><g xmlns=""><circle/></g></svg>'
    with pytest.raises(ImageCorruptError):
        baking.bake_svg(svg, version="ob3", text=OTHER_JSON)


# Any image


def test_extract_detects_png_and_svg(png):
    baked_png = baking.bake_png(png, keyword=baking.KEYWORD_OB3, text=OTHER_JSON)
    baked_svg = baking.bake_svg(SVG, version="ob3", text=OTHER_JSON)

    assert baking.extract(baked_png) == [BakedPayload(format="ob3", kind="json", text=OTHER_JSON)]
    assert baking.extract(baked_svg) == [BakedPayload(format="ob3", kind="json", text=OTHER_JSON)]


def test_extract_reads_svg_with_byte_order_mark():
    baked_svg = baking.bake_svg(SVG, version="ob3", text=OTHER_JSON)
    assert baking.extract(b"\xef\xbb\xbf" + baked_svg)[0].text == OTHER_JSON


def test_extract_rejects_other_files():
    with pytest.raises(UnsupportedImageError) as caught:
        baking.extract(b"GIF89a....")
    assert caught.value.code == "image_type"


def test_extract_one_returns_single_payload(png):
    baked = baking.bake_png(png, keyword=baking.KEYWORD_OB3, text=OTHER_JSON)
    assert baking.extract_one(baked) == BakedPayload(format="ob3", kind="json", text=OTHER_JSON)


def test_extract_one_not_baked(png):
    with pytest.raises(NotBakedError) as caught:
        baking.extract_one(png)
    assert caught.value.code == "not_baked"


def test_extract_one_multiple(png):
    baked = baking.bake_png(png, keyword=baking.KEYWORD_OB3, text=OTHER_JSON)
    doubled = insert_after_ihdr(baked, chunk(b"tEXt", b"openbadges\x00" + ASSERTION_URL.encode()))

    with pytest.raises(MultiplePayloadsError) as caught:
        baking.extract_one(doubled)

    assert caught.value.params == {"count": 2}


def test_every_baking_error_is_a_baking_error():
    for error_class in (
        BakedPayloadError, DecompressionBombError, ImageCorruptError, ImageTooLargeError,
        MultiplePayloadsError, NotBakedError, PayloadTooLargeError, UnsafeSvgError, UnsupportedImageError,
    ):
        assert issubclass(error_class, BakingError)
