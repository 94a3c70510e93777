"""Sharing, printing to PDF and accessibility of the public pages, in a real browser."""
import datetime
import io
from urllib.parse import parse_qs, urlsplit

import pypdfium2
import pytest
import zxingcpp

from badges.demo_images import emblem_svg
from badges.models import BadgeStatus
from badges.services import badge_create, credential_issue, credential_revoke
from issuers.images import clean_image
from issuers.services import image_store, network_create, network_membership_set, organisation_create
from tests.browser.axe import assert_accessible
from tests.conftest import make_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POINTS_PER_MM = 72 / 25.4
A4_POINTS = (210 * POINTS_PER_MM, 297 * POINTS_PER_MM)
CARD_POINTS = (85.6 * POINTS_PER_MM, 54 * POINTS_PER_MM)


@pytest.fixture
def setup(live_server, settings):
    settings.MERKKIPAJA_BASE_URL = live_server.url
    organisation = organisation_create(
        slug="taitopaja", name="Taitopaja ry", url="https://taitopaja.example.fi", email="info@taitopaja.example.fi"
    )
    network = network_create(
        slug="verkosto", name="Pirkanmaan järjestöverkosto", url="https://verkosto.example.fi",
        email="info@verkosto.example.fi",
    )
    network_membership_set(organisation=organisation, network=network, may_issue=True)
    organisation.refresh_from_db()
    image = image_store(image=clean_image(emblem_svg("DT", "#0b4f8a")))
    badge = badge_create(
        organisation=organisation, slug="tiedonhaku", content=make_content(image), status=BadgeStatus.PUBLISHED
    )
    expiring = badge_create(
        organisation=organisation,
        slug="vanhenee",
        content=make_content(image, name="Vanheneva merkki", validity_months=12),
        status=BadgeStatus.PUBLISHED,
    )
    credentials = {
        "valid": credential_issue(badge=badge, recipient_name="Maija Meikäläinen"),
        "expiring": credential_issue(badge=expiring, recipient_name="Matti Meikäläinen"),
        "expired": credential_issue(
            badge=expiring,
            recipient_name="Liisa Virtanen",
            issued_on=datetime.date.today() - datetime.timedelta(days=800),
        ),
        "revoked": credential_issue(badge=badge, recipient_name="Pekka Peruttu"),
        "network": credential_issue(badge=badge, recipient_name="Nina Verkko", issue_as_network=True),
        "swedish": credential_issue(badge=badge, recipient_name="Maja Svensson", recipient_language="sv"),
    }
    credential_revoke(credential=credentials["revoked"], note="Virhe.")
    return live_server.url, credentials


def url_of(base_url, credential, suffix=""):
    return f"{base_url}/credentials/{credential.id}{suffix}"


def test_copy_link(page, setup):
    base_url, credentials = setup
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page.goto(url_of(base_url, credentials["valid"]))

    # Keyboard only: focus the copy button and press Enter.
    page.locator("#share-link + button").focus()
    page.keyboard.press("Enter")

    expected = url_of(base_url, credentials["valid"])
    assert page.input_value("#share-link") == expected
    assert page.locator(".share .copy-status").inner_text() == "Linkki kopioitu"
    assert page.evaluate("navigator.clipboard.readText()") == expected


def test_linkedin_link(page, setup):
    base_url, credentials = setup
    item = credentials["expiring"]
    page.goto(url_of(base_url, item))

    href = page.get_by_role("link", name="Lisää LinkedIn-profiiliin").get_attribute("href")
    parts = urlsplit(href)
    params = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com", "/profile/add")
    assert params == {
        "startTask": "CERTIFICATION_NAME",
        "name": "Vanheneva merkki",
        "organizationName": "Taitopaja ry",
        "issueYear": str(item.issued_on.year),
        "issueMonth": str(item.issued_on.month),
        "expirationYear": str(item.valid_until.year),
        "expirationMonth": str(item.valid_until.month),
        "certUrl": url_of(base_url, item),
        "certId": str(item.id),
    }


def test_linkedin_names_network(page, setup):
    base_url, credentials = setup
    page.goto(url_of(base_url, credentials["network"]))

    href = page.get_by_role("link", name="Lisää LinkedIn-profiiliin").get_attribute("href")

    assert parse_qs(urlsplit(href).query)["organizationName"] == ["Pirkanmaan järjestöverkosto"]


def test_native_share_hidden_without_api(page, setup):
    base_url, credentials = setup
    page.add_init_script("delete Navigator.prototype.share; delete navigator.share;")
    page.goto(url_of(base_url, credentials["valid"]))

    assert page.evaluate("typeof navigator.share") == "undefined"
    assert page.locator("[data-share-url]").is_hidden()


def test_native_share_used_when_available(page, setup):
    base_url, credentials = setup
    page.add_init_script("navigator.share = async (data) => { window.sharedData = data; };")
    page.goto(url_of(base_url, credentials["valid"]))

    button = page.get_by_role("button", name="Jaa…")
    assert button.is_visible()
    button.click()

    shared = page.evaluate("window.sharedData")
    assert shared == {"title": "Digitaalinen tiedonhaku", "url": url_of(base_url, credentials["valid"])}


