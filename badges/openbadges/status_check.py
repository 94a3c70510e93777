"""The ``status`` check of an Open Badges 3.0 credential: has its issuer revoked it?

Each ``credentialStatus`` entry is checked, and the worst outcome is
reported. Two entry types are understood:

- ``BitstringStatusListEntry`` (W3C Bitstring Status List): the list is a
  ``BitstringStatusListCredential`` that the credential's own issuer must
  have signed. A set bit means revoked, or suspended for a suspension entry.
- ``1EdTechRevocationList``: the entry's ``id`` is a JSON list whose
  ``revokedCredentials`` (1EdTech's validator reads ``revokedCredential``,
  so both are read) hold ``{id, revoked, revocationReason}`` items.

Reason codes:

``ok``
    no entry marks the credential revoked.
``no_status`` (skipped)
    the credential has no ``credentialStatus``.
``status_revoked`` {reason} (failed)
    the issuer revoked the credential; ``reason`` is the list's text or "".
``status_suspended`` (failed)
    a suspension entry's bit is set.
``status_list_invalid`` {url} (failed)
    the list is malformed, not signed by the issuer, or the index lies
    outside it. A list that cannot vouch for itself cannot clear a badge.
``status_unavailable`` {url} (warning)
    the list could not be fetched, so revocation is not ruled out.
``status_type_unsupported`` {type} (warning)
    an entry type this verifier does not read, such as the legacy
    ``StatusList2021Entry``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import dataintegrity, statuslist
from .errors import OpenBadgesError
from .keys import ResolvedKey
from .remote import DocumentFetchError, Fetcher, display_url, fetch_json_object
from .verify import FAILED, PASSED, SKIPPED, WARNING, Check, issuer_id_of

# Resolves (verification method, issuer id) to a key, as for the credential itself.
KeyResolver = Callable[[str, "str | None"], ResolvedKey]

STATUS_ACCEPT = "application/vc+ld+json, application/ld+json, application/json;q=0.9"
REVOCATION_LIST_TYPE = "1EdTechRevocationList"
_SEVERITY = {FAILED: 3, WARNING: 2, PASSED: 1, SKIPPED: 0}


class _StatusProblem(Exception):
    """One entry's non-passing outcome, raised to leave the entry's checks early."""

    def __init__(self, outcome: str, reason: str, params: dict[str, Any]) -> None:
        super().__init__(reason)
        self.check = Check("status", outcome, reason, params)


def check_credential_status(credential: dict[str, Any], *, fetch: Fetcher, resolve_key: KeyResolver) -> Check:
    """Check every ``credentialStatus`` entry of ``credential`` and return the worst outcome."""
    entries = credential.get("credentialStatus")
    if entries is None or entries == []:
        return Check("status", SKIPPED, "no_status")
    checks = [_check_entry(entry, credential, fetch, resolve_key) for entry in _as_list(entries)]
    return max(checks, key=lambda check: _SEVERITY[check.outcome])


def _check_entry(entry: Any, credential: dict[str, Any], fetch: Fetcher, resolve_key: KeyResolver) -> Check:
    entry_type = entry.get("type") if isinstance(entry, dict) else None
    try:
        if entry_type == statuslist.ENTRY_TYPE:
            return _check_bitstring_entry(entry, credential, fetch, resolve_key)
        if entry_type == REVOCATION_LIST_TYPE:
            return _check_revocation_list_entry(entry, credential, fetch)
    except _StatusProblem as problem:
        return problem.check
    return Check("status", WARNING, "status_type_unsupported", {"type": str(entry_type)})


def _check_bitstring_entry(
    entry: dict[str, Any], credential: dict[str, Any], fetch: Fetcher, resolve_key: KeyResolver
) -> Check:
    raw_url = entry.get("statusListCredential")
    try:
        list_url, index, purpose = statuslist.parse_entry(entry)
    except statuslist.StatusListError:
        raise _invalid(raw_url) from None
    status_list = _fetch_list(list_url, fetch)

    issuer_id = issuer_id_of(credential)
    if issuer_id_of(status_list) != issuer_id:
        raise _invalid(list_url)
    try:
        dataintegrity.verify(status_list, resolve_key=lambda method: resolve_key(method, issuer_id))
    except OpenBadgesError:
        raise _invalid(list_url) from None

    subject = status_list.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("statusPurpose") != purpose:
        raise _invalid(list_url)
    try:
        is_set = statuslist.bit_is_set(statuslist.decode_bitstring(subject.get("encodedList")), index)
    except statuslist.StatusListError:
        raise _invalid(list_url) from None
    if not is_set:
        return Check("status", PASSED, "ok")
    if purpose == "suspension":
        return Check("status", FAILED, "status_suspended")
    return Check("status", FAILED, "status_revoked", {"reason": ""})


def _check_revocation_list_entry(entry: dict[str, Any], credential: dict[str, Any], fetch: Fetcher) -> Check:
    list_url = entry.get("id")
    if not isinstance(list_url, str):
        raise _invalid(list_url)
    revocation_list = _fetch_list(list_url, fetch)
    items = _as_list(revocation_list.get("revokedCredentials")) + _as_list(revocation_list.get("revokedCredential"))
    for item in items:
        if isinstance(item, dict) and item.get("id") == credential.get("id") and item.get("revoked", True) is not False:
            reason = item.get("revocationReason")
            return Check("status", FAILED, "status_revoked", {"reason": reason if isinstance(reason, str) else ""})
    return Check("status", PASSED, "ok")


def _fetch_list(url: str, fetch: Fetcher) -> dict[str, Any]:
    try:
        return fetch_json_object(fetch, url, accept=STATUS_ACCEPT)
    except DocumentFetchError:
        raise _StatusProblem(WARNING, "status_unavailable", {"url": display_url(url)}) from None


def _invalid(url: Any) -> _StatusProblem:
    return _StatusProblem(FAILED, "status_list_invalid", {"url": display_url(url)})


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
