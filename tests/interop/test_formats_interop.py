"""Every Open Badges 3.0 download verifies in independent implementations.

The files are fetched from a live test server, as an earner would download
them, and checked by ``verify-ob3.mjs``. Digital Bazaar's libraries check
the Data Integrity JSON. ``jose`` checks the VC-JWT with the JWK fetched
from the header's ``kid`` URL. Baked images are read by the harness's own
PNG and SVG readers. The Open Badges 2.0 baked PNG goes to 1EdTech's
badgecheck.
"""
import base64
import io
import json
import struct
import urllib.request
import zlib
from pathlib import Path

import pytest
from PIL import Image

from badges.demo_images import emblem_svg
from badges.models import BadgeStatus
from badges.openbadges import jws
from badges.services import badge_create, credential_issue, credential_revoke
from issuers import keystore
from issuers.images import clean_image
from issuers.models import KeyAlgorithm
from issuers.selectors import active_signing_key
from issuers.services import image_store, organisation_create, signing_key_revoke
from tests.conftest import make_content

from .dbverify import (
    ensure_node_modules,
    node_available,
    verify_baked_image,
    verify_jwt_with_jose,
    verify_with_digitalbazaar,
)

pytestmark = [
    pytest.mark.interop,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not node_available(), reason="needs Node.js 20 or newer on PATH"),
]

BADGECHECK_RUNNER = Path(__file__).parent / "badgecheck_runner.py"


def _png_emblem() -> bytes:
    image = Image.new("RGBA", (64, 48), (11, 79, 138, 255))
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


@pytest.fixture
def issue(live_server, settings):
    """Return a function that issues a credential served by the live server, with an SVG or PNG badge image."""
    settings.MERKKIPAJA_BASE_URL = live_server.url
    organisation = organisation_create(
        slug="taitopaja", name="Taitopaja ry", url="https://taitopaja.example.fi", email="info@taitopaja.example.fi"
    )
    images = {
        "svg": image_store(image=clean_image(emblem_svg("DT", "#0b4f8a"))),
        "png": image_store(image=clean_image(_png_emblem())),
    }
    ensure_node_modules()

    def issue_credential(image_type: str = "svg"):
        badge = badge_create(
            organisation=organisation,
            slug=f"tiedonhaku-{image_type}",
            content=make_content(images[image_type], validity_months=24),
            status=BadgeStatus.PUBLISHED,
        )
        return credential_issue(badge=badge, recipient_name="Maija Meikäläinen", recipient_email="maija@example.fi")

    return issue_credential


def download(origin: str, credential, filename: str) -> bytes:
    with urllib.request.urlopen(f"{origin}/credentials/{credential.id}/{filename}", timeout=30) as response:
        return response.read()


