import io
import json

import pytest
import zxingcpp
from PIL import Image

from badges.models import Credential


def credential_path(credential):
    return f"/credentials/{credential.id}"


def test_page_finnish_by_default(client, credential):
    response = client.get(credential_path(credential))
    page = response.content.decode()

    assert response.status_code == 200
    assert '<html lang="fi">' in page
    assert "Voimassa" in page
    assert "Maija Meikäläinen" in page
    assert "Taitopaja ry" in page
    assert "osaa hakea tietoa digitaalisista ympäristöistä" in page


@pytest.mark.parametrize(
    "language, word",
    [("sv", "Giltigt"), ("en", "Valid")],
)
def test_page_in_other_languages(client, credential, language, word):
    page = client.get(credential_path(credential), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert f'<html lang="{language}">' in page
    assert word in page


def test_language_query_parameter(client, credential):
    page = client.get(credential_path(credential) + "?lang=sv").content.decode()
    assert '<html lang="sv">' in page
    # The badge has a Swedish name, shown to Swedish readers.
    assert "Digital informationssökning" in page


def test_page_not_indexed(client, credential):
    response = client.get(credential_path(credential))

    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_page_hides_email(client, credential):
    page = client.get(credential_path(credential)).content.decode()
    assert "example.fi" not in page.replace("taitopaja.example.fi", "")


@pytest.mark.parametrize("accept", ["application/vc+ld+json", "application/json", "application/ld+json"])
def test_json_negotiation(client, credential, accept):
    response = client.get(credential_path(credential), HTTP_ACCEPT=accept)

    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] in {"application/vc+ld+json", "application/json"}
    assert response.content.decode() == credential.document


def test_browser_accept_gets_html(client, credential):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(credential_path(credential), HTTP_ACCEPT=accept)
    assert response["Content-Type"].startswith("text/html")


def test_tampered_credential_shown_invalid(client, credential):
    tampered = credential.document.replace("Maija Meikäläinen", "Mikko Meikäläinen")
    Credential.objects.filter(pk=credential.pk).update(document=tampered)

    page = client.get(credential_path(credential)).content.decode()

    assert "Ei voimassa" in page
    assert "Voimassa</p>" not in page


def test_unknown_credential_404(client, db):
    response = client.get("/credentials/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404


def test_qr_png_decodes_to_url(client, credential):
    response = client.get(credential_path(credential) + "/qr.png")

    assert response["Content-Type"] == "image/png"
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))
    assert [result.text for result in results] == [f"http://127.0.0.1:8000/credentials/{credential.id}"]


def test_qr_svg_served(client, credential):
    response = client.get(credential_path(credential) + "/qr.svg")

    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml") or b"<svg" in response.content[:200]


def test_download_is_stored_document(client, credential):
    response = client.get(credential_path(credential) + "/credential.json")

    assert response.content.decode() == credential.document
    assert "attachment" in response["Content-Disposition"]


def test_image_served_with_csp(client, credential):
    image = credential.badge_version.image
    response = client.get(f"/images/{image.sha256}.{image.extension}")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "sandbox" in response["Content-Security-Policy"]


def test_achievement_page(client, credential):
    version = credential.badge_version
    response = client.get(f"/badges/{version.badge.public_id}/versions/{version.number}")

    assert response.status_code == 200
    assert "Digitaalinen tiedonhaku" in response.content.decode()


def test_verify_page_accepts_pasted_json(client, credential):
    response = client.post("/verify", {"credential": credential.document})

    assert response.status_code == 200
    assert response.context["result"].valid


def test_verify_page_rejects_tampered_json(client, credential):
    document = json.loads(credential.document)
    document["name"] = document["name"] + "!"

    response = client.post("/verify", {"credential": json.dumps(document)})

    assert not response.context["result"].valid
    assert "Ei voimassa" in response.content.decode()


@pytest.mark.parametrize("text", ["", "{", "[1, 2]", "null", '"x"'])
def test_verify_page_bad_input(client, db, text):
    response = client.post("/verify", {"credential": text})

    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page or "Ei voimassa" in page


def test_verify_page_rejects_binary_upload(client, db):
    upload = io.BytesIO(b"\xff\xfe\x00\x81binary")
    upload.name = "badge.json"

    response = client.post("/verify", {"file": upload})

    assert response.status_code == 200
    assert response.context["error"]
