"""The whole main flow in a real browser: log in, issue, open the verification page."""
import pytest

from badges.models import BadgeStatus, Credential
from badges.services import badge_create
from issuers.images import clean_image
from issuers.models import Role
from issuers.services import image_store, membership_set, organisation_create
from badges.demo_images import emblem_svg
from tests.browser.axe import assert_accessible
from tests.conftest import PASSWORD, make_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(live_server, settings, django_user_model):
    settings.MERKKIPAJA_BASE_URL = live_server.url
    organisation = organisation_create(
        slug="taitopaja", name="Taitopaja ry", url="https://taitopaja.example.fi", email="info@taitopaja.example.fi"
    )
    image = image_store(image=clean_image(emblem_svg("DT", "#0b4f8a")))
    badge_create(organisation=organisation, slug="tiedonhaku", content=make_content(image), status=BadgeStatus.PUBLISHED)
    instructor = django_user_model.objects.create_user(username="ohjaaja", password=PASSWORD)
    membership_set(user=instructor, organisation=organisation, role=Role.INSTRUCTOR)
    return live_server.url


def log_in(page, base_url):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", "ohjaaja")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/staff/taitopaja/")


def test_issue_and_verify(page, setup):
    base_url = setup
    log_in(page, base_url)

    page.click("text=Myönnä merkki")
    page.select_option("#id_badge", label="Digitaalinen tiedonhaku")
    page.fill("#id_recipient_name", "Maija Meikäläinen")
    page.fill("#id_evidence_narrative", "Haki tietoa kirjaston verkkopalvelusta.")
    page.click("main button[type=submit]")

    credential = Credential.objects.get()
    verification_url = f"{base_url}/credentials/{credential.id}"
    assert page.input_value("#verification-link") == verification_url
    assert page.locator("img.qr").is_visible()

    page.goto(verification_url)
    status = page.locator(".status-title")
    assert status.inner_text() == "Voimassa"
    assert page.locator("html").get_attribute("lang") == "fi"
    assert page.get_by_text("Maija Meikäläinen").is_visible()
    assert_accessible(page)


def test_form_errors_shown(page, setup):
    base_url = setup
    log_in(page, base_url)

    page.goto(f"{base_url}/staff/taitopaja/issue/")
    page.select_option("#id_badge", label="Digitaalinen tiedonhaku")
    page.fill("#id_recipient_name", "Maija")
    page.fill("#id_recipient_email", "maija@")
    page.click("main button[type=submit]")

    assert page.locator(".error-summary").is_visible()
    assert page.locator("#id_recipient_email-errors").is_visible()
    assert Credential.objects.count() == 0


def test_switch_to_swedish(page, setup):
    base_url = setup
    page.goto(f"{base_url}/")
    page.select_option("#language-select", "sv")
    page.click("form.language button")

    assert page.locator("html").get_attribute("lang") == "sv"
