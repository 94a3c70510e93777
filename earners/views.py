"""Earner pages under /passi/: sign-in, claiming, the backpack, privacy settings and data rights.

Every page here is personal: ``personal_page`` marks it with
``X-Robots-Tag: noindex`` and ``Cache-Control: private, no-store``, and
every template sets the robots meta tag too. Links from emails (sign-in,
claim, verification) open a page with a button, and only the POST uses
the link, so a mail scanner that prefetches links does not spend them.
"""
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from badges import links
from badges.exports import FORMATS, ExportUnavailableError, available_formats, export
from badges.models import NameDisplay
from badges.presentation import record_summary, status_summary
from badges.privacy import public_recipient_name
from badges.verification import summary_reason, verify_submission
from badges.views.formats import _file_response

from . import accounts, claims, data, selectors
from .forms import AddressForm, CodeForm, DeleteForm, LanguageForm, PrivacyForm
from .models import TokenPurpose
from .session import current_earner, earner_required, set_language_cookie, sign_in, sign_out


def personal_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapper


def _client_ip(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a
    # trusted proxy rewrites it, so it cannot bound attempts.
    # NOTE: behind a reverse proxy every request has the proxy's address;
    # the per-IP limits then count all visitors together.
    return request.META.get("REMOTE_ADDR", "")


def _language() -> str:
    return (get_language() or "fi")[:2]


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


@personal_page
@earner_required
def home(request, earner):
    credentials = selectors.backpack_credentials(earner)
    items = [{"credential": item, "status": record_summary(item)} for item in credentials]
    context = {
        "earner": earner,
        "items": items,
        "claimable": list(claims.claimable_by_address(earner)),
    }
    return render(request, "earners/home.html", context)


@personal_page
@require_http_methods(["GET", "POST"])
def sign_in_page(request):
    if current_earner(request) is not None and request.method == "GET" and not request.GET.get("next"):
        return redirect("earners:home")
    form = AddressForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        try:
            accounts.sign_in_request(
                address=form.cleaned_data["address"],
                ip_address=_client_ip(request),
                language=_language(),
                next_path=form.cleaned_data.get("next") or "",
            )
        except ValidationError as error:
            form.add_error("address", error)
        else:
            # The same page whether or not the address has an account.
            return render(request, "earners/sign_in_sent.html", {"minutes": accounts.SIGN_IN_MINUTES})
    return render(request, "earners/sign_in.html", {"form": form})


@personal_page
@require_http_methods(["GET", "POST"])
def sign_in_link(request, token):
    if request.method == "GET":
        valid = accounts.token_is_valid(token, TokenPurpose.SIGN_IN)
        return render(request, "earners/sign_in_link.html", {"valid": valid}, status=200 if valid else 410)
    try:
        earner, next_path = accounts.sign_in_complete(token=token, language=_language())
    except ValidationError as error:
        return render(request, "earners/sign_in_link.html", {"valid": False, "errors": _errors(error)}, status=410)
    sign_in(request, earner)
    response = redirect(next_path or "earners:home")
    return set_language_cookie(response, earner.language)


@personal_page
@require_POST
def sign_out_view(request):
    sign_out(request)
    messages.success(request, _("You have signed out of your Osaamispassi."))
    return redirect("home")


@personal_page
@require_http_methods(["GET", "POST"])
def claim_link(request, token):
    credential = claims.credential_for_claim_token(token)
    earner = current_earner(request)
    if credential is None:
        return render(request, "earners/claim_link.html", {"credential": None}, status=410)
    if request.method == "GET":
        context = {"credential": credential, "earner": earner,
                   "badge_name": credential.badge_version.text("name", _language())}
        return render(request, "earners/claim_link.html", context)

    try:
        claim, created = claims.claim_link_use(token=token, earner=earner)
    except ValidationError as error:
        context = {"credential": credential, "earner": earner, "errors": _errors(error),
                   "badge_name": credential.badge_version.text("name", _language())}
        return render(request, "earners/claim_link.html", context, status=409)
    if created is not None:
        sign_in(request, created)
        messages.success(request, _("The badge is now in your new Osaamispassi."))
        return set_language_cookie(redirect("earners:badge", credential_id=claim.credential_id), created.language)
    if earner is None:
        messages.success(request, _("The badge was saved to your Osaamispassi. Sign in to see it."))
        return redirect("earners:sign_in")
    messages.success(request, _("The badge is now in your Osaamispassi."))
    return redirect("earners:badge", credential_id=claim.credential_id)


@personal_page
@earner_required
@require_http_methods(["GET", "POST"])
def claim_code(request, earner):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = claims.claim_by_code(code=form.cleaned_data["code"], earner=earner,
                                         ip_address=_client_ip(request))
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(request, _("The badge is now in your Osaamispassi."))
            return redirect("earners:badge", credential_id=claim.credential_id)
    return render(request, "earners/claim_code.html", {"form": form, "earner": earner})


@personal_page
@earner_required
@require_POST
def claim_address(request, earner, credential_id):
    try:
        claim = claims.claim_by_address(credential_id=credential_id, earner=earner)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
        return redirect("earners:home")
    messages.success(request, _("The badge is now in your Osaamispassi."))
    return redirect("earners:badge", credential_id=claim.credential_id)


def _format_labels() -> dict:
    return {
        "ob3-json": _("Open Badges 3.0 credential (JSON)"),
        "ob3-jwt": _("Open Badges 3.0 credential (VC-JWT)"),
        "ob3-png": _("Open Badges 3.0 badge image with the credential inside (PNG)"),
        "ob3-svg": _("Open Badges 3.0 badge image with the credential inside (SVG)"),
        "ob2-json": _("Open Badges 2.0 assertion (JSON)"),
        "ob2-jws": _("Open Badges 2.0 signed assertion (JWS)"),
        "ob2-png": _("Open Badges 2.0 badge image with the signed assertion inside (PNG)"),
        "ob2-svg": _("Open Badges 2.0 badge image with the assertion inside (SVG)"),
    }


@personal_page
@earner_required
@require_http_methods(["GET", "POST"])
def badge(request, earner, credential_id):
    credential = selectors.backpack_credential(earner, credential_id)
    initial = {"name_display": credential.name_display, "link_enabled": credential.link_enabled}
    form = PrivacyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        claims.privacy_set(earner=earner, credential=credential, name_display=form.cleaned_data["name_display"],
                           link_enabled=form.cleaned_data["link_enabled"])
        messages.success(request, _("Your choices were saved."))
        return redirect("earners:badge", credential_id=credential.id)

    result = verify_submission(credential.document.encode("utf-8"))
    labels = _format_labels()
    language = _language()
    context = {
        "earner": earner,
        "credential": credential,
        "version": credential.badge_version,
        "badge_name": credential.badge_version.text("name", language),
        "badge_description": credential.badge_version.text("description", language),
        "summary": status_summary(result, failure_reason=summary_reason(result), revoked_at=credential.revoked_at,
                                  revocation_reason=credential.revocation_reason),
        "downloads": [(fmt, labels[fmt]) for fmt in available_formats(credential)],
        "form": form,
        "public_name": public_recipient_name(credential),
        "verification_url": links.credential_url(credential.id),
        "NameDisplay": NameDisplay,
    }
    return render(request, "earners/badge.html", context)


@personal_page
@earner_required
@require_safe
def badge_download(request, earner, credential_id, fmt):
    credential = selectors.backpack_credential(earner, credential_id)
    if fmt not in FORMATS:
        return HttpResponse(_("Unknown file format."), status=404, content_type="text/plain; charset=utf-8")
    try:
        result = export(credential, fmt)
    except ExportUnavailableError as error:
        return HttpResponse(str(error), status=404, content_type="text/plain; charset=utf-8")
    return _file_response(result)


@personal_page
@earner_required
@require_http_methods(["GET", "POST"])
def emails(request, earner):
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.email_add_request(earner=earner, address=form.cleaned_data["address"])
        except ValidationError as error:
            form.add_error("address", error)
        else:
            messages.success(request, _("We sent a confirmation link to the address. Open it to add the address."))
            return redirect("earners:emails")
    return render(request, "earners/emails.html", {"earner": earner, "form": form,
                                                   "addresses": list(earner.emails.all())})


@personal_page
@earner_required
@require_POST
def email_remove(request, earner, email_id):
    try:
        accounts.email_remove(earner=earner, email_id=email_id)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("The address was removed."))
    return redirect("earners:emails")


