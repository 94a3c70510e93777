"""Badge images to bake a credential into: the badge version's image as PNG or as SVG.

A badge image is stored once, as a validated PNG or a sanitised SVG
(``issuers.images``). A PNG download of an SVG badge rasterises it with
resvg; an SVG download of a PNG badge wraps the PNG in an SVG ``<image>``::

    <svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
      <image width="256" height="256" href="data:image/png;base64,iVBORw0KGgo…"/>
    </svg>
"""
import base64
import io

from PIL import Image

from issuers.models import UploadedImage

# Rasterised SVG badges fit in this square, in pixels: crisp at the 160 px
# of the verification page on high-density screens, and a bounded canvas
# whatever width and height the SVG declares.
RASTER_SIZE = 512


class ImageConversionError(Exception):
    """A badge image that cannot be converted to the other format."""


def badge_png(image: UploadedImage) -> bytes:
    """Return the badge image as PNG bytes, rasterising an SVG badge."""
    data = bytes(image.data)
    if image.content_type == "image/png":
        return data
    return rasterise_svg(data)


def badge_svg(image: UploadedImage) -> bytes:
    """Return the badge image as SVG bytes, wrapping a PNG badge in an SVG of the same size."""
    data = bytes(image.data)
    if image.content_type == "image/svg+xml":
        return data
    return wrap_png(data)


def rasterise_svg(svg: bytes, *, size: int = RASTER_SIZE) -> bytes:
    """Render an SVG to a PNG that fits in a ``size`` × ``size`` square, keeping its aspect ratio.

    Pass only sanitised SVGs (``issuers.images.clean_image``): resvg reads
    files that an ``href`` names, and the sanitiser allows only data: URIs
    and fragment links. Text is drawn with the fonts installed on this
    machine, so the pixels can differ between machines. On one machine the
    same input gives the same bytes.
    """
    try:
        import resvg_py
    except ImportError:
        raise ImageConversionError(
            "Rasterising an SVG badge needs the resvg-py package; install the project's dependencies."
        ) from None
    try:
        # Giving both width and height fits the image inside the square. Without
        # them resvg allocates the SVG's own declared size, which may be huge.
        return bytes(resvg_py.svg_to_bytes(svg_string=svg.decode("utf-8"), width=size, height=size))
    except (ValueError, UnicodeDecodeError) as error:
        raise ImageConversionError(f"The SVG badge image cannot be rasterised: {error}.") from None


def wrap_png(png: bytes) -> bytes:
    """Return an SVG that shows ``png`` at its own pixel size."""
    try:
        with Image.open(io.BytesIO(png)) as image:
            width, height = image.size
    except (OSError, SyntaxError) as error:
        raise ImageConversionError(f"The PNG badge image cannot be read: {error}.") from None
    encoded = base64.b64encode(png).decode("ascii")
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">'
        f'<image width="{width}" height="{height}" href="data:image/png;base64,{encoded}"/>'
        "</svg>"
    )
    return svg.encode("ascii")
