"""Bulk issuing in a real browser: upload, see an error, upload a fix, confirm, watch the progress."""
import datetime

import pytest
from django.core.management import call_command

from badges.demo_images import emblem_svg
from badges.models import BadgeStatus, Credential
from badges.services import badge_create
from issuers.images import clean_image
from issuers.models import Role
from issuers.services import image_store, membership_set, organisation_create
from tests.badges.bulk.helpers import csv_bytes
from tests.browser.axe import assert_accessible
from tests.conftest import PASSWORD, make_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = (datetime.date.today() - datetime.timedelta(days=1)).strftime("%d.%m.%Y")
ROWS = [
    ["Aino Aalto", "aino@example.org", "Teki tehtävän.", "", DAY, "fi"],
    ["Bertil Berg", "bertil@", "Gjorde uppgiften.", "", DAY, "sv"],
    ["Cecilia Carlsson", "", "", "https://example.org/c", DAY, "en"],
]


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


def csv_file(rows) -> dict:
    return {"name": "kurssi.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows)}


def test_bulk_upload_fix_confirm_progress(page, setup):
    base_url = setup
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", "ohjaaja")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/staff/taitopaja/")

    page.click("text=Myönnä monelle")
    assert page.locator("h1").inner_text() == "Myönnä monelle tiedostosta"
    assert_accessible(page)
    page.select_option("#id_badge", label="Digitaalinen tiedonhaku")
    page.set_input_files("#id_file", files=[csv_file(ROWS)])
    page.click("main form.form button[type=submit]")

    assert page.locator("h1").inner_text() == "Tarkista lista ennen myöntämistä"
    errors = page.locator("table.bulk-errors tbody tr")
    assert errors.count() == 1
    assert "Sähköpostiosoite ei kelpaa." in errors.first.inner_text()
    assert errors.first.locator("td").first.inner_text() == "3"
    assert_accessible(page)

    fixed = [list(row) for row in ROWS]
    fixed[1][1] = "bertil@example.org"
    page.set_input_files("#id_file", files=[csv_file(fixed)])
    page.click("text=Tarkista korjattu tiedosto")
    assert page.locator("table.bulk-errors").count() == 0
    page.click("#bulk-confirm")

    assert page.locator("h1").inner_text() == "Merkkejä myönnetään"
    assert page.locator("progress#bulk-progress-bar").is_visible()
    assert page.locator("#bulk-progress-text").inner_text() == "0/3 riviä käsitelty"
    assert_accessible(page)
    assert Credential.objects.count() == 0

    # The real task, run by the real worker command, while the page polls.
    call_command("worker", batch=True, verbosity=0)

    page.wait_for_selector("text=Joukkomyöntäminen valmis", timeout=20000)
    assert page.locator("#bulk-issued-count").inner_text() == "3"
    assert Credential.objects.count() == 3
    assert page.get_by_role("link", name="Bertil Berg").is_visible()
    assert_accessible(page)
