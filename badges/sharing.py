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

    ``organisation_name`` is the name of the issuer profile that signed the
    badge. The expiry fields are left out for a badge without an end date.
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
    # quote writes a space as "%20", which every URL parser reads as a space.
    # quote_plus's "+" means a space only in form-encoded query strings.
    return f"{LINKEDIN_ADD_TO_PROFILE}?{urlencode(params, quote_via=quote)}"
