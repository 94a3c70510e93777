import base64
import json
import zlib

import pytest

from badges.openbadges import baking
from badges.openbadges.errors import OpenBadgesError
from badges.openbadges.inputs import (
    MAX_JSON_DEPTH,
    MAX_TEXT_BYTES,
    InputError,
    json_format,
    peek_jws,
    read_submission,
)

from .verifier_fakes import SVG_IMAGE, itxt, png_chunk, png_image, png_with_chunks

LIMIT = 2 * 1024 * 1024
OB3 = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:uuid:1"}
OB2 = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "https://issuer.example/a/1"}


def b64(value) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def token(header, payload, signature="c2ln") -> str:
    return f"{b64(header)}.{b64(payload)}.{signature}"


def read(data, **options):
    return read_submission(data, max_image_bytes=LIMIT, **options)


def error_code(data, **options):
    with pytest.raises(OpenBadgesError) as caught:
        read(data, **options)
    return caught.value.code, caught.value.params


def test_json_ob3():
    payload = read(json.dumps(OB3).encode())

    assert (payload.format, payload.kind, payload.source) == ("ob3", "json", "json")
    assert payload.document == OB3


def test_json_ob2():
    assert read(json.dumps(OB2).encode()).format == "ob2"


def test_json_with_bom_and_whitespace():
    assert read(b"\xef\xbb\xbf \n" + json.dumps(OB3).encode()).document == OB3


def test_unknown_json_goes_to_ob3():
    assert json_format({"name": "x"}) == "ob3"


def test_jwt_ob3():
    payload = read(token({"alg": "RS256"}, {**OB3, "iss": "x"}).encode())

    assert (payload.format, payload.kind, payload.source) == ("ob3", "jws", "jwt")


def test_jws_ob2():
    assert read(token({"alg": "RS256"}, OB2).encode()).format == "ob2"


def test_vc_claim_jwt_is_ob3():
    assert read(token({"alg": "RS256"}, {"vc": OB2, "iss": "x"}).encode()).format == "ob3"


def test_unsigned_jwt_is_recognised():
    payload = read(token({"alg": "none"}, OB3, signature="").encode())

    assert payload.kind == "jws"


def test_url():
    payload = read(b"  https://issuer.example/assertions/1\n")

    assert (payload.format, payload.kind, payload.text) == (None, "url", "https://issuer.example/assertions/1")


def test_url_not_allowed_after_fetch():
    assert error_code(b"https://issuer.example/a", allow_url=False) == ("unrecognized_input", {})


@pytest.mark.parametrize("data", [b"", b"  \n\t"])
def test_empty(data):
    assert error_code(data)[0] == "empty_input"


def test_not_utf8():
    assert error_code(b'{"name": "\xff\xfe"}')[0] == "not_utf8"


def test_unrecognized_text():
    assert error_code(b"\x00\x01 not json")[0] == "unrecognized_input"


def test_html_page_is_not_svg():
    assert error_code(b"<!DOCTYPE html><html><body>Not found</body></html>")[0] == "unrecognized_input"


def test_invalid_json_names_position():
    assert error_code(b'{\n  "a": 1,\n  oops\n}') == ("invalid_json", {"line": 3, "column": 3})


@pytest.mark.parametrize("text", [b"[1, 2]", b'["x"]'])
def test_json_array_is_not_object(text):
    assert error_code(text)[0] == "not_json_object"


def test_nan_is_invalid_json():
    assert error_code(b'{"a": NaN}')[0] == "invalid_json"


def test_deep_json_rejected():
    text = "{" + '"a":{' * MAX_JSON_DEPTH + "}" * (MAX_JSON_DEPTH + 1)

    assert error_code(text.encode())[0] == "invalid_json"


def test_very_deep_json_does_not_crash():
    assert error_code(b"[" * 200_000)[0] == "invalid_json"


def test_text_too_large():
    data = b'{"a": "' + b"x" * MAX_TEXT_BYTES + b'"}'

    assert error_code(data) == ("input_too_large", {"limit": MAX_TEXT_BYTES})


