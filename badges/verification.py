"""Verification of badges for pages and commands, with translated reasons.

The pure pipelines in ``badges.openbadges`` return stable reason codes.
This module runs them with our key resolvers, our fetcher and our clock,
and turns each check into a sentence in the active language.

``verify_submission`` is the one function behind the ``/verify`` page and
``manage.py verify_badge``: both pass it the same bytes and get the same
result. ``verify_document`` verifies one of our stored credentials for its
own page, which needs no network.
"""
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import fetching
from .openbadges import verify_any
from .openbadges.dates import parse_datetime
from .openbadges.environment import VerifierEnvironment
from .openbadges.errors import InvalidDateTimeError
from .openbadges.inputs import MAX_TEXT_BYTES
from .openbadges.verify import VerificationResult, verify_credential
from .resolvers import resolve_any_jwk, resolve_any_key, resolve_key

CHECK_LABELS = {
    "input": gettext_lazy("Input"),
    "schema": gettext_lazy("Data format"),
    "structure": gettext_lazy("Credential structure"),
    "proof": gettext_lazy("Digital signature"),
    "issuer_key": gettext_lazy("Issuer's key"),
    "jwt_claims": gettext_lazy("JWT claims"),
    "hosted": gettext_lazy("Issuer's copy"),
    "status": gettext_lazy("Revocation"),
    "valid_from": gettext_lazy("Start of validity"),
    "valid_until": gettext_lazy("End of validity"),
    "recipient": gettext_lazy("Recipient"),
}

FORMAT_LABELS = {
    "ob3": gettext_lazy("Open Badges 3.0 credential with an embedded signature"),
    "ob3-jwt": gettext_lazy("Open Badges 3.0 credential as a JWT"),
    "ob2-signed": gettext_lazy("Open Badges 2.0 signed assertion"),
    "ob2-hosted": gettext_lazy("Open Badges 2.0 hosted assertion"),
}


@dataclass
class CheckMessage:
    code: str
    label: str
    outcome: str
    message: str


def max_submission_bytes() -> int:
    """Return how many bytes of a submission are read: one past the largest accepted input."""
    return max(MAX_TEXT_BYTES, settings.MERKKIPAJA_MAX_IMAGE_BYTES) + 1


def verifier_environment(*, email: str | None = None, now=None) -> VerifierEnvironment:
    """Return the environment that verifies with our resolvers, our fetcher and the current time."""
    return VerifierEnvironment(
        now=now or timezone.now(),
        fetch=fetching.fetch,
        resolve_key=resolve_any_key,
        resolve_jwk=resolve_any_jwk,
        email=email or None,
        max_image_bytes=settings.MERKKIPAJA_MAX_IMAGE_BYTES,
    )


def verify_submission(data: bytes, *, email: str | None = None, now=None) -> VerificationResult:
    """Verify any badge: a baked PNG or SVG, JSON, a JWT or a URL, given as bytes.

    Read at most ``max_submission_bytes()`` bytes of a file: a longer
    submission is reported as too large without being read further.
    """
    result = verify_any.verify_submission(data, verifier_environment(email=email, now=now))
    _add_own_revocation_dates(result)
    return result


def _add_own_revocation_dates(result: VerificationResult) -> None:
    """Add the revocation date and public reason to a failed status check of our own credential.

    Status lists record only that a badge is revoked, not when or why; for
    badges we issued, both come from our own records.
    """
    from .selectors import find_credential

    for check in result.checks:
        if check.code != "status" or check.reason != "status_revoked":
            continue
        credential_id = result.credential_id or ""
        if not credential_id.startswith(settings.MERKKIPAJA_BASE_URL + "/"):
            continue
        credential = find_credential(credential_id)
        if credential is not None and credential.revoked_at is not None:
            check.params["revoked_on"] = timezone.localtime(credential.revoked_at).strftime("%d.%m.%Y")
            if credential.revocation_reason and not check.params.get("reason"):
                check.params["reason"] = credential.revocation_reason


def verify_document(document, *, now=None) -> VerificationResult:
    """Verify a parsed credential against our key resolver at ``now`` (default: the current time)."""
    return verify_credential(document, resolve_key=resolve_key, now=now or timezone.now())


def _format_datetime(value: str) -> str:
    try:
        moment = timezone.localtime(parse_datetime(value))
    except InvalidDateTimeError:
        return str(value)
    return moment.strftime("%d.%m.%Y %H:%M")


def _passed_message(code: str, params: dict) -> str:
    if code == "input":
        return _source_message(params.get("source"))
    if code == "structure" and params.get("version") == "2.0":
        return _("The data is a complete Open Badges 2.0 assertion with its badge and issuer.")
    messages = {
        "schema": _("The credential matches the Open Badges 3.0 JSON schema."),
        "structure": _("The data is a complete Open Badges 3.0 credential."),
        "proof": _("The signature matches the content: nothing has been changed."),
        "issuer_key": _("The signing key belongs to the issuer named in the credential."),
        "jwt_claims": _("The JWT claims match the credential."),
        "hosted": _("The issuer serves this badge at its own address %(url)s."),
        "status": _("The issuer has not revoked the badge."),
        "valid_from": _("Valid from %(valid_from)s."),
        "valid_until": _("Valid until %(valid_until)s."),
        "recipient": _("The badge was issued to this email address."),
    }
    return messages.get(code, _("Passed."))


