"""Credential downloads in every format, the issuers' JWKs and ``manage.py export_badge``."""
import base64
import io
import json

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from badges.exports import FORMATS, ExportUnavailableError, available_formats, export
from badges.models import BadgeStatus, Credential
from badges.openbadges import baking
from badges.openbadges.vcjwt import check_vc_jwt_claims, decode_vc_jwt, public_key_from_jwk, verify_vc_jwt
from badges.services import badge_create, credential_issue
from issuers.images import clean_image
from issuers.models import KeyAlgorithm
from issuers.services import image_store, signing_key_revoke, signing_keys_rotate
from tests.conftest import make_content

# URL file name -> (export format, media type, Content-Type header, download file name suffix)
DOWNLOADS = {
    "credential.jwt": ("ob3-jwt", "text/plain", "text/plain; charset=utf-8", ".jwt"),
    "assertion.json": ("ob2-json", "application/ld+json", "application/ld+json; charset=utf-8", "-ob2.json"),
    "assertion.jws": ("ob2-jws", "text/plain", "text/plain; charset=utf-8", "-ob2.jws"),
    "badge-ob3.png": ("ob3-png", "image/png", "image/png", "-ob3.png"),
    "badge-ob3.svg": ("ob3-svg", "image/svg+xml", "image/svg+xml", "-ob3.svg"),
    "badge-ob2.png": ("ob2-png", "image/png", "image/png", "-ob2.png"),
    "badge-ob2.svg": ("ob2-svg", "image/svg+xml", "image/svg+xml", "-ob2.svg"),
}
OB2_DOWNLOADS = ["assertion.json", "assertion.jws", "badge-ob2.png", "badge-ob2.svg"]


def download_path(credential, filename):
    return f"/credentials/{credential.id}/{filename}"


def png_bytes(width=40, height=30) -> bytes:
    output = io.BytesIO()
    Image.new("RGBA", (width, height), (200, 40, 40, 255)).save(output, format="PNG")
    return output.getvalue()


@pytest.fixture
def png_credential(organisation, staff):
    image = image_store(image=clean_image(png_bytes()))
    badge = badge_create(
        organisation=organisation, slug="png-merkki", content=make_content(image), status=BadgeStatus.PUBLISHED
    )
    return credential_issue(badge=badge, recipient_name="Matti Meikäläinen", actor=staff["instructor"])


@pytest.fixture
def bare_credential(credential):
    """The credential as if issued before VC-JWT and Open Badges 2.0 existed."""
    # update() bypasses Credential.save(), which refuses to change signed fields.
    Credential.objects.filter(pk=credential.pk).update(jwt="", ob2_assertion="", ob2_jws="")
    return Credential.objects.get(pk=credential.pk)


@pytest.fixture
def ob2_credential(credential):
    if not (credential.ob2_assertion and credential.ob2_jws):
        pytest.skip("credentials are issued without Open Badges 2.0 forms in this tree")
    return credential


# Downloads


@pytest.mark.parametrize("filename", list(DOWNLOADS))
def test_download_headers(client, ob2_credential, filename):
    _fmt, _media_type, content_type, suffix = DOWNLOADS[filename]

    response = client.get(download_path(ob2_credential, filename))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="badge-{ob2_credential.id}{suffix}"'
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.parametrize("filename", list(DOWNLOADS))
def test_download_equals_export(client, ob2_credential, filename):
    fmt, media_type, _content_type, suffix = DOWNLOADS[filename]

    response = client.get(download_path(ob2_credential, filename))

    assert export(ob2_credential, fmt) == (response.content, media_type, f"badge-{ob2_credential.id}{suffix}")


@pytest.mark.parametrize("filename", list(DOWNLOADS))
def test_two_downloads_byte_identical(client, ob2_credential, filename):
    first = client.get(download_path(ob2_credential, filename)).content
    second = client.get(download_path(ob2_credential, filename)).content
    assert first == second


@pytest.mark.parametrize("filename", ["badge-ob3.png", "badge-ob3.svg"])
def test_png_badge_downloads_byte_identical(client, png_credential, filename):
    first = client.get(download_path(png_credential, filename)).content
    second = client.get(download_path(png_credential, filename)).content
    assert first == second


def test_svg_download_is_sandboxed(client, credential):
    response = client.get(download_path(credential, "badge-ob3.svg"))
    assert "sandbox" in response["Content-Security-Policy"]


def test_jwt_download_is_credential_jwt(client, credential):
    assert client.get(download_path(credential, "credential.jwt")).content == credential.jwt.encode("ascii")