def test_revoked_has_no_sharing(page, setup):
    base_url, credentials = setup
    page.goto(url_of(base_url, credentials["revoked"]))

    assert page.locator(".share").count() == 0
    assert page.locator(".status-title").inner_text() == "Peruttu"


def pdf_pages(page, url: str) -> list:
    page.goto(url)
    page.emulate_media(media="print")
    data = page.pdf(prefer_css_page_size=True, print_background=True)
    return pypdfium2.PdfDocument(io.BytesIO(data))


def decode_qr(pdf_page) -> list[str]:
    # 300 dpi: the QR modules of the wallet card are about 0.5 mm wide.
    image = pdf_page.render(scale=300 / 72).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_certificate_pdf(page, setup):
    base_url, credentials = setup
    item = credentials["valid"]

    document = pdf_pages(page, url_of(base_url, item, "/print/certificate"))

    assert len(document) == 1
    width, height = document[0].get_size()
    assert width == pytest.approx(A4_POINTS[0], abs=1)
    assert height == pytest.approx(A4_POINTS[1], abs=1)
    assert decode_qr(document[0]) == [url_of(base_url, item)]


def test_card_pdf(page, setup):
    base_url, credentials = setup
    item = credentials["valid"]

    document = pdf_pages(page, url_of(base_url, item, "/print/card"))

    assert len(document) == 2
    for pdf_page in document:
        width, height = pdf_page.get_size()
        assert width == pytest.approx(CARD_POINTS[0], abs=1)
        assert height == pytest.approx(CARD_POINTS[1], abs=1)
    assert decode_qr(document[0]) == [url_of(base_url, item)]


def test_revoked_certificate_marked(page, setup):
    base_url, credentials = setup
    page.goto(url_of(base_url, credentials["revoked"], "/print/certificate"))

    assert page.locator(".revoked-mark").is_visible()
    assert "PERUTTU" in page.locator(".revoked-mark").inner_text()


@pytest.mark.parametrize("name", ["valid", "expired", "revoked", "network", "swedish"])
def test_verification_page_accessible(page, setup, name):
    base_url, credentials = setup
    page.goto(url_of(base_url, credentials[name]))

    assert_accessible(page)


def test_swedish_badge_name_marked(page, setup):
    base_url, credentials = setup
    page.goto(f"{base_url}/")
    page.select_option("#language-select", "sv")
    page.click("form.language button")
    page.goto(url_of(base_url, credentials["valid"]))

    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").get_attribute("lang") == "sv"
    assert page.locator(".credential-header p[lang]").get_attribute("lang") == "fi"
    assert_accessible(page)


@pytest.mark.parametrize("layout", ["certificate", "card"])
@pytest.mark.parametrize("name", ["valid", "revoked", "swedish"])
def test_print_pages_accessible(page, setup, layout, name):
    base_url, credentials = setup
    page.goto(url_of(base_url, credentials[name], f"/print/{layout}"))

    if name == "swedish":
        assert page.locator("html").get_attribute("lang") == "sv"
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/verify", "/issuers/taitopaja/", "/issuers/verkosto/"])
def test_other_public_pages_accessible(page, setup, path):
    base_url, _credentials = setup
    page.goto(f"{base_url}{path}")

    assert_accessible(page)


def test_verifier_report_accessible(page, setup):
    base_url, credentials = setup
    page.goto(f"{base_url}/verify")
    page.fill("textarea[name=credential]", url_of(base_url, credentials["network"]))
    page.click("main button[type=submit]")

    assert page.locator(".status-title").is_visible()
    assert_accessible(page)


def test_issue_under_network(page, setup, django_user_model):
    from badges.models import Credential
    from issuers.models import Organisation, Role
    from issuers.services import membership_set
    from tests.conftest import PASSWORD

    base_url, _credentials = setup
    instructor = django_user_model.objects.create_user(username="ohjaaja", password=PASSWORD)
    membership_set(user=instructor, organisation=Organisation.objects.get(slug="taitopaja"), role=Role.INSTRUCTOR)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", "ohjaaja")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/staff/taitopaja/")

    page.goto(f"{base_url}/staff/taitopaja/issue/")
    assert_accessible(page)
    page.select_option("#id_badge", label="Digitaalinen tiedonhaku")
    page.fill("#id_recipient_name", "Ville Verkko")
    page.get_by_label("Pirkanmaan järjestöverkosto").check()
    page.click("main button[type=submit]")

    credential = Credential.objects.get(recipient_name="Ville Verkko")
    assert credential.issuer_profile.slug == "verkosto"
    assert "Myönnetty verkoston nimellä: Pirkanmaan järjestöverkosto" in page.locator(".issuer-profile").inner_text()
    assert_accessible(page)