@personal_page
@earner_required
@require_http_methods(["GET", "POST"])
def email_verify(request, earner, token):
    if request.method == "GET":
        valid = accounts.token_is_valid(token, TokenPurpose.VERIFY_EMAIL)
        return render(request, "earners/email_verify.html", {"valid": valid, "earner": earner},
                      status=200 if valid else 410)
    try:
        accounts.email_verify(token=token, earner=earner)
    except ValidationError as error:
        return render(request, "earners/email_verify.html",
                      {"valid": False, "errors": _errors(error), "earner": earner}, status=410)
    messages.success(request, _("The address was added. Badges issued to it are listed on your front page."))
    return redirect("earners:home")


@personal_page
@earner_required
@require_http_methods(["GET", "POST"])
def account(request, earner):
    form = LanguageForm(request.POST or None, initial={"language": earner.language})
    if request.method == "POST" and form.is_valid():
        accounts.language_set(earner=earner, language=form.cleaned_data["language"])
        messages.success(request, _("Your language was saved."))
        return set_language_cookie(redirect("earners:account"), earner.language)
    return render(request, "earners/account.html", {"earner": earner, "form": form})


@personal_page
@earner_required
@require_safe
def export_data(request, earner):
    response = HttpResponse(data.earner_export(earner), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="osaamispassi.zip"'
    return response


@personal_page
@earner_required
@require_http_methods(["GET", "POST"])
def delete_account(request, earner):
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data.earner_delete(earner=earner)
        sign_out(request)
        messages.success(request, _("Your Osaamispassi and your data were deleted."))
        return redirect("home")
    return render(request, "earners/delete.html", {"earner": earner, "form": form})
