"""The public badge verifier: any badge, pasted, uploaded or given by address.

The page passes the submission to ``verification.verify_submission``, the
same function that ``manage.py verify_badge`` uses, so both give the same
result for the same bytes.
"""
import dataclasses
import logging

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.validators import validate_email
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..presentation import status_summary
from ..verification import (
    FORMAT_LABELS,
    check_messages,
    input_error,
    max_submission_bytes,
    summary_reason,
    verify_submission,
)

logger = logging.getLogger(__name__)

TEMPLATE = "badges/public/verify.html"
# Pasted text is shown again in the form only up to this many characters.
MAX_REDISPLAYED_CHARACTERS = 100_000
# Room for the form's other fields and the multipart framing around the file.
FORM_OVERHEAD_BYTES = 64 * 1024


@require_http_methods(["GET", "POST"])
def verify(request):
    """Show the verifier form, and on POST the result for the pasted text, file or address."""
    if request.method != "POST":
        return render(request, TEMPLATE, {"submitted": False})
    if _declared_length(request) > max_submission_bytes() + FORM_OVERHEAD_BYTES:
        # Refused from the Content-Length header, before Django reads the body.
        return _too_large(request)
    try:
        text = request.POST.get("credential", "")
        email = request.POST.get("email", "").strip()
        upload = request.FILES.get("file")
    except RequestDataTooBig:
        # Django refuses form fields above DATA_UPLOAD_MAX_MEMORY_SIZE before reading them.
        return _too_large(request)

    context = {
        "submitted": True,
        "pasted": text if upload is None and len(text) <= MAX_REDISPLAYED_CHARACTERS else "",
        "email": email,
    }
    if email:
        try:
            validate_email(email)
        except ValidationError:
            context["error"] = _("“%(email)s” is not a valid email address. Correct it, or leave the field empty.") % {
                "email": email
            }
            return render(request, TEMPLATE, context)

    # Reading stops one byte past the limit, so a huge file is reported as
    # too large without being read into memory.
    data = upload.read(max_submission_bytes()) if upload is not None else text.encode("utf-8")
    result = verify_submission(data, email=email or None)
    logger.info("Verified a submitted badge: format %s, valid %s", result.format, result.valid)

    # The page answers two questions apart: is the badge genuine and valid,
    # and was it issued to the address typed in. A genuine badge checked
    # against the wrong address must not look like a fake to an employer.
    recipient = _recipient_check(result)
    badge_result = dataclasses.replace(result, checks=[check for check in result.checks if check is not recipient])
    failure_reason = summary_reason(badge_result)
    context.update(
        error=input_error(badge_result),
        # The whole result, recipient check included, as verify_badge
        # gives it; the status box shows badge_result.
        result=result,
        badge_result=badge_result,
        checks=check_messages(badge_result),
        failure_reason=failure_reason,
        summary=status_summary(badge_result, failure_reason=failure_reason),
        badge=badge_result.summary,
        format_label=FORMAT_LABELS.get(result.format, ""),
        recipient=recipient,
    )
    return render(request, TEMPLATE, context)


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _too_large(request):
    message = _("The submission is too large to be a badge. Paste only the badge, or upload its image or file.")
    return render(request, TEMPLATE, {"submitted": True, "error": message}, status=413)


def _recipient_check(result):
    for check in result.checks:
        if check.code == "recipient":
            return check
    return None