def errors_text(result) -> str:
    return "; ".join(error["message"] for error in result["errors"])


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_json(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


# Open Badges 3.0 JSON and VC-JWT


def test_ob3_json_verifies(issue, live_server):
    credential = issue()
    document = json.loads(download(live_server.url, credential, "credential.json"))

    result = verify_with_digitalbazaar(document, did_web_origin=live_server.url)

    assert result["verified"] is True, errors_text(result)


def test_vc_jwt_verifies_with_jose(issue, live_server):
    credential = issue()
    token = download(live_server.url, credential, "credential.jwt").decode("ascii")

    result = verify_jwt_with_jose(token, did_web_origin=live_server.url)

    assert result["verified"] is True, errors_text(result)
    assert result["proofFormat"] == "vc-jwt"


def test_vc_jwt_status_list_checked(issue, live_server):
    credential = issue()
    token = download(live_server.url, credential, "credential.jwt").decode("ascii")

    result = verify_jwt_with_jose(token, did_web_origin=live_server.url)

    assert result["statusResult"]["verified"] is True
    assert [item["status"] for item in result["statusResult"]["results"]] == [False]


@pytest.mark.parametrize(
    "field, value",
    [
        ("name", "Väärä merkki"),
        ("validUntil", "2099-01-01T00:00:00Z"),
        ("exp", 4070908800),
    ],
)
def test_tampered_vc_jwt_fails(issue, live_server, field, value):
    credential = issue()
    header, payload, signature = credential.jwt.split(".")
    claims = b64url_json(payload)
    claims[field] = value
    tampered = ".".join([header, b64url(json.dumps(claims).encode()), signature])

    result = verify_jwt_with_jose(tampered, did_web_origin=live_server.url)

    assert result["verified"] is False
    assert "signature verification failed" in errors_text(result)


def test_vc_jwt_with_lying_claim_fails(issue, live_server):
    # Signed with the issuer's real key, so only the claim check can catch it.
    credential = issue()
    header, payload, _signature = credential.jwt.split(".")
    claims = b64url_json(payload)
    claims["sub"] = "urn:uuid:00000000-0000-0000-0000-000000000000"
    rsa_key = active_signing_key(organisation=credential.organisation, algorithm=KeyAlgorithm.RSA)
    token = jws.sign_compact(
        json.dumps(claims).encode(),
        private_key=keystore.load_rsa_private_key(rsa_key.encrypted_private_key),
        headers={"kid": b64url_json(header)["kid"], "typ": "JWT"},
    )

    result = verify_jwt_with_jose(token, did_web_origin=live_server.url)

    assert result["verified"] is False
    assert "claim sub" in errors_text(result)


def test_vc_jwt_of_revoked_key_fails(issue, live_server):
    credential = issue()
    signing_key_revoke(key=credential.jws_signing_key, reason="Test: key leaked.")

    result = verify_jwt_with_jose(credential.jwt, did_web_origin=live_server.url)

    assert result["verified"] is False
    assert "HTTP 404" in errors_text(result)


# Baked images


@pytest.mark.parametrize("image_type", ["svg", "png"])
@pytest.mark.parametrize("filename", ["badge-ob3.png", "badge-ob3.svg"])
def test_baked_image_verifies(issue, live_server, image_type, filename):
    credential = issue(image_type)
    image = download(live_server.url, credential, filename)

    result = verify_baked_image(image, suffix=Path(filename).suffix, did_web_origin=live_server.url)

    assert result["verified"] is True, errors_text(result)
    assert result["container"] == Path(filename).suffix[1:]
    assert result["proofFormat"] == "data-integrity"


def test_baked_png_with_two_credentials_fails(issue, live_server):
    credential = issue()
    image = download(live_server.url, credential, "badge-ob3.png")
    # A second openbadgecredential iTXt chunk right after IHDR (8-byte signature + 25-byte IHDR).
    body = b"openbadgecredential\x00\x00\x00\x00\x00" + credential.document.encode("utf-8")
    chunk = struct.pack(">I", len(body)) + b"iTXt" + body + struct.pack(">I", zlib.crc32(b"iTXt" + body))
    doubled = image[:33] + chunk + image[33:]

    result = verify_baked_image(doubled, suffix=".png", did_web_origin=live_server.url)

    assert result["verified"] is False
    assert "contains 2 Open Badges 3.0 credentials" in errors_text(result)


def test_revoked_credential_fails_in_every_format(issue, live_server):
    credential = issue()
    files = {name: download(live_server.url, credential, name) for name in ("badge-ob3.png", "badge-ob3.svg")}
    credential_revoke(credential=credential, note="Test revocation.")

    results = {
        "json": verify_with_digitalbazaar(json.loads(credential.document), did_web_origin=live_server.url),
        "jwt": verify_jwt_with_jose(credential.jwt, did_web_origin=live_server.url),
        "png": verify_baked_image(files["badge-ob3.png"], suffix=".png", did_web_origin=live_server.url),
        "svg": verify_baked_image(files["badge-ob3.svg"], suffix=".svg", did_web_origin=live_server.url),
    }

    assert {name: result["verified"] for name, result in results.items()} == dict.fromkeys(results, False)
    for name, result in results.items():
        assert "revoked" in errors_text(result), name


# Open Badges 2.0


def test_ob2_baked_png_passes_badgecheck(issue, live_server, tmp_path):
    if not BADGECHECK_RUNNER.exists():
        pytest.skip("tests/interop/badgecheck_runner.py (1EdTech's OB 2.0 validator) is not in this tree yet")
    from .badgecheck_runner import error_messages, verify_with_badgecheck

    credential = issue()
    if not credential.ob2_jws:
        pytest.skip("credentials are issued without an Open Badges 2.0 signed assertion in this tree")
    baked = tmp_path / "badge-ob2.png"
    baked.write_bytes(download(live_server.url, credential, "badge-ob2.png"))

    result = verify_with_badgecheck(baked)

    assert result["report"]["errorCount"] == 0, error_messages(result)
    assert result["report"]["valid"] is True
