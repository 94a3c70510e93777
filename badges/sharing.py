"""Links for sharing a badge: LinkedIn's "Add to profile" form, pre-filled."""
import datetime
from urllib.parse import quote, urlencode

LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


def linkedin_add_url(
    *,
    name: str,
    organisation_name: str,
    issued_on: datetime.date,
    valid_until: datetime.date | None,
    cert_url: str,
    cert_id: str,
) -> str:
    """Return LinkedIn's "Add licence or certification" address with the badge's fields filled in.

    ``organisation_name`` is the issuer profile that signed the badge. The
    expiry fields are sent only for a badge that expires, because LinkedIn
    shows an empty expiry as "No expiration date".
    """
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": name,
        "organizationName": organisation_name,
        "issueYear": str(issued_on.year),
        "issueMonth": str(issued_on.month),
    }
    if valid_until is not None:
        params["expirationYear"] = str(valid_until.year)
        params["expirationMonth"] = str(valid_until.month)
    params["certUrl"] = cert_url
    params["certId"] = cert_id
    # quote, not quote_plus: "%20" reads as a space in every part of a URL.
    return f"{LINKEDIN_ADD_TO_PROFILE}?{urlencode(params, quote_via=quote)}"