def test_ob3_png_carries_signed_json(client, credential):
    image = client.get(download_path(credential, "badge-ob3.png")).content

    assert baking.extract_one(image) == baking.BakedPayload(format="ob3", kind="json", text=credential.document)


def test_ob3_png_of_svg_badge_is_rasterised(client, credential):
    image = client.get(download_path(credential, "badge-ob3.png")).content

    with Image.open(io.BytesIO(image)) as picture:
        picture.load()
        assert (picture.format, picture.size) == ("PNG", (512, 512))
        # The demo emblem's disc is blue in the middle.
        assert picture.convert("RGB").getpixel((256, 100))[2] > 100


def test_ob3_svg_carries_signed_json(client, credential):
    image = client.get(download_path(credential, "badge-ob3.svg")).content

    assert baking.extract_one(image) == baking.BakedPayload(format="ob3", kind="json", text=credential.document)
    assert b"<circle" in image


def test_ob3_png_of_png_badge_keeps_pixels(client, png_credential):
    image = client.get(download_path(png_credential, "badge-ob3.png")).content

    with Image.open(io.BytesIO(image)) as baked, Image.open(io.BytesIO(png_credential.badge_version.image.data)) as original:
        assert baked.tobytes() == original.tobytes()
    assert baking.extract_one(image).text == png_credential.document


def test_ob3_svg_of_png_badge_wraps_png(client, png_credential):
    image = client.get(download_path(png_credential, "badge-ob3.svg")).content
    encoded = base64.b64encode(bytes(png_credential.badge_version.image.data)).decode()

    assert b'width="40" height="30" viewBox="0 0 40 30"' in image
    assert f'<image width="40" height="30" href="data:image/png;base64,{encoded}" />'.encode() in image
    assert baking.extract_one(image).text == png_credential.document


def test_ob2_png_carries_signed_assertion(client, ob2_credential):
    image = client.get(download_path(ob2_credential, "badge-ob2.png")).content
    assert baking.extract_one(image) == baking.BakedPayload(format="ob2", kind="jws", text=ob2_credential.ob2_jws)


def test_ob2_svg_carries_hosted_assertion(client, ob2_credential):
    image = client.get(download_path(ob2_credential, "badge-ob2.svg")).content
    assertion_url = json.loads(ob2_credential.ob2_assertion)["id"]

    assert baking.extract_one(image) == baking.BakedPayload(
        format="ob2", kind="json", text=ob2_credential.ob2_assertion, verify=assertion_url
    )


def test_ob2_assertion_downloads(client, ob2_credential):
    assert client.get(download_path(ob2_credential, "assertion.json")).content == ob2_credential.ob2_assertion.encode()
    assert client.get(download_path(ob2_credential, "assertion.jws")).content == ob2_credential.ob2_jws.encode()


