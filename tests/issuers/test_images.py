import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from issuers.images import clean_image


def png_bytes(size=(64, 64), colour=(10, 80, 140, 255)) -> bytes:
    output = io.BytesIO()
    Image.new("RGBA", size, colour).save(output, format="PNG")
    return output.getvalue()


def svg(body: str, extra_namespaces: str = "") -> bytes:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" {extra_namespaces} '
        f'width="10" height="10">{body}</svg>'
    ).encode()


def rejected_code(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        clean_image(data)
    return caught.value.code


def test_png_is_reencoded():
    image = clean_image(png_bytes())

    assert image.content_type == "image/png"
    assert (image.width, image.height) == (64, 64)
    assert image.data.startswith(b"\x89PNG")
    assert len(image.sha256) == 64


def test_large_png_is_scaled_down():
    image = clean_image(png_bytes(size=(3000, 100)))
    assert image.width == 2048


def test_text_file_rejected():
    assert rejected_code(b"hello, this is not an image") == "image_type"


def test_truncated_png_rejected():
    assert rejected_code(png_bytes()[:60]) == "image_invalid"


def test_oversized_file_rejected(settings):
    settings.MERKKIPAJA_MAX_IMAGE_BYTES = 1000
    assert rejected_code(png_bytes(size=(400, 400), colour=(1, 2, 3, 4)) + b"\0" * 2000) == "image_too_large"


def test_decompression_bomb_rejected():
    # 20000 x 20000 pixels compress to a small file but would need 1.6 GB of memory.
    output = io.BytesIO()
    Image.new("1", (20000, 20000)).save(output, format="PNG")
    assert rejected_code(output.getvalue()) in {"image_dimensions", "image_invalid"}


def test_clean_svg_accepted():
    image = clean_image(svg('<circle cx="5" cy="5" r="4" fill="#123456"/>'))

    assert image.content_type == "image/svg+xml"
    assert b"<circle" in image.data


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        '<circle onload="alert(1)" r="1"/>',
        '<a xlink:href="javascript:alert(1)"><circle r="1"/></a>',
        '<image href="https://tracker.example/pixel.png"/>',
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>',
        "<style>@import url(https://example.org/a.css);</style>",
        '<rect style="fill: url(https://example.org/x)"/>',
        '<set attributeName="href" to="javascript:alert(1)"/>',
    ],
)
def test_unsafe_svg_rejected(body):
    assert rejected_code(svg(body)) == "svg_unsafe"


def test_svg_entity_expansion_rejected():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>'
    )
    assert rejected_code(bomb) == "svg_invalid"


def test_svg_editor_metadata_dropped():
    data = svg(
        '<sodipodi:namedview id="n"/><circle r="1" inkscape:label="x"/>',
        extra_namespaces='xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" '
        'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"',
    )

    image = clean_image(data)

    assert b"namedview" not in image.data
    assert b"inkscape" not in image.data


def test_non_svg_xml_rejected():
    assert rejected_code(b'<?xml version="1.0"?><html><svg/></html>') == "svg_invalid"


def test_error_message_is_finnish_by_default():
    with pytest.raises(ValidationError) as caught:
        clean_image(b"not an image")
    assert caught.value.messages[0].startswith("Tiedosto ei ole PNG- tai SVG-kuva.")


def test_error_message_in_swedish():
    from django.utils import translation

    with translation.override("sv"), pytest.raises(ValidationError) as caught:
        clean_image(b"not an image")
    assert "PNG" in caught.value.messages[0]
    assert not caught.value.messages[0].startswith("Tiedosto")
