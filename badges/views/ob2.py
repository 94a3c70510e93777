"""Open Badges 2.0 hosted objects: issuer, badge class, assertion, key and revocation list.

Verifiers get JSON-LD; 1EdTech's validator sends ``Accept: application/ld+json,
application/json, image/png, image/svg+xml``. Browsers, which name
``text/html``, get a 303 redirect to the human page of the same thing. A
client that names neither, such as ``curl`` with ``*/*``, gets JSON:
these addresses exist for programs. Unknown ids are a 404 with a JSON body
for JSON clients and the usual page for browsers.
"""
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from issuers.models import KeyAlgorithm, Organisation, SigningKey

from .. import ob2, selectors
from ..models import Credential
from ..negotiation import wants_json
from ..openbadges.ob2 import to_json_text

LD_JSON_MEDIA_TYPE = "application/ld+json"
HTML_MEDIA_TYPES = ("text/html", "application/xhtml+xml")


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


@require_safe
@vary_on_headers("Accept")
def assertion(request, credential_id):
    """Serve the hosted assertion exactly as it was stored when the credential was issued."""
    item = (
        Credential.objects.filter(id=credential_id)
        .exclude(ob2_assertion="")
        .only("id", "ob2_assertion", "revoked_at", "revocation_reason")
        .first()
    )
    if item is None:
        return _not_found(request)
    if _wants_html(request):
        return HttpResponseSeeOther(reverse("credential", kwargs={"credential_id": item.id}))
    if item.revoked_at is not None:
        # Open Badges 2.0: a revoked hosted assertion returns 410 Gone,
        # with revoked: true and the public reason in the body.
        return _json_response(request, to_json_text(ob2.revoked_assertion_document(item)), status=410)
    return _json_response(request, item.ob2_assertion)


@require_safe
@vary_on_headers("Accept")
def badge_class(request, badge_id, version):
    try:
        item, issuer_profile = selectors.badge_version_for_public(badge_id, version)
    except Http404:
        return _not_found(request)
    if _wants_html(request):
        return HttpResponseSeeOther(reverse("achievement", kwargs={"badge_id": badge_id, "version": version}))
    return _json_response(request, to_json_text(ob2.badge_class_document(item, issuer_profile=issuer_profile)))


@require_safe
@vary_on_headers("Accept")
def issuer(request, slug):
    organisation = Organisation.objects.filter(slug=slug).select_related("logo").first()
    if organisation is None:
        return _not_found(request)
    if _wants_html(request):
        return HttpResponseSeeOther(reverse("issuers:profile", kwargs={"slug": slug}))
    return _json_response(request, to_json_text(ob2.issuer_document(organisation)))


@require_safe
@vary_on_headers("Accept")
def key(request, slug, key_id):
    """Serve one RSA public key as a CryptographicKey; a revoked key is gone."""
    item = (
        SigningKey.objects.filter(
            organisation__slug=slug, key_id=key_id, algorithm=KeyAlgorithm.RSA, revoked_at__isnull=True
        )
        .select_related("organisation")
        .first()
    )
    if item is None:
        return _not_found(request)
    # No human page exists for a key, so browsers get the JSON too.
    return _json_response(request, to_json_text(ob2.key_document(item)))


@require_safe
@vary_on_headers("Accept")
def revocation_list(request, slug):
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        return _not_found(request)
    return _json_response(request, to_json_text(ob2.revocation_list_document(organisation)))


def _json_response(request, text: str, *, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        text.encode("utf-8"), content_type=f"{_json_media_type(request)}; charset=utf-8", status=status
    )
    # Browser-based verifiers on other origins must be able to read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _not_found(request) -> HttpResponse:
    if _wants_html(request):
        raise Http404(_("No such Open Badges 2.0 object."))
    body = {
        "code": "not_found",
        "detail": _("There is no Open Badges 2.0 object at %(path)s. Check the address.")
        % {"path": request.path},
    }
    return _json_response(request, to_json_text(body), status=404)


def _json_media_type(request) -> str:
    # JSON-LD unless the client accepts plain JSON only.
    accepted = _accepted_media_types(request)
    if "application/json" in accepted and LD_JSON_MEDIA_TYPE not in accepted:
        return "application/json"
    return LD_JSON_MEDIA_TYPE


def _wants_html(request) -> bool:
    if wants_json(request):
        return False
    return any(media_type in _accepted_media_types(request) for media_type in HTML_MEDIA_TYPES)


def _accepted_media_types(request) -> set[str]:
    """Return the media types that the Accept header names with a quality above zero."""
    accepted = set()
    for part in request.headers.get("Accept", "").split(","):
        media_type, *parameters = [field.strip() for field in part.split(";")]
        if media_type and _quality(parameters) > 0:
            accepted.add(media_type.lower())
    return accepted


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _separator, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0
