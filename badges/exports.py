"""Every downloadable form of an issued credential, produced in one place.

The download views and ``manage.py export_badge`` both call ``export``,
so a file is byte-identical whichever way it is fetched::

    export(credential, "ob3-png")
    # Export(data=b"\\x89PNG…", media_type="image/png", filename="badge-6f1c…-ob3.png")

Open Badges 3.0 files carry the signed JSON credential (baked images too)
or the VC-JWT. Open Badges 2.0 files carry the hosted assertion JSON, its
signed JWS, a PNG with the JWS baked in, or an SVG with the hosted form
(assertion URL and JSON) baked in.
"""
import json
from typing import NamedTuple

from django.utils.translation import gettext as _

from .baked import badge_png, badge_svg
from .models import Credential
from .openbadges.baking import KEYWORD_OB2, KEYWORD_OB3, bake_png, bake_svg

FORMATS = ("ob3-json", "ob3-jwt", "ob2-json", "ob2-jws", "ob3-png", "ob3-svg", "ob2-png", "ob2-svg")
VC_MEDIA_TYPE = "application/vc+ld+json"
# Open Badges 3.0 gives text/plain as the media type of a compact JWS.
JWS_MEDIA_TYPE = "text/plain"
OB2_MEDIA_TYPE = "application/ld+json"


class Export(NamedTuple):
    """One form of a credential: its bytes, media type and download file name."""

    data: bytes
    media_type: str
    filename: str


class ExportUnavailableError(Exception):
    """A format that this credential was issued without; the message is translated."""


def export(credential: Credential, fmt: str) -> Export:
    """Return ``credential`` in format ``fmt``, one of ``FORMATS``.

    Raises ``ExportUnavailableError`` when the credential has no signed
    artefact for that format (credentials issued before the format existed).
    """
    producers = {
        "ob3-json": _ob3_json,
        "ob3-jwt": _ob3_jwt,
        "ob2-json": _ob2_json,
        "ob2-jws": _ob2_jws,
        "ob3-png": _ob3_png,
        "ob3-svg": _ob3_svg,
        "ob2-png": _ob2_png,
        "ob2-svg": _ob2_svg,
    }
    if fmt not in producers:
        raise ValueError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")
    return producers[fmt](credential)


def available_formats(credential: Credential) -> list[str]:
    """Return the formats that ``credential`` has the signed artefacts for."""
    formats = ["ob3-json", "ob3-png", "ob3-svg"]
    if credential.jwt:
        formats.append("ob3-jwt")
    if credential.ob2_assertion:
        formats += ["ob2-json", "ob2-svg"]
    if credential.ob2_jws:
        formats += ["ob2-jws", "ob2-png"]
    return [fmt for fmt in FORMATS if fmt in formats]


def _filename(credential: Credential, suffix: str) -> str:
    return f"badge-{credential.id}{suffix}"


def _ob3_json(credential: Credential) -> Export:
    return Export(credential.document.encode("utf-8"), VC_MEDIA_TYPE, _filename(credential, ".json"))


def _ob3_jwt(credential: Credential) -> Export:
    return Export(_require_jwt(credential).encode("ascii"), JWS_MEDIA_TYPE, _filename(credential, ".jwt"))


def _ob2_json(credential: Credential) -> Export:
    data = _require_ob2_assertion(credential).encode("utf-8")
    return Export(data, OB2_MEDIA_TYPE, _filename(credential, "-ob2.json"))


def _ob2_jws(credential: Credential) -> Export:
    data = _require_ob2_jws(credential).encode("ascii")
    return Export(data, JWS_MEDIA_TYPE, _filename(credential, "-ob2.jws"))


def _ob3_png(credential: Credential) -> Export:
    image = badge_png(credential.badge_version.image)
    data = bake_png(image, keyword=KEYWORD_OB3, text=credential.document)
    return Export(data, "image/png", _filename(credential, "-ob3.png"))


def _ob3_svg(credential: Credential) -> Export:
    image = badge_svg(credential.badge_version.image)
    data = bake_svg(image, version="ob3", text=credential.document)
    return Export(data, "image/svg+xml", _filename(credential, "-ob3.svg"))


def _ob2_png(credential: Credential) -> Export:
    # The signed form: a verifier needs nothing but the issuer's key to check it.
    image = badge_png(credential.badge_version.image)
    data = bake_png(image, keyword=KEYWORD_OB2, text=_require_ob2_jws(credential))
    return Export(data, "image/png", _filename(credential, "-ob2.png"))


def _ob2_svg(credential: Credential) -> Export:
    # The hosted form: badgecheck reads the JSON and fetches the URL in verify.
    assertion_text = _require_ob2_assertion(credential)
    assertion_url = json.loads(assertion_text).get("id")
    if not isinstance(assertion_url, str):
        raise ValueError(f"The Open Badges 2.0 assertion of credential {credential.id} has no id URL.")
    image = badge_svg(credential.badge_version.image)
    data = bake_svg(image, version="ob2", text=assertion_text, verify=assertion_url)
    return Export(data, "image/svg+xml", _filename(credential, "-ob2.svg"))


def _require_jwt(credential: Credential) -> str:
    if not credential.jwt:
        raise ExportUnavailableError(
            _("This badge was issued before VC-JWT downloads existed, so it has no VC-JWT. "
              "Download the Open Badges 3.0 JSON file instead.")
        )
    return credential.jwt


def _require_ob2_assertion(credential: Credential) -> str:
    if not credential.ob2_assertion:
        raise ExportUnavailableError(_ob2_missing_message())
    return credential.ob2_assertion


def _require_ob2_jws(credential: Credential) -> str:
    if not credential.ob2_jws:
        raise ExportUnavailableError(_ob2_missing_message())
    return credential.ob2_jws


def _ob2_missing_message() -> str:
    return _(
        "This badge was issued without an Open Badges 2.0 version, so it cannot be downloaded in that "
        "format. Download the Open Badges 3.0 version instead."
    )
