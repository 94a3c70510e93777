"""Verification of credentials for pages and commands, with translated reasons.

The pure pipeline in ``badges.openbadges.verify`` returns stable reason
codes; this module runs it with our key resolver and clock and turns each
check into a sentence in the active language.
"""
import json
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .openbadges.verify import VerificationResult, verify_credential
from .resolvers import resolve_key

CHECK_LABELS = {
    "structure": gettext_lazy("Credential structure"),
    "proof": gettext_lazy("Digital signature"),
    "issuer_key": gettext_lazy("Issuer's key"),
    "valid_from": gettext_lazy("Start of validity"),
    "valid_until": gettext_lazy("End of validity"),
}


@dataclass
class CheckMessage:
    code: str
    label: str
    outcome: str
    message: str


def verify_document(document, *, now=None) -> VerificationResult:
    """Verify a parsed credential against our key resolver at ``now`` (default: the current time)."""
    return verify_credential(document, resolve_key=resolve_key, now=now or timezone.now())


def verify_text(text: str, *, now=None) -> VerificationResult:
    """Parse JSON text and verify it; invalid JSON becomes a failed structure check."""
    try:
        document = json.loads(text)
    except (ValueError, TypeError):
        document = None
    return verify_document(document, now=now)


def _format_datetime(value: str) -> str:
    from .openbadges.dates import parse_datetime

    try:
        moment = timezone.localtime(parse_datetime(value))
    except Exception:  # noqa: BLE001 - an unreadable date is shown as written
        return str(value)
    return moment.strftime("%d.%m.%Y %H:%M")


def _passed_message(code: str) -> str:
    messages = {
        "structure": _("The data is a complete Open Badges 3.0 credential."),
        "proof": _("The signature matches the content: nothing has been changed."),
        "issuer_key": _("The signing key belongs to the issuer named in the credential."),
        "valid_from": _("Valid from %(valid_from)s."),
        "valid_until": _("Valid until %(valid_until)s."),
    }
    return messages.get(code, _("Passed."))


def reason_message(reason: str, params: dict, code: str = "") -> str:
    """Return the translated sentence for one reason code of ``badges.openbadges.verify``.

    ``code`` names the check, which words the message of a passed check.
    """
    params = dict(params or {})
    for key in ("valid_from", "valid_until"):
        if key in params:
            params[key] = _format_datetime(params[key])
    if "terms" in params and isinstance(params["terms"], (list, tuple)):
        params["terms"] = ", ".join(str(term) for term in params["terms"])

    messages = {
        "ok": _("Passed."),
        "not_json_object": _("The data is not a JSON object, so it is not an Open Badges credential."),
        "missing_field": _("The required field “%(field)s” is missing."),
        "bad_context": _("The @context is not that of an Open Badges 3.0 credential."),
        "context_not_bundled": _("The credential uses an unknown JSON-LD context %(url)s."),
        "undefined_terms": _("The credential contains fields that its contexts do not define: %(terms)s."),
        "invalid_date": _("The date “%(value)s” in %(field)s is not a valid date and time with a time zone."),
        "bad_type": _("The credential is not of type OpenBadgeCredential."),
        "proof_missing": _("The credential has no digital signature."),
        "unsupported_cryptosuite": _("The signature type %(cryptosuite)s is not supported."),
        "invalid_proof_value": _("The signature value is damaged."),
        "invalid_proof": _("The signature block is incomplete or invalid."),
        "invalid_proof_purpose": _("The signature was not made for issuing credentials (its purpose is %(proof_purpose)s)."),
        "legacy_cryptosuite": _("The signature uses the older name %(cryptosuite)s of the signature type."),
        "canonicalization_failed": _("The credential's linked data cannot be processed, so the signature cannot be checked."),
        "prerequisite_failed": _("Not checked because an earlier check failed."),
        "key_not_resolved": _("Not checked because the signing key could not be found."),
        "signature_mismatch": _(
            "The signature does not match the content: the credential has been changed after it was signed."
        ),
        "key_not_found": _("The signing key %(verification_method)s could not be found."),
        "key_revoked": _("The issuer has revoked the key that signed this credential."),
        "key_controller_mismatch": _("The signing key does not belong to the issuer named in the credential."),
        "key_asserted_by_credential": _(
            "The key comes from the credential itself: the content is intact, but who issued it is not proven."
        ),
        "not_yet_valid": _("The credential is valid only from %(valid_from)s."),
        "expired": _("The credential expired on %(valid_until)s."),
        "no_valid_until": _("No end date: valid until further notice."),
    }
    template = _passed_message(code) if reason == "ok" else messages.get(reason)
    if template is None:
        return _("Check failed (%(reason)s).") % {"reason": reason}
    try:
        return template % params
    except (KeyError, TypeError, ValueError):
        return template


def check_messages(result: VerificationResult) -> list[CheckMessage]:
    return [
        CheckMessage(
            code=check.code,
            label=str(CHECK_LABELS.get(check.code, check.code)),
            outcome=check.outcome,
            message=reason_message(check.reason, check.params, check.code),
        )
        for check in result.checks
    ]


def summary_reason(result: VerificationResult) -> str:
    """Return the sentence explaining the first failed check, or an empty string when valid."""
    for check in result.checks:
        if check.outcome == "failed":
            return reason_message(check.reason, check.params, check.code)
    return ""


def result_as_dict(result: VerificationResult) -> dict:
    """Return the result as JSON-ready data, with a translated message for each check."""
    data = result.to_dict()
    for item, message in zip(data["checks"], check_messages(result)):
        item["label"] = message.label
        item["message"] = message.message
    return data
