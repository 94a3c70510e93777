"""The ``recipient`` check: was this badge issued to the email address a verifier typed?

The check reports yes, no or not checkable, and nothing else. Its params
never contain the address, its hash or its salt, so the check cannot be
used to read the stored address back. Reason codes:

``ok``
    an email identity of the badge matches the address.
``recipient_mismatch`` (failed)
    the badge has email identities and none matches.
``recipient_not_checkable`` (skipped)
    the badge names its recipient in no form an email can be compared
    with: no email identity, or only hashes in an unknown algorithm.

Open Badges 3.0 keeps identities in ``credentialSubject.identifier``
(``IdentityObject`` with ``identityType`` ``emailAddress``); Open Badges
2.0 keeps one in the assertion's ``recipient`` (``type`` ``email``).
Emails are compared after ``recipient.normalize_email``.
"""

from __future__ import annotations

import hmac
from typing import Any

from .recipient import identity_matches, normalize_email
from .verify import FAILED, PASSED, SKIPPED, Check

_EMAIL_TYPES = ("emailAddress", "email")


def check_ob3_recipient(credential: Any, email: str) -> Check:
    """Compare ``email`` with the email identities of an OB 3.0 credential's subject."""
    subject = credential.get("credentialSubject") if isinstance(credential, dict) else None
    identifiers = subject.get("identifier") if isinstance(subject, dict) else None
    if isinstance(identifiers, dict):
        identifiers = [identifiers]
    candidates = [
        (entry.get("identityHash"), entry.get("salt"), entry.get("hashed"))
        for entry in identifiers or []
        if isinstance(entry, dict) and entry.get("identityType") in _EMAIL_TYPES
    ]
    return _compare(candidates, email)


def check_ob2_recipient(assertion: Any, email: str) -> Check:
    """Compare ``email`` with an OB 2.0 assertion's ``recipient`` IdentityObject."""
    recipient = assertion.get("recipient") if isinstance(assertion, dict) else None
    candidates = []
    if isinstance(recipient, dict) and recipient.get("type") == "email":
        candidates.append((recipient.get("identity"), recipient.get("salt"), recipient.get("hashed")))
    return _compare(candidates, email)


def _compare(candidates: list[tuple[Any, Any, Any]], email: str) -> Check:
    checkable = False
    for identity, salt, hashed in candidates:
        result = _matches(identity, salt, hashed, email)
        if result is None:
            continue
        checkable = True
        if result:
            return Check("recipient", PASSED, "ok")
    if not checkable:
        return Check("recipient", SKIPPED, "recipient_not_checkable")
    return Check("recipient", FAILED, "recipient_mismatch")


def _matches(identity: Any, salt: Any, hashed: Any, email: str) -> bool | None:
    """Return whether one identity matches, or None when it cannot be compared."""
    if not isinstance(identity, str) or not identity:
        return None
    if salt is not None and not isinstance(salt, str):
        return None
    if hashed is True:
        try:
            return identity_matches(identity, email, salt)
        except ValueError:
            return None
    if hashed is False:
        typed = normalize_email(email).encode("utf-8")
        return hmac.compare_digest(typed, normalize_email(identity).encode("utf-8"))
    return None