@pytest.mark.parametrize("filename", ["credential.jwt", *OB2_DOWNLOADS])
def test_missing_form_is_404_with_reason(client, bare_credential, filename):
    response = client.get(download_path(bare_credential, filename), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Download the Open Badges 3.0" in response.content.decode()


@pytest.mark.parametrize("filename", ["badge-ob4.png", "badge-ob3.gif", "credential.jws", "assertion.jwt"])
def test_unknown_download_name_is_404(client, credential, filename):
    assert client.get(download_path(credential, filename)).status_code == 404


def test_unknown_credential_download_is_404(client, db):
    response = client.get("/credentials/00000000-0000-4000-8000-000000000000/badge-ob3.png")
    assert response.status_code == 404


def test_download_rejects_post(client, credential):
    assert client.post(download_path(credential, "badge-ob3.png")).status_code == 405


def test_available_formats(credential, bare_credential):
    assert available_formats(bare_credential) == ["ob3-json", "ob3-png", "ob3-svg"]


def test_export_unknown_format(credential):
    with pytest.raises(ValueError):
        export(credential, "ob3-gif")


def test_export_missing_form_raises(bare_credential):
    with pytest.raises(ExportUnavailableError):
        export(bare_credential, "ob3-jwt")


# The verification page


def test_page_lists_every_download(client, ob2_credential):
    page = client.get(f"/credentials/{ob2_credential.id}", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    for filename in DOWNLOADS:
        assert download_path(ob2_credential, filename) in page
    assert "Open Badges 3.0 credential (VC-JWT)" in page


def test_page_hides_missing_forms(client, bare_credential):
    page = client.get(f"/credentials/{bare_credential.id}", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert download_path(bare_credential, "badge-ob3.png") in page
    for filename in ["credential.jwt", *OB2_DOWNLOADS]:
        assert download_path(bare_credential, filename) not in page


# VC-JWT and JWK


def test_issued_vc_jwt_verifies_with_served_jwk(client, credential, settings):
    header, document, claims = decode_vc_jwt(credential.jwt)
    assert header["kid"] == f"{settings.MERKKIPAJA_BASE_URL}/issuers/taitopaja/keys/rsa-1.jwk"

    jwk = client.get("/issuers/taitopaja/keys/rsa-1.jwk").json()
    verify_vc_jwt(credential.jwt, public_key=public_key_from_jwk(jwk))

    assert check_vc_jwt_claims(document, claims) == []
    assert claims["jti"] == json.loads(credential.document)["id"]


def test_vc_jwt_payload_is_unsigned_credential(credential):
    _header, document, _claims = decode_vc_jwt(credential.jwt)
    signed = json.loads(credential.document)
    signed.pop("proof")
    assert document == signed


def test_jwk_response(client, credential, settings):
    response = client.get("/issuers/taitopaja/keys/rsa-1.jwk")
    jwk = json.loads(response.content)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwk+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert list(jwk) == ["kty", "n", "e", "alg", "use", "kid"]
    assert (jwk["kty"], jwk["alg"], jwk["use"]) == ("RSA", "RS256", "sig")
    assert jwk["kid"] == f"{settings.MERKKIPAJA_BASE_URL}/issuers/taitopaja/keys/rsa-1.jwk"


@pytest.mark.parametrize(
    "path",
    ["/issuers/taitopaja/keys/key-1.jwk", "/issuers/taitopaja/keys/rsa-9.jwk", "/issuers/muu/keys/rsa-1.jwk"],
    ids=["ed25519-key", "unknown-key", "unknown-organisation"],
)
def test_jwk_not_found(client, credential, path):
    assert client.get(path).status_code == 404


def test_jwk_of_revoked_key_is_404(client, credential):
    signing_key_revoke(key=credential.jws_signing_key, reason="Test: key leaked.")
    assert client.get("/issuers/taitopaja/keys/rsa-1.jwk").status_code == 404


def test_jwk_of_retired_key_still_served(client, credential, organisation):
    signing_keys_rotate(organisation=organisation)
    assert client.get("/issuers/taitopaja/keys/rsa-1.jwk").status_code == 200


def test_vc_jwt_uses_active_rsa_key(credential):
    assert credential.jws_signing_key.algorithm == KeyAlgorithm.RSA


# manage.py export_badge


@pytest.mark.parametrize("fmt", FORMATS)
def test_command_writes_export_bytes(capsysbinary, ob2_credential, fmt):
    call_command("export_badge", str(ob2_credential.id), "--format", fmt)
    assert capsysbinary.readouterr().out == export(ob2_credential, fmt).data


def test_command_accepts_id_url(capsysbinary, credential):
    credential_url = json.loads(credential.document)["id"]

    call_command("export_badge", credential_url, "--format", "ob3-json")

    assert capsysbinary.readouterr().out == credential.document.encode("utf-8")


def test_command_text_format_to_text_stream(credential):
    output = io.StringIO()
    call_command("export_badge", str(credential.id), "--format", "ob3-jwt", stdout=output)
    assert output.getvalue() == credential.jwt


def test_command_binary_format_to_text_stream(credential):
    with pytest.raises(CommandError, match="binary"):
        call_command("export_badge", str(credential.id), "--format", "ob3-png", stdout=io.StringIO())


@pytest.mark.parametrize(
    "identifier",
    ["not-a-uuid", "https://merkit.example.fi/badges/6f1c2a9e-0b5d-4c1e-9a3f-2d7e8b4c5a10", ""],
)
def test_command_rejects_malformed_id(db, identifier):
    with pytest.raises(CommandError, match="is not a credential id"):
        call_command("export_badge", identifier, "--format", "ob3-json")


def test_command_unknown_credential(db):
    with pytest.raises(CommandError, match="No credential with the id"):
        call_command("export_badge", "00000000-0000-4000-8000-000000000000", "--format", "ob3-json")


def test_command_unknown_format(credential):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("export_badge", str(credential.id), "--format", "ob4-json")


def test_command_missing_form(bare_credential):
    with pytest.raises(CommandError, match="Open Badges 2.0"):
        call_command("export_badge", str(bare_credential.id), "--format", "ob2-png")
