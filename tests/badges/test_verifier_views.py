"""The /verify page: every input kind, the recipient question and bad input, for our own badges."""
import json
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from badges.openbadges import baking
from badges.services import credential_issue, credential_revoke
from tests.openbadges.verifier_fakes import SVG_IMAGE, itxt, png_chunk, png_image, png_with_chunks

from .verifier_server import forbid_dns, server, url_map  # noqa: F401 - fixtures



def post(client, **data):
    return client.post("/verify", data)


def upload(content: bytes, name: str = "badge.png"):
    return SimpleUploadedFile(name, content)


def reason(response, code):
    return response.context["result"].check(code).reason


def baked_png(credential) -> bytes:
    return baking.bake_png(png_image(), keyword="openbadgecredential", text=credential.document)


def test_form(client, db):
    response = client.get("/verify")

    assert response.status_code == 200
    page = response.content.decode()
    for name in ('name="credential"', 'name="file"', 'name="email"'):
        assert name in page


def test_pasted_json(client, credential):
    response = post(client, credential=credential.document)

    result = response.context["result"]
    assert result.valid
    assert result.format == "ob3"
    page = response.content.decode()
    assert "Digitaalinen tiedonhaku" in page
    assert "Taitopaja ry" in page
    assert "Maija Meikäläinen" in page


def test_pasted_jwt(client, credential):
    response = post(client, credential=credential.jwt)

    assert (response.context["result"].valid, response.context["result"].format) == (True, "ob3-jwt")


def test_pasted_ob2_signed(client, credential):
    response = post(client, credential=credential.ob2_jws)

    assert (response.context["result"].valid, response.context["result"].format) == (True, "ob2-signed")


def test_pasted_ob2_hosted_url(client, credential):
    url = json.loads(credential.ob2_assertion)["id"]

    response = post(client, credential=url)

    assert (response.context["result"].valid, response.context["result"].format) == (True, "ob2-hosted")


def test_pasted_credential_url(client, credential):
    url = json.loads(credential.document)["id"]

    response = post(client, credential=url)

    assert (response.context["result"].valid, response.context["result"].format) == (True, "ob3")


def test_uploaded_baked_png(client, credential):
    response = post(client, file=upload(baked_png(credential)))

    assert response.context["result"].valid
    assert response.context["result"].check("input").params == {"source": "png"}


def test_uploaded_baked_svg(client, credential):
    image = baking.bake_svg(SVG_IMAGE, version="ob3", text=credential.jwt)

    response = post(client, file=upload(image, "badge.svg"))

    assert (response.context["result"].valid, response.context["result"].format) == (True, "ob3-jwt")


def test_uploaded_json_file(client, credential):
    response = post(client, file=upload(credential.document.encode("utf-8"), "badge.json"))

    assert response.context["result"].valid


def test_tampered(client, credential):
    document = json.loads(credential.document)
    document["credentialSubject"]["achievement"]["name"] += "!"

    response = post(client, credential=json.dumps(document))

    assert not response.context["result"].valid
    assert reason(response, "proof") == "signature_mismatch"
    assert "Ei voimassa" in response.content.decode()


def test_revoked(client, credential):
    credential_revoke(credential=credential, note="test", public_reason="Virhe")

    response = post(client, credential=credential.document)

    assert not response.context["result"].valid
    assert reason(response, "status") == "status_revoked"
    assert response.context["summary"].state == "revoked"


def test_email_matches(client, credential):
    response = post(client, credential=credential.document, email="maija.meikalainen@example.fi")

    assert response.context["recipient"].outcome == "passed"
    assert "Kyllä" in response.content.decode() or "Yes" in response.content.decode()


def test_email_does_not_match(client, credential):
    response = post(client, credential=credential.document, email="someone@example.fi")

    assert response.context["recipient"].reason == "recipient_mismatch"
    # The badge itself is still genuine; only the recipient check fails.
    assert response.context["badge_result"].valid
    assert not response.context["result"].valid
    page = response.content.decode()
    assert "Voimassa" in page
    assert "Ei voimassa" not in page