def _source_message(source) -> str:
    messages = {
        "png": _("The badge was read from a PNG image."),
        "svg": _("The badge was read from an SVG image."),
        "json": _("The badge was read from JSON."),
        "jwt": _("The badge was read from a JWT."),
        "url": _("The badge was read from a web address."),
    }
    return messages.get(source, _("The badge was read."))


def _input_messages() -> dict:
    return {
        "empty_input": _("Nothing to check. Paste the badge, give its address or choose its file."),
        "input_too_large": _(
            "The input is larger than %(limit)s bytes, which no badge is. Check that you chose the right file."
        ),
        "not_utf8": _("The text is not UTF-8. Upload the badge's JSON or image file as it was downloaded."),
        "unrecognized_input": _(
            "This is not a badge. Give a baked PNG or SVG badge image, the badge's JSON, a JWT or its web address."
        ),
        "invalid_json": _("The JSON is invalid (line %(line)s, column %(column)s). Copy the whole badge again."),
        "malformed_jws": _("The JWT is damaged: its header or content cannot be read. Copy the whole token again."),
        "image_type": _("The file is not a PNG or SVG image."),
        "image_corrupt": _("The image is damaged or incomplete. Download the badge image again."),
        "image_too_large": _("The image is too large to be a badge image."),
        "payload_too_large": _("The badge inside the image is too large to be read."),
        "decompression_bomb": _(
            "The image contains compressed text that expands to an unreasonable size, so it was not read."
        ),
        "svg_unsafe": _(
            "The SVG image contains a document type declaration or external references, so it was not read."
        ),
        "payload_invalid": _("The image contains Open Badges data that is not a badge credential, JWT or address."),
        "baking_failed": _("The badge could not be read from the image."),
        "not_baked": _("The image does not contain a badge. Download the baked badge image from the issuer."),
        "multiple_payloads": _(
            "The image contains %(count)s badges, so it is unclear which one it shows. Use an image with one badge."
        ),
    }


def _fetch_messages() -> dict:
    return {
        "fetch_failed": _("The address %(url)s could not be reached. Check it, or try again later."),
        "fetch_refused": _("The address %(url)s is not allowed: only public web addresses are fetched."),
        "fetch_not_https": _("The address %(url)s does not use HTTPS; only secure addresses are fetched."),
        "fetch_timeout": _("The address %(url)s did not respond in time. Try again later."),
        "fetch_too_large": _("The address %(url)s returned more data than a badge document has."),
        "too_many_redirects": _("The address %(url)s redirects too many times."),
        "document_http_error": _("The address %(url)s returned HTTP status %(status)s."),
        "document_not_json": _("The address %(url)s did not return a JSON document."),
    }


