"""QR codes of verification URLs, as PNG and SVG."""
import io

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M


def _qr(url: str) -> qrcode.QRCode:
    # Error correction M survives a smudged printout; border 4 is the
    # quiet zone the QR standard requires for reliable phone scanning.
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_png(url: str) -> bytes:
    image = _qr(url).make_image(fill_color="black", back_color="white")
    output = io.BytesIO()
    image.save(output)
    return output.getvalue()


def qr_svg(url: str) -> bytes:
    image = _qr(url).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    output = io.BytesIO()
    image.save(output)
    return output.getvalue()