@pytest.mark.parametrize(
    "header",
    [b64(b"garbage"), b64(b"not json"), b64([1, 2]), b64({"typ": "JWT"}), b64({"alg": 5}), "A"],
)
def test_malformed_jwt_header(header):
    assert error_code(f"{header}.{b64(OB3)}.c2ln".encode())[0] == "malformed_jws"


def test_jwt_payload_not_json():
    assert error_code(f"{b64({'alg': 'RS256'})}.{b64(b'x')}.c2ln".encode())[0] == "malformed_jws"


def test_peek_jws_returns_header_and_payload():
    assert peek_jws(token({"alg": "RS256", "kid": "k"}, OB3)) == ({"alg": "RS256", "kid": "k"}, OB3)


def test_baked_png_ob3_json():
    image = baking.bake_png(png_image(), keyword="openbadgecredential", text=json.dumps(OB3))

    payload = read(image)

    assert (payload.format, payload.kind, payload.source) == ("ob3", "json", "png")
    assert payload.document == OB3


def test_baked_png_ob2_jws():
    jws = token({"alg": "RS256"}, OB2)
    image = baking.bake_png(png_image(), keyword="openbadges", text=jws)

    payload = read(image)

    assert (payload.format, payload.kind, payload.text) == ("ob2", "jws", jws)


def test_baked_svg_ob3():
    image = baking.bake_svg(SVG_IMAGE, version="ob3", text=json.dumps(OB3))

    payload = read(image)

    assert (payload.format, payload.kind, payload.source) == ("ob3", "json", "svg")


def test_baked_svg_ob2_hosted_uses_json():
    image = baking.bake_svg(SVG_IMAGE, version="ob2", text=json.dumps(OB2), verify=OB2["id"])

    payload = read(image)

    assert (payload.format, payload.kind, payload.document) == ("ob2", "json", OB2)


def test_legacy_png_url():
    image = png_with_chunks(png_chunk(b"tEXt", b"openbadges\x00https://issuer.example/a/1"))

    payload = read(image)

    assert (payload.format, payload.kind, payload.text) == ("ob2", "url", "https://issuer.example/a/1")


def test_png_with_two_credentials():
    image = png_with_chunks(itxt("openbadgecredential", json.dumps(OB3)), itxt("openbadges", json.dumps(OB2)))

    assert error_code(image) == ("multiple_payloads", {"count": 2})


def test_png_without_credential():
    assert error_code(png_image())[0] == "not_baked"


def test_corrupt_png():
    image = png_image()

    assert error_code(image[: len(image) // 2])[0] == "image_corrupt"


def test_png_bad_crc():
    image = bytearray(baking.bake_png(png_image(), keyword="openbadgecredential", text=json.dumps(OB3)))
    image[40] ^= 0xFF

    assert error_code(bytes(image))[0] == "image_corrupt"


def test_decompression_bomb():
    bomb = zlib.compress(b" " * (16 * 1024 * 1024), 9)
    image = png_with_chunks(png_chunk(b"zTXt", b"openbadges\x00\x00" + bomb))

    assert error_code(image)[0] in ("decompression_bomb", "payload_too_large")


def test_image_too_large_before_parsing():
    image = png_image() + b"\x00" * LIMIT

    assert error_code(image) == ("input_too_large", {"limit": LIMIT})


def test_svg_entity_expansion():
    svg = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&c;</text></svg>'
    )

    assert error_code(svg)[0] == "svg_unsafe"


def test_svg_external_entity():
    svg = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>'
    )

    assert error_code(svg)[0] == "svg_unsafe"


def test_svg_not_well_formed():
    assert error_code(b'<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>')[0] == "image_corrupt"


def test_input_error_is_openbadges_error():
    error = InputError("empty_input", "message", params={"a": 1})

    assert (error.code, error.params) == ("empty_input", {"a": 1})
