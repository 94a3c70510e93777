"""Reading and checking the Open Badges 2.0 objects a verifier meets.

An assertion names its BadgeClass (a URL or an embedded object), and the
BadgeClass names its issuer Profile. ``load_badge_and_issuer`` fetches what
is only referenced. The issuer Profile is always fetched from its own id
when that id is a web address, even when it is embedded, because its
``publicKey``, ``revocationList`` and ``verification`` policy are only
trustworthy as the issuer serves them. ``structure_problem`` then checks
the required properties of all three (Open Badges 2.0, IMS Final 2018):

- Assertion: ``id``, ``type`` Assertion, ``recipient`` {type, identity},
  ``badge``, ``verification`` (or its alias ``verify``) with a ``type``,
  and ``issuedOn``; ``expires`` when present must be a date-time too.
- BadgeClass: ``id``, ``type`` BadgeClass, ``name``, ``description``,
  ``image``, ``criteria``, ``issuer``.
- Profile: ``id``, ``type`` Issuer or Profile, ``name``, ``url``, ``email``.

Problems are (reason code, params) pairs: ``bad_ob2_context`` (the
assertion lacks the context ``https://w3id.org/openbadges/v2``),
``missing_field`` {field}, ``bad_ob2_type`` {type}, ``invalid_date``
{field, value}, where ``field`` is prefixed with ``assertion.``,
``badge.`` or ``issuer.`` (dates are named ``issuedOn`` and ``expires``);
and the ``remote`` error codes {url} for what could not be fetched.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from .dates import parse_datetime
from .errors import InvalidDateTimeError
from .remote import DocumentFetchError, Fetcher, JSON_ACCEPT, fetch_json_object

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
HOSTED_TYPES = ("hostedbadge", "hosted")
SIGNED_TYPES = ("signedbadge", "signed")

Problem = tuple[str, dict[str, Any]]


class Ob2LoadError(Exception):
    """A referenced object that could not be read; ``problem`` is its (reason, params)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem[0])
        self.problem = problem


def load_badge_and_issuer(assertion: dict[str, Any], fetch: Fetcher) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the BadgeClass and issuer Profile of ``assertion``; raises ``Ob2LoadError``."""
    badge = _load(assertion.get("badge"), fetch, field="assertion.badge")
    issuer_reference = badge.get("issuer")
    if isinstance(issuer_reference, dict) and _is_web_url(issuer_reference.get("id")):
        issuer_reference = issuer_reference["id"]
    issuer = _load(issuer_reference, fetch, field="badge.issuer")
    return badge, issuer


def structure_problem(assertion: dict[str, Any], badge: dict[str, Any], issuer: dict[str, Any]) -> Problem | None:
    """Return the first missing or malformed required property of the three objects, or None."""
    return _assertion_problem(assertion) or _badge_problem(badge) or _issuer_problem(issuer)


def verification_type(assertion: dict[str, Any]) -> str | None:
    """Return "hosted", "signed" or None from the assertion's ``verification`` object."""
    verification = verification_object(assertion)
    kind = verification.get("type")
    if isinstance(kind, str) and kind.lower() in HOSTED_TYPES:
        return "hosted"
    if isinstance(kind, str) and kind.lower() in SIGNED_TYPES:
        return "signed"
    return None


def verification_object(assertion: dict[str, Any]) -> dict[str, Any]:
    verification = assertion.get("verification", assertion.get("verify"))
    return verification if isinstance(verification, dict) else {}


def in_hosted_scope(assertion_id: str, issuer: dict[str, Any]) -> bool:
    """Return whether a hosted assertion's id lies in the issuer's verification scope.

    The issuer's ``verification`` object may list ``allowedOrigins`` (host
    names, with a port where one is used) and ``startsWith`` (URL
    prefixes). Without either, the allowed origin is the host and port of
    the issuer id. The port counts, as in 1EdTech's validator.
    """
    policy = issuer.get("verification") if isinstance(issuer.get("verification"), dict) else {}
    origins = _strings(policy.get("allowedOrigins"))
    prefixes = _strings(policy.get("startsWith"))
    if not origins and not prefixes:
        origins = [_authority(issuer.get("id"))]
    if origins and _authority(assertion_id) not in [origin.lower() for origin in origins]:
        return False
    if prefixes and not any(assertion_id.startswith(prefix) for prefix in prefixes):
        return False
    return True


