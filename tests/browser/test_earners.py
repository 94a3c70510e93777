"""The earner's Osaamispassi in a real browser: claiming, sign-in, privacy choices and the data export."""
import io
import json
import re
import zipfile

import pytest

from badges.demo_images import emblem_svg
from badges.models import BadgeStatus, Credential
from badges.services import badge_create, credential_issue
from issuers.images import clean_image
from issuers.models import Role
from issuers.services import image_store, membership_set, organisation_create
from notifications.models import OutboxEmail
from tests.browser.axe import assert_accessible
from tests.conftest import PASSWORD, make_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDRESS = "maija.meikalainen@example.fi"


@pytest.fixture
def setup(live_server, settings, django_user_model):
    settings.MERKKIPAJA_BASE_URL = live_server.url
    organisation = organisation_create(
        slug="taitopaja", name="Taitopaja ry", url="https://taitopaja.example.fi", email="info@taitopaja.example.fi"
    )
    image = image_store(image=clean_image(emblem_svg("DT", "#0b4f8a")))
    badge = badge_create(organisation=organisation, slug="tiedonhaku", content=make_content(image),
                         status=BadgeStatus.PUBLISHED)
    instructor = django_user_model.objects.create_user(username="ohjaaja", password=PASSWORD)
    membership_set(user=instructor, organisation=organisation, role=Role.INSTRUCTOR)
    return {"base_url": live_server.url, "badge": badge, "instructor": instructor}


def email_link(kind: str) -> str:
    body = OutboxEmail.objects.filter(kind=kind).order_by("-created_at").first().body_text
    return re.search(r"https?://\S+/passi/\S+/", body).group(0)


def submit(page):
    """Click the submit button of the page's own form, not the language switch or the sign-out button."""
    page.click("main form:not(.inline) button[type=submit]")


def save_privacy(page):
    submit(page)
    page.get_by_text("Valintasi tallennettiin.").wait_for()


def issue_with_email(setup) -> Credential:
    return credential_issue(badge=setup["badge"], recipient_name="Maija Meikäläinen", recipient_email=ADDRESS,
                            actor=setup["instructor"])


def sign_in(page, base_url, address=ADDRESS):
    page.goto(f"{base_url}/passi/kirjaudu/")
    assert_accessible(page)
    page.fill("#id_address", address)
    submit(page)
    assert page.locator("h1").inner_text() == "Katso sähköpostisi"
    assert_accessible(page)
    page.goto(email_link("sign_in"))
    assert_accessible(page)
    submit(page)
    page.wait_for_url(re.compile(r".*/passi/.*"))


def test_claim_by_link_and_privacy(page, setup):
    base_url = setup["base_url"]
    credential = issue_with_email(setup)

    page.goto(email_link("badge_issued"))
    assert page.locator("h2").first.inner_text() == "Digitaalinen tiedonhaku"
    assert_accessible(page)
    submit(page)
    page.wait_for_url(f"{base_url}/passi/merkit/{credential.id}/")
    assert page.locator(".status-title").inner_text() == "Voimassa"
    assert_accessible(page)

    public_url = f"{base_url}/credentials/{credential.id}"
    page.goto(public_url)
    assert page.get_by_text("Maija Meikäläinen").is_visible()
    assert_accessible(page)

    page.goto(f"{base_url}/passi/merkit/{credential.id}/")
    page.check("text=Vain nimikirjaimet")
    save_privacy(page)
    page.goto(public_url)
    assert page.get_by_text("M. M.", exact=True).is_visible()
    assert page.get_by_text("Maija Meikäläinen").count() == 0
    assert_accessible(page)

    page.goto(f"{base_url}/passi/merkit/{credential.id}/")
    page.check("text=Piilotettu")
    save_privacy(page)
    page.goto(public_url)
    assert page.get_by_text("Ei näytetä merkin saajan omasta valinnasta").is_visible()
    assert page.get_by_text("M. M.", exact=True).count() == 0
    assert_accessible(page)

    page.goto(f"{base_url}/passi/merkit/{credential.id}/")
    page.uncheck("#id_link_enabled")
    save_privacy(page)
    response = page.goto(public_url)
    assert response.status == 410
    assert page.locator("h1").inner_text() == "Merkin sivu poistettu käytöstä"
    assert page.get_by_text("Digitaalinen tiedonhaku").count() == 0
    assert_accessible(page)

    page.goto(f"{base_url}/passi/merkit/{credential.id}/")
    page.check("#id_link_enabled")
    page.check("text=Koko nimi")
    save_privacy(page)
    credential.refresh_from_db()
    assert (credential.link_enabled, credential.name_display) == (True, "full")
    response = page.goto(public_url)
    assert response.status == 200
    assert page.get_by_text("Maija Meikäläinen").is_visible()


def test_claim_by_code_after_sign_in(page, setup):
    base_url = setup["base_url"]
    credential = credential_issue(badge=setup["badge"], recipient_name="Kalle Koodinen", recipient_email="",
                                  actor=setup["instructor"])
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", "ohjaaja")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{base_url}/staff/taitopaja/credentials/{credential.id}/")
    page.click("text=Tulosta lunastuskortti")
    code = page.locator("#claim-code").inner_text()
    assert page.locator(".claim-card img.qr").is_visible()
    assert_accessible(page)
    page.click("form.inline button:has-text('Kirjaudu ulos')")

    sign_in(page, base_url, "kalle@example.fi")
    page.goto(f"{base_url}/passi/koodi/")
    assert_accessible(page)
    page.fill("#id_code", "ABCD-EFGH-JK")
    submit(page)
    assert page.locator("#id_code-errors").is_visible()
    assert_accessible(page)
    page.fill("#id_code", code.lower())
    submit(page)
    page.wait_for_url(f"{base_url}/passi/merkit/{credential.id}/")

    page.goto(f"{base_url}/passi/")
    assert page.get_by_role("link", name="Digitaalinen tiedonhaku").is_visible()
    assert_accessible(page)


def test_sign_in_and_export(page, setup):
    base_url = setup["base_url"]
    credential = issue_with_email(setup)

    sign_in(page, base_url)
    page.wait_for_url(f"{base_url}/passi/")
    assert_accessible(page)
    page.click(f"text=Lisää ”Digitaalinen tiedonhaku” passiini")
    page.wait_for_url(f"{base_url}/passi/merkit/{credential.id}/")

    page.goto(f"{base_url}/passi/osoitteet/")
    assert_accessible(page)
    page.goto(f"{base_url}/passi/tili/")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.click("text=Lataa tietoni (zip)")
    archive = zipfile.ZipFile(io.BytesIO(open(download_info.value.path(), "rb").read()))
    account = json.loads(archive.read("account.json"))
    assert account["emails"][0]["address"] == ADDRESS
    assert f"badges/{credential.id}/badge-{credential.id}.json" in archive.namelist()

    page.goto(f"{base_url}/passi/tili/poista/")
    assert_accessible(page)


@pytest.mark.parametrize("language, heading", [("sv", "Logga in i ditt Osaamispassi"),
                                               ("en", "Sign in to your Osaamispassi")])
def test_sign_in_page_languages(page, setup, language, heading):
    page.goto(f"{setup['base_url']}/passi/kirjaudu/?lang={language}")

    assert page.locator("h1").inner_text() == heading
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)