def _check_messages() -> dict:
    return {
        "ok": _("Passed."),
        "prerequisite_failed": _("Not checked because an earlier check failed."),
        # schema
        "schema_missing_property": _("The required field “%(path)s” is missing (Open Badges 3.0 JSON schema)."),
        "schema_wrong_type": _("The field “%(path)s” has the wrong type; it must be %(expected)s."),
        "schema_invalid_value": _("The field “%(path)s” has a value the Open Badges 3.0 JSON schema does not allow."),
        "schema_not_applicable": _("Not checked: the JSON schema covers only the current data model."),
        # structure
        "not_json_object": _("The data is not a JSON object, so it is not an Open Badges credential."),
        "missing_field": _("The required field “%(field)s” is missing."),
        "bad_context": _("The @context is not that of an Open Badges 3.0 credential."),
        "bad_ob2_context": _("The @context is not that of an Open Badges 2.0 assertion."),
        "context_not_bundled": _("The credential uses an unknown JSON-LD context %(url)s."),
        "undefined_terms": _("The credential contains fields that its contexts do not define: %(terms)s."),
        "invalid_date": _("The date “%(value)s” in %(field)s is not a valid date and time with a time zone."),
        "bad_type": _("The credential is not of type OpenBadgeCredential."),
        "bad_ob2_type": _("The data is not of type %(type)s."),
        "canonicalization_failed": _(
            "The credential's linked data cannot be processed, so the signature cannot be checked."
        ),
        "legacy_data_model": _("The credential is complete, but uses the older Verifiable Credentials Data Model 1.1."),
        # proof
        "proof_missing": _("The credential has no digital signature."),
        "unsupported_cryptosuite": _("The signature type %(cryptosuite)s is not supported."),
        "invalid_proof_value": _("The signature value is damaged."),
        "invalid_proof": _("The signature block is incomplete or invalid."),
        "invalid_proof_purpose": _(
            "The signature was not made for issuing credentials (its purpose is %(proof_purpose)s)."
        ),
        "legacy_cryptosuite": _("The signature uses the older name %(cryptosuite)s of the signature type."),
        "legacy_proof_type": _("The signature uses the older signature type %(type)s."),
        "signature_mismatch": _(
            "The signature does not match the content: the credential has been changed after it was signed."
        ),
        "key_not_found": _("The signing key %(verification_method)s could not be found."),
        "unsigned_jwt": _("The JWT is not signed (its algorithm is “none”), so nothing proves who made it."),
        "unsupported_algorithm": _(
            "The JWT signature algorithm %(algorithm)s is not accepted; RS256 or ES256 is required."
        ),
        "invalid_vc_jwt": _("The JWT is not a valid Open Badges 3.0 credential token."),
        "invalid_jws": _("The signed token is damaged."),
        "invalid_jwk": _("The signing key is not a valid public RSA or P-256 key for this signature."),
        "signed_assertion_without_jws": _(
            "This is a signed Open Badges 2.0 badge without its signature. Check the signed badge (the JWS) "
            "or the baked image instead."
        ),
        # issuer_key
        "key_not_resolved": _("Not checked because the signing key could not be found."),
        "key_revoked": _("The issuer has revoked the key that signed this credential."),
        "key_controller_mismatch": _("The signing key does not belong to the issuer named in the credential."),
        "key_not_listed": _("The issuer's profile does not list the signing key as its own."),
        "key_asserted_by_credential": _(
            "The key comes from the credential itself: the content is intact, but who issued it is not proven."
        ),
        # jwt_claims
        "jwt_claim_missing": _("The JWT lacks the claim “%(claim)s” that must repeat the credential's data."),
        "jwt_claim_mismatch": _("The JWT claim “%(claim)s” does not match the credential."),
        # hosted
        "hosted_id_not_url": _("The badge's id %(id)s is not a web address, so the issuer's copy cannot be fetched."),
        "hosted_id_mismatch": _("The document at %(url)s is a different badge."),
        "hosted_out_of_scope": _(
            "The address %(url)s is outside the addresses where the issuer %(issuer)s hosts badges."
        ),
        # status
        "no_status": _("The credential names no revocation list."),
        "status_suspended": _("The issuer has suspended this badge."),
        "status_list_invalid": _(
            "The revocation list %(url)s is invalid or not signed by the issuer, so the badge cannot be cleared."
        ),
        "status_unavailable": _("The revocation list %(url)s could not be read, so revocation is not ruled out."),
        "status_type_unsupported": _("The revocation list type %(type)s is not checked by this service."),
        # dates
        "not_yet_valid": _("The credential is valid only from %(valid_from)s."),
        "expired": _("The credential expired on %(valid_until)s."),
        "no_valid_until": _("No end date: valid until further notice."),
        # recipient
        "recipient_mismatch": _("The badge was not issued to this email address."),
        "recipient_not_checkable": _(
            "The badge does not name its recipient by email, so the address cannot be checked."
        ),
    }


def _template(reason: str, params: dict, code: str) -> str | None:
    if reason == "ok":
        return _passed_message(code, params)
    if reason == "status_revoked":
        if params.get("revoked_on"):
            message = _("The issuer revoked this badge on %(date)s.").replace("%(date)s", "%(revoked_on)s")
            if params.get("reason"):
                message += " " + _("Reason: %(reason)s")
            return message
        if params.get("reason"):
            return _("The issuer has revoked this badge. Reason: %(reason)s")
        return _("The issuer has revoked this badge.")
    for messages in (_check_messages(), _input_messages(), _fetch_messages()):
        if reason in messages:
            return messages[reason]
    return None


def reason_message(reason: str, params: dict, code: str = "") -> str:
    """Return the translated sentence for one reason code of the ``badges.openbadges`` verifiers.

    ``code`` names the check, which words the message of a passed check.
    """
    params = dict(params or {})
    for key in ("valid_from", "valid_until"):
        if key in params:
            params[key] = _format_datetime(params[key])
    if "terms" in params and isinstance(params["terms"], (list, tuple)):
        params["terms"] = ", ".join(str(term) for term in params["terms"])

    template = _template(reason, params, code)
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


def input_error(result: VerificationResult) -> str:
    """Return the message of a failed ``input`` check, or an empty string when the input was read."""
    for check in result.checks:
        if check.code == "input" and check.outcome == "failed":
            return reason_message(check.reason, check.params, check.code)
    return ""


def result_as_dict(result: VerificationResult) -> dict:
    """Return the result as JSON-ready data, with a translated message for each check."""
    data = result.to_dict()
    for item, message in zip(data["checks"], check_messages(result)):
        item["label"] = message.label
        item["message"] = message.message
    if result.format in FORMAT_LABELS:
        data["format_label"] = str(FORMAT_LABELS[result.format])
    return data