def revocation_entry(revocation_list: dict[str, Any], assertion_id: str) -> tuple[bool, str]:
    """Return (revoked, reason) for ``assertion_id`` in a RevocationList's ``revokedAssertions``.

    Entries are assertion ids or objects with ``id`` (or the older ``uid``)
    and an optional ``revocationReason``.
    """
    for entry in _as_list(revocation_list.get("revokedAssertions")):
        if entry == assertion_id:
            return True, ""
        if isinstance(entry, dict) and assertion_id in (entry.get("id"), entry.get("uid")):
            reason = entry.get("revocationReason")
            return True, reason if isinstance(reason, str) else ""
    return False, ""


def fetch_object(url: str, fetch: Fetcher) -> dict[str, Any]:
    """Fetch one OB 2.0 object by URL; raises ``Ob2LoadError`` with the fetch problem."""
    try:
        return fetch_json_object(fetch, url, accept=JSON_ACCEPT)
    except DocumentFetchError as error:
        raise Ob2LoadError((error.code, error.params)) from None


def _load(reference: Any, fetch: Fetcher, *, field: str) -> dict[str, Any]:
    if isinstance(reference, dict):
        return reference
    if not _is_web_url(reference):
        raise Ob2LoadError(("missing_field", {"field": field}))
    return fetch_object(reference, fetch)


def _assertion_problem(assertion: dict[str, Any]) -> Problem | None:
    if OB2_CONTEXT not in _as_list(assertion.get("@context")):
        return "bad_ob2_context", {}
    for name in ("id", "issuedOn"):
        if not _is_text(assertion.get(name)):
            return "missing_field", {"field": f"assertion.{name}"}
    if "Assertion" not in _as_list(assertion.get("type")):
        return "bad_ob2_type", {"type": "Assertion"}
    recipient = assertion.get("recipient")
    if not isinstance(recipient, dict) or not (_is_text(recipient.get("identity")) and _is_text(recipient.get("type"))):
        return "missing_field", {"field": "assertion.recipient"}
    if verification_type(assertion) is None:
        return "missing_field", {"field": "assertion.verification"}
    for name in ("issuedOn", "expires"):
        if name in assertion and not _is_date(assertion[name]):
            return "invalid_date", {"field": name, "value": assertion[name]}
    return None


def _badge_problem(badge: dict[str, Any]) -> Problem | None:
    for name in ("id", "name", "description"):
        if not _is_text(badge.get(name)):
            return "missing_field", {"field": f"badge.{name}"}
    if "BadgeClass" not in _as_list(badge.get("type")):
        return "bad_ob2_type", {"type": "BadgeClass"}
    for name in ("image", "criteria", "issuer"):
        if not badge.get(name):
            return "missing_field", {"field": f"badge.{name}"}
    return None


def _issuer_problem(issuer: dict[str, Any]) -> Problem | None:
    for name in ("id", "name", "url", "email"):
        if not _is_text(issuer.get(name)):
            return "missing_field", {"field": f"issuer.{name}"}
    if not {"Issuer", "Profile"} & set(_as_list(issuer.get("type"))):
        return "bad_ob2_type", {"type": "Issuer"}
    return None


def _authority(url: Any) -> str:
    """Return host:port of a URL, lower-case, with the port only when the URL names one."""
    if not isinstance(url, str):
        return ""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    return f"{host}:{port}" if port is not None else host


def _is_date(value: Any) -> bool:
    try:
        parse_datetime(value)
    except InvalidDateTimeError:
        return False
    return True


def _is_web_url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://"))


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def _strings(value: Any) -> list[str]:
    return [item for item in _as_list(value) if isinstance(item, str) and item]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
