"""What public pages and downloads may show of an earner, following their choices.

Every public output that shows the recipient's name or serves a signed
document (the verification page, its JSON negotiation, the file
downloads) calls this module first. The signed Open Badges 3.0 credential
and its VC-JWT contain the full name, so they are public only while the
earner shows their full name. The Open Badges 2.0 files carry only a
salted email hash, never the name.
"""
from django.utils.translation import gettext as _

from .models import Credential, NameDisplay

# Export formats (badges.exports) whose content includes the recipient's name.
FORMATS_WITH_NAME = frozenset({"ob3-json", "ob3-jwt", "ob3-png", "ob3-svg"})


def is_withdrawn(credential: Credential) -> bool:
    """Return whether the public page is off: turned off by the earner, or the data erased."""
    return not credential.link_enabled or credential.personal_data_erased_at is not None


def initials(name: str) -> str:
    """Return "M. M." for "Maija Meikäläinen"; hyphenated parts keep their hyphen ("A.-L.")."""
    parts = []
    for word in name.split():
        pieces = [piece[0].upper() + "." for piece in word.split("-") if piece]
        if pieces:
            parts.append("-".join(pieces))
    return " ".join(parts)


# NOTE: the evidence narrative is shown on the public page whatever the
# name choice, so it must not name the earner (the staff docs say so).
def public_recipient_name(credential: Credential) -> str | None:
    """Return the recipient's name as the public page may show it, or None when it shows none.

    None when the earner hid the name, the page is withdrawn, the data
    is erased or the badge is revoked.
    """
    if is_withdrawn(credential) or credential.revoked_at is not None or not credential.recipient_name:
        return None
    if credential.name_display == NameDisplay.FULL:
        return credential.recipient_name
    if credential.name_display == NameDisplay.INITIALS:
        return initials(credential.recipient_name) or None
    return None


def recipient_hidden_reason(credential: Credential) -> str:
    """Return the sentence shown in place of the name when ``public_recipient_name`` is None."""
    if credential.revoked_at is not None:
        return _("Not shown, because the badge has been revoked")
    return _("Not shown, by the earner's choice")


def public_format_allowed(credential: Credential, fmt: str) -> bool:
    """Return whether anyone with the link may download ``credential`` in export format ``fmt``."""
    if is_withdrawn(credential):
        return False
    if fmt in FORMATS_WITH_NAME:
        return credential.name_display == NameDisplay.FULL
    return True


def withdrawn_message(credential: Credential) -> str:
    if credential.personal_data_erased_at is not None:
        return _("This badge's public page has been removed at the earner's request.")
    return _("The earner has withdrawn this badge's public page.")
