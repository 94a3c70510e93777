"""The LinkedIn "Add to profile" address and the sharing block on the verification page."""
import datetime
from urllib.parse import parse_qs, urlsplit

from badges.services import credential_revoke
from badges.sharing import linkedin_add_url


def query(url: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def test_linkedin_url_fields():
    url = linkedin_add_url(
        name="Digitaalinen tiedonhaku & turvallisuus",
        organisation_name="Pirkanmaan järjestöverkosto",
        issued_on=datetime.date(2026, 3, 9),
        valid_until=datetime.date(2028, 11, 30),
        cert_url="https://merkit.example.fi/credentials/abc?x=1",
        cert_id="abc",
    )

    assert url.startswith("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&")
    assert query(url) == {
        "startTask": "CERTIFICATION_NAME",
        "name": "Digitaalinen tiedonhaku & turvallisuus",
        "organizationName": "Pirkanmaan järjestöverkosto",
        "issueYear": "2026",
        "issueMonth": "3",
        "expirationYear": "2028",
        "expirationMonth": "11",
        "certUrl": "https://merkit.example.fi/credentials/abc?x=1",
        "certId": "abc",
    }


def test_linkedin_url_encoding():
    url = linkedin_add_url(
        name="Lukeminen & kirjoittaminen",
        organisation_name="Yhdistys ry",
        issued_on=datetime.date(2026, 1, 1),
        valid_until=None,
        cert_url="https://merkit.example.fi/credentials/abc",
        cert_id="abc",
    )

    assert "name=Lukeminen%20%26%20kirjoittaminen" in url
    assert "certUrl=https%3A%2F%2Fmerkit.example.fi%2Fcredentials%2Fabc" in url
    assert " " not in url


def test_linkedin_url_without_expiry():
    url = linkedin_add_url(
        name="Merkki",
        organisation_name="Yhdistys ry",
        issued_on=datetime.date(2026, 1, 1),
        valid_until=None,
        cert_url="https://merkit.example.fi/credentials/abc",
        cert_id="abc",
    )

    assert "expirationYear" not in query(url)
    assert "expirationMonth" not in query(url)


def test_page_shows_sharing(client, credential):
    page = client.get(f"/credentials/{credential.id}").content.decode()

    assert 'id="share-link"' in page
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in page
    assert "organizationName=Taitopaja%20ry" in page
    assert "data-share-url" in page
    assert f"/credentials/{credential.id}/print/certificate" in page
    assert f"/credentials/{credential.id}/print/card" in page


def test_expiring_badge_link_has_expiry(client, expiring_badge, staff):
    from badges.services import credential_issue

    item = credential_issue(badge=expiring_badge, recipient_name="Maija", actor=staff["instructor"])
    page = client.get(f"/credentials/{item.id}").content.decode()

    assert f"expirationYear={item.valid_until.year}" in page


def test_revoked_page_hides_sharing(client, credential, staff):
    credential_revoke(credential=credential, note="Virhe.", actor=staff["owner"])

    page = client.get(f"/credentials/{credential.id}").content.decode()

    assert 'id="share-link"' not in page
    assert "linkedin.com" not in page
    assert "Maija Meikäläinen" not in page


def test_badge_name_language_marked(client, credential, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"

    page = client.get(f"/credentials/{credential.id}").content.decode()

    assert '<h1 lang="sv">Digital informationssökning</h1>' in page
    # The description has no Swedish translation, so it stays Finnish.
    assert '<p lang="fi">Tiedon hakeminen verkosta.</p>' in page
