"""The printable certificate and wallet card pages, without a browser."""
import pytest

from badges.services import credential_issue, credential_revoke


def test_certificate_page(client, credential):
    response = client.get(f"/credentials/{credential.id}/print/certificate")

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fi">' in page
    assert "Maija Meikäläinen" in page
    assert "Digitaalinen tiedonhaku" in page
    assert "osaa hakea tietoa digitaalisista ympäristöistä" in page
    assert "Taitopaja ry" in page
    assert f"/credentials/{credential.id}/qr.svg" in page
    assert f"http://127.0.0.1:8000/credentials/{credential.id}" in page
    assert "PERUTTU" not in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_card_page(client, credential):
    page = client.get(f"/credentials/{credential.id}/print/card").content.decode()

    assert "card-front" in page
    assert "card-back" in page
    assert "Maija Meikäläinen" in page


def test_earner_language_used(client, badge, staff):
    item = credential_issue(
        badge=badge, recipient_name="Maja Svensson", recipient_language="sv", actor=staff["instructor"]
    )

    page = client.get(f"/credentials/{item.id}/print/certificate").content.decode()

    assert '<html lang="sv">' in page
    assert '<h1 lang="sv">Digital informationssökning</h1>' in page
    assert "Tilldelat" in page


@pytest.mark.parametrize("language, word", [("en", "Awarded to"), ("sv", "Tilldelat"), ("fi", "Myönnetty henkilölle")])
def test_lang_parameter_overrides(client, credential, language, word):
    page = client.get(f"/credentials/{credential.id}/print/certificate?lang={language}").content.decode()

    assert f'<html lang="{language}">' in page
    assert word in page


def test_unknown_lang_falls_back(client, credential):
    page = client.get(f"/credentials/{credential.id}/print/card?lang=de").content.decode()

    assert '<html lang="fi">' in page


def test_revoked_marked(client, credential, staff):
    credential_revoke(credential=credential, note="Virhe.", actor=staff["owner"])

    for layout in ("certificate", "card"):
        page = client.get(f"/credentials/{credential.id}/print/{layout}").content.decode()
        assert "PERUTTU" in page, layout
        assert "Maija Meikäläinen" not in page, layout


def test_unknown_layout_404(client, credential):
    assert client.get(f"/credentials/{credential.id}/print/poster").status_code == 404
