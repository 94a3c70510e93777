"""Downloads of a credential in every format: JSON, VC-JWT, OB 2.0 assertion and JWS, baked PNG and SVG."""
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import privacy, selectors
from ..exports import Export, ExportUnavailableError, export

# URL file name -> export format. The converter in urls_formats matches exactly these names.
DOWNLOADS = {
    "credential.jwt": "ob3-jwt",
    "assertion.json": "ob2-json",
    "assertion.jws": "ob2-jws",
    "badge-ob3.png": "ob3-png",
    "badge-ob3.svg": "ob3-svg",
    "badge-ob2.png": "ob2-png",
    "badge-ob2.svg": "ob2-svg",
}
TEXT_MEDIA_TYPES = ("text/plain", "application/ld+json", "application/vc+ld+json")


@require_safe
def credential_export(request, credential_id, filename):
    """Send one form of a credential as a file download, or 404 with a reason when it does not exist."""
    item = selectors.credential_for_public(credential_id)
    if not privacy.public_format_allowed(item, DOWNLOADS[filename]):
        status = 410 if privacy.is_withdrawn(item) else 403
        message = privacy.withdrawn_message(item) if status == 410 else _(
            "The earner has chosen not to show their full name, so this file, which contains it, "
            "is not public. Ask the earner for the file."
        )
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    try:
        result = export(item, DOWNLOADS[filename])
    except ExportUnavailableError as error:
        return HttpResponse(str(error), status=404, content_type="text/plain; charset=utf-8")
    return _file_response(result)


def _file_response(result: Export) -> HttpResponse:
    content_type = result.media_type
    if content_type in TEXT_MEDIA_TYPES:
        content_type += "; charset=utf-8"
    response = HttpResponse(result.data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    # Public documents that verifiers and wallets may fetch from other origins.
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Robots-Tag"] = "noindex, nofollow"
    if result.media_type == "image/svg+xml":
        # Opened directly, the SVG must not run as a document on our origin.
        response["Content-Security-Policy"] = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"
    return response
