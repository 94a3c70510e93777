"""The status shown first on a badge page: valid, revoked, expired, not yet valid or not valid."""
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass
class StatusSummary:
    state: str  # "valid", "revoked", "expired", "not_yet_valid" or "invalid"
    title: str
    detail: str

    @property
    def is_valid(self) -> bool:
        return self.state == "valid"


def _date(value) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y") if value else ""


def status_summary(result, *, failure_reason: str, revoked_at=None, revocation_reason: str = "") -> StatusSummary:
    """Summarise a verification result and our own revocation record for the page's status box.

    Revocation comes first: a revoked badge is "Revoked" even when its
    signature and dates are in order. Expiry and start of validity come
    next, with their dates, and any other failure is "Not valid".
    """
    if revoked_at is not None:
        detail = _("The issuer revoked this badge on %(date)s.") % {"date": _date(revoked_at)}
        if revocation_reason:
            detail += " " + _("Reason: %(reason)s") % {"reason": revocation_reason}
        return StatusSummary("revoked", _("Revoked"), detail)

    failed = [check for check in result.checks if check.outcome == "failed"]
    reasons = {check.reason for check in failed}
    if "status_revoked" in reasons:
        return StatusSummary("revoked", _("Revoked"), failure_reason)
    if failed and reasons <= {"expired"}:
        return StatusSummary("expired", _("Expired"), failure_reason)
    if failed and reasons <= {"not_yet_valid"}:
        return StatusSummary("not_yet_valid", _("Not yet valid"), failure_reason)
    if failed or not result.valid:
        return StatusSummary("invalid", _("Not valid"), failure_reason)
    return StatusSummary(
        "valid", _("Valid"), _("The badge is genuine: the signature matches and the issuer's key is in order.")
    )


def record_summary(credential, *, now=None) -> StatusSummary:
    """Summarise a credential from our own records, without checking its signature.

    For lists of many badges (the earner's backpack), where running the
    verifier for each one would be slow. The order is that of
    ``status_summary``: revoked, then expired, then not yet valid.
    """
    now = now or timezone.now()
    if credential.revoked_at is not None:
        detail = _("The issuer revoked this badge on %(date)s.") % {"date": _date(credential.revoked_at)}
        return StatusSummary("revoked", _("Revoked"), detail)
    if credential.valid_until is not None and credential.valid_until <= now:
        detail = _("The credential expired on %(valid_until)s.") % {"valid_until": _date(credential.valid_until)}
        return StatusSummary("expired", _("Expired"), detail)
    if credential.valid_from > now:
        detail = _("The credential is valid only from %(valid_from)s.") % {"valid_from": _date(credential.valid_from)}
        return StatusSummary("not_yet_valid", _("Not yet valid"), detail)
    return StatusSummary("valid", _("Valid"), "")