def test_email_answer_never_reveals_the_stored_address(client, credential):
    document = json.loads(credential.document)
    identity = next(item for item in document["credentialSubject"]["identifier"] if item["identityType"] == "emailAddress")

    # An uploaded image, because pasted text is shown again in the form as it was typed.
    for email in ("maija.meikalainen@example.fi", "someone@example.fi"):
        page = post(client, file=upload(baked_png(credential)), email=email).content.decode()

        assert "maija.meikalainen@example.fi" not in page.lower().replace(email, "")
        assert identity["identityHash"] not in page
        assert identity["identityHash"].removeprefix("sha256$") not in page
        assert identity["salt"] not in page


def test_email_not_checkable(client, badge, staff):
    without_email = credential_issue(badge=badge, recipient_name="Matti", actor=staff["instructor"])

    response = post(client, credential=without_email.document, email="matti@example.fi")

    assert response.context["recipient"].reason == "recipient_not_checkable"


def test_invalid_email(client, credential):
    response = post(client, credential=credential.document, email="not an address")

    assert response.context["error"]
    assert "result" not in response.context


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (png_image()[:40], "image_corrupt"),
        (png_image(), "not_baked"),
        (png_with_chunks(png_chunk(b"zTXt", b"openbadges\x00\x00" + zlib.compress(b" " * (16 * 1024 * 1024)))), None),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
            "svg_unsafe",
        ),
        (b'{"name": "\xff\xfe"}', "not_utf8"),
        (b"eyJub3QiOiJhIGhlYWRlciJ9.eyJhIjoxfQ.c2ln", "malformed_jws"),
        (b"\x00\x01 not a badge", "unrecognized_input"),
    ],
)
def test_bad_upload_is_clear_error(client, db, content, code):
    response = post(client, file=upload(content))

    assert response.status_code == 200
    assert response.context["error"]
    check = response.context["result"].check("input")
    assert check.outcome == "failed"
    if code is not None:
        assert check.reason == code
    else:
        assert check.reason in ("decompression_bomb", "payload_too_large")
    assert "error-summary" in response.content.decode()


def test_image_with_two_credentials(client, credential):
    image = png_with_chunks(itxt("openbadgecredential", credential.document), itxt("openbadges", credential.ob2_jws))

    response = post(client, file=upload(image))

    assert response.context["result"].check("input").params == {"count": 2}
    assert reason(response, "input") == "multiple_payloads"


def test_image_over_limit_refused(client, db, settings):
    settings.MERKKIPAJA_MAX_IMAGE_BYTES = 100_000
    image = png_image() + b"\x00" * 1_050_000

    response = post(client, file=upload(image))

    assert reason(response, "input") == "input_too_large"


def test_huge_upload_refused_before_parsing(client, db):
    response = post(client, file=upload(png_image() + b"\x00" * 6_000_000))

    assert response.status_code == 413
    assert "result" not in response.context


def test_huge_pasted_text_refused(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000

    response = post(client, credential="x" * 20_000)

    assert response.status_code == 413
    assert response.context["error"]


def test_url_redirecting_to_private_address(client, db, server, url_map):
    url_map("https://issuer.example/", server.url("/"))
    server.redirect("/badge", server.url("/private"))
    server.add("/private", {"secret": True})

    response = post(client, credential="https://issuer.example/badge")

    assert reason(response, "input") == "fetch_refused"
    assert response.context["error"]
    assert server.paths() == ["/badge"]


def test_url_to_loopback_never_requested(client, db, server):
    server.add("/x", {"a": 1})

    response = post(client, credential=server.url("/x"))

    assert reason(response, "input") == "fetch_refused"
    assert server.requests == []


def test_english_messages(client, credential):
    response = client.post("/verify?lang=en", {"credential": "{"}, HTTP_ACCEPT_LANGUAGE="en")

    assert "The JSON is invalid" in response.context["error"]


def test_pasted_text_shown_again(client, db):
    response = post(client, credential='{"a": ')

    assert '{&quot;a&quot;: ' in response.content.decode()



def test_language_kept_after_in_process_fetch(client, credential):
    """Our own status list is served in-process; the page must stay in the visitor's language."""
    response = client.post("/verify?lang=en", {"credential": credential.document}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.context["result"].check("status").outcome == "passed"
    assert "Valid" in response.content.decode()
    assert "Voimassa" not in response.content.decode()


def test_oversized_body_refused_from_header(client, db):
    response = client.generic(
        "POST", "/verify", b"x" * 100, content_type="multipart/form-data; boundary=b", CONTENT_LENGTH="50000000"
    )

    assert response.status_code == 413
    assert response.context["error"]
