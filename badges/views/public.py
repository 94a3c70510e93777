"""Public pages: credential verification, QR codes, badge pages and images."""
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.vary import vary_on_headers

from issuers.models import UploadedImage

from .. import links, qr, selectors
from ..content import text_languages
from ..models import Credential
from ..negotiation import wants_json
from ..presentation import status_summary
from ..sharing import linkedin_add_url
from ..verification import check_messages, summary_reason, verify_submission

VC_MEDIA_TYPE = "application/vc+ld+json"


def home(request):
    return render(request, "home.html")


@vary_on_headers("Accept", "Accept-Language", "Cookie")
def credential(request, credential_id):
    """Show the verification page, or return the signed JSON when a verifier requests it."""
    item = selectors.credential_for_public(credential_id)
    if wants_json(request):
        media_type = VC_MEDIA_TYPE if VC_MEDIA_TYPE in request.headers.get("Accept", "") else "application/json"
        response = HttpResponse(item.document.encode("utf-8"), content_type=f"{media_type}; charset=utf-8")
        response["Access-Control-Allow-Origin"] = "*"
        return response

    # The same pipeline as /verify and verify_badge, so the page lists the
    # schema and status-list checks too; our own documents resolve in-process.
    result = verify_submission(item.document.encode("utf-8"))
    version = item.badge_version
    language = (get_language() or "fi")[:2]
    badge_name = version.text("name", language)
    context = {
        "credential": item,
        "version": version,
        # The profile that signed: for a network-issued badge the network,
        # never the organisation whose staff issued it.
        "issuer": item.issuer_profile,
        "recipient_name": public_recipient_name(item),
        "text_languages": text_languages(version, language),
        "result": result,
        "checks": check_messages(result),
        "failure_reason": summary_reason(result),
        "summary": status_summary(
            result,
            failure_reason=summary_reason(result),
            revoked_at=item.revoked_at,
            revocation_reason=item.revocation_reason,
        ),
        "verification_url": links.credential_url(item.id),
        "linkedin_url": credential_linkedin_url(item, badge_name),
        "badge_name": badge_name,
        "badge_description": version.text("description", language),
        "learning_outcomes": version.text("learning_outcomes", language),
        "assessment_criteria": version.text("assessment_criteria", language),
        "kapos_aligned": bool(version.kapos_code),
    }
    response = render(request, "badges/public/credential.html", context)
    # Earner pages are reachable only through the link the earner shares.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def public_recipient_name(credential: Credential) -> str:
    """Return the earner's name as public pages and printouts show it: empty once revoked."""
    # The one place that decides the displayed name, so that an earner's
    # privacy choices can be applied here for every public page.
    if credential.revoked_at is not None:
        return ""
    return credential.recipient_name


def credential_linkedin_url(credential: Credential, badge_name: str) -> str:
    valid_until = timezone.localdate(credential.valid_until) if credential.valid_until else None
    return linkedin_add_url(
        name=badge_name,
        organisation_name=credential.issuer_profile.name,
        issued_on=credential.issued_on,
        valid_until=valid_until,
        cert_url=links.credential_url(credential.id),
        cert_id=str(credential.id),
    )


def credential_download(request, credential_id):
    item = selectors.credential_for_public(credential_id)
    response = HttpResponse(item.document.encode("utf-8"), content_type=f"{VC_MEDIA_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="badge-{item.id}.json"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@cache_control(public=True, max_age=86400)
def credential_qr(request, credential_id, extension):
    item = selectors.credential_for_public(credential_id)
    url = links.credential_url(item.id)
    if extension == "svg":
        return HttpResponse(qr.qr_svg(url), content_type="image/svg+xml")
    return HttpResponse(qr.qr_png(url), content_type="image/png")


def achievement(request, badge_id, version):
    item, issuer_profile = selectors.badge_version_for_public(badge_id, version)
    language = (get_language() or "fi")[:2]
    context = {
        "version": item,
        "organisation": issuer_profile,
        "text_languages": text_languages(item, language),
        "badge_name": item.text("name", language),
        "badge_description": item.text("description", language),
        "learning_outcomes": item.text("learning_outcomes", language),
        "assessment_criteria": item.text("assessment_criteria", language),
        "kapos_aligned": bool(item.kapos_code),
    }
    return render(request, "badges/public/achievement.html", context)


@cache_control(public=True, max_age=31536000, immutable=True)
def image(request, sha256, extension):
    item = get_object_or_404(UploadedImage, sha256=sha256)
    response = HttpResponse(bytes(item.data), content_type=item.content_type)
    if item.content_type == "image/svg+xml":
        # A sanitised SVG still must not run as a document on our origin.
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response
