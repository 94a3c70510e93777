"""Validation of uploaded badge images and logos.

PNG files are decoded and re-encoded, which drops metadata such as an
earlier Open Badges assertion baked into the file. SVG files are parsed
without DTDs or entities (defusedxml). An SVG that contains anything able
to run code or load other documents is rejected. The stored SVG is
re-serialised from the checked tree, never the uploaded bytes.
"""
import hashlib
import io
import re
import warnings
import xml.etree.ElementTree as ElementTree

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"
MAX_DIMENSION = 2048
MAX_SVG_ELEMENTS = 5000

# Elements that run code, embed other documents or animate attributes into
# script URLs. Anything outside the SVG namespace is rejected as well.
FORBIDDEN_SVG_ELEMENTS = {
    "script", "foreignObject", "iframe", "embed", "object", "handler", "listener",
    "animate", "set", "animateMotion", "animateTransform", "discard",
}
# Editors such as Inkscape add their own metadata namespaces; those elements
# and attributes are dropped rather than rejected.
METADATA_NAMESPACES = {
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.inkscape.org/namespaces/inkscape",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://purl.org/dc/elements/1.1/",
    "http://creativecommons.org/ns#",
}
SAFE_HREF = re.compile(r"^(#[\w.:-]+|data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=\s]+)$")
UNSAFE_CSS = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)|@import|expression\s*\(|javascript:", re.I)

ElementTree.register_namespace("", SVG_NAMESPACE)
ElementTree.register_namespace("xlink", XLINK_NAMESPACE)


class CleanImage:
    """A validated image ready to store: bytes, content type and size."""

    def __init__(self, data: bytes, content_type: str, width: int | None, height: int | None):
        self.data = data
        self.content_type = content_type
        self.width = width
        self.height = height
        self.sha256 = hashlib.sha256(data).hexdigest()


def clean_image(data: bytes, filename: str = "") -> CleanImage:
    """Validate an uploaded PNG or SVG and return the bytes to store.

    Raises ``ValidationError`` with a translated message that states what is
    wrong and how to fix it.
    """
    limit = settings.MERKKIPAJA_MAX_IMAGE_BYTES
    if len(data) > limit:
        raise ValidationError(
            _("The image is %(size)d kB; the maximum is %(limit)d kB. Save a smaller image and try again.")
            % {"size": len(data) // 1024, "limit": limit // 1024},
            code="image_too_large",
        )
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _clean_png(data)
    head = data[:1024].lstrip().lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head:
        return _clean_svg(data)
    raise ValidationError(
        _("The file is not a PNG or SVG image. Save the badge image as PNG or SVG and upload it again."),
        code="image_type",
    )


def _clean_png(data: bytes) -> CleanImage:
    invalid = ValidationError(
        _("The PNG image is damaged or cannot be read. Save it again in an image editor and upload it."),
        code="image_invalid",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                if image.format != "PNG":
                    raise invalid
                width, height = image.size
                if width > MAX_DIMENSION * 4 or height > MAX_DIMENSION * 4:
                    raise _too_big(width, height)
                image.load()
                image = image.convert("RGBA")
                if width > MAX_DIMENSION or height > MAX_DIMENSION:
                    image.thumbnail((MAX_DIMENSION, MAX_DIMENSION))
                output = io.BytesIO()
                image.save(output, format="PNG", optimize=True)
                return CleanImage(output.getvalue(), "image/png", image.width, image.height)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_big(None, None) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise invalid from None


def _too_big(width, height) -> ValidationError:
    return ValidationError(
        _("The image is too large in pixels. Use an image of at most %(max)d × %(max)d pixels.")
        % {"max": MAX_DIMENSION},
        code="image_dimensions",
    )


def _clean_svg(data: bytes) -> CleanImage:
    try:
        root = SafeElementTree.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except (DefusedXmlException, ElementTree.ParseError, ValueError):
        raise ValidationError(
            _("The SVG file is not valid XML or uses a DTD or entities. Export it again as plain SVG."),
            code="svg_invalid",
        ) from None

    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise ValidationError(
            _("The file is not an SVG image: its root element is not <svg>."), code="svg_invalid"
        )

    _drop_editor_metadata(root)
    elements = list(root.iter())
    if len(elements) > MAX_SVG_ELEMENTS:
        raise ValidationError(
            _("The SVG image has %(count)d elements; the maximum is %(max)d. Simplify the image.")
            % {"count": len(elements), "max": MAX_SVG_ELEMENTS},
            code="svg_too_complex",
        )

    for element in elements:
        _check_svg_element(element)

    cleaned = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return CleanImage(cleaned, "image/svg+xml", None, None)


def _namespace(name: str) -> str:
    return name[1:].split("}", 1)[0] if name.startswith("{") else ""


def _drop_editor_metadata(root) -> None:
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and _namespace(child.tag) in METADATA_NAMESPACES:
                parent.remove(child)
        for attribute in list(parent.attrib):
            if _namespace(attribute) in METADATA_NAMESPACES:
                del parent.attrib[attribute]


def _reject_svg(detail: str) -> ValidationError:
    return ValidationError(
        _("The SVG image contains %(detail)s, which is not allowed because it can run code or "
          "load other files. Remove it, or upload the image as PNG.") % {"detail": detail},
        code="svg_unsafe",
    )


def _check_svg_element(element) -> None:
    if not isinstance(element.tag, str) or not element.tag.startswith(f"{{{SVG_NAMESPACE}}}"):
        raise _reject_svg(_("an element outside the SVG namespace"))
    name = element.tag.split("}", 1)[1]
    if name in FORBIDDEN_SVG_ELEMENTS:
        raise _reject_svg(f"<{name}>")
    if name == "style" and element.text and UNSAFE_CSS.search(element.text):
        raise _reject_svg(_("a style sheet that loads other files"))

    for attribute, value in element.attrib.items():
        local = attribute.split("}", 1)[-1]
        if local.lower().startswith("on"):
            raise _reject_svg(_("an event handler attribute (%(name)s)") % {"name": local})
        if local == "href" and not SAFE_HREF.match(value.strip()):
            raise _reject_svg(_("a link to another file"))
        if local == "style" and UNSAFE_CSS.search(value):
            raise _reject_svg(_("a style that loads other files"))
        if "javascript:" in value.replace(" ", "").lower():
            raise _reject_svg(_("a javascript: address"))
