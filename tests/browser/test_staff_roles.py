"""Staff roles in a real browser: invite, accept as a new person, change a role, read the audit trail."""
import re

import pytest

from issuers.models import Membership, Role
from issuers.services import membership_set, organisation_create
from notifications.models import OutboxEmail
from tests.browser.axe import assert_accessible
from tests.conftest import PASSWORD
from tests.issuers.staff_helpers import NEW_PASSWORD, assert_audit_free_of_secrets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(live_server, settings, django_user_model):
    settings.MERKKIPAJA_BASE_URL = live_server.url
    organisation = organisation_create(
        slug="taitopaja", name="Taitopaja ry", url="https://taitopaja.example.fi", email="info@taitopaja.example.fi"
    )
    owner = django_user_model.objects.create_user(username="omistaja", password=PASSWORD)
    membership_set(user=owner, organisation=organisation, role=Role.OWNER)
    instructor = django_user_model.objects.create_user(username="ohjaaja", password=PASSWORD)
    membership_set(user=instructor, organisation=organisation, role=Role.INSTRUCTOR)
    return live_server.url, organisation


def log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/staff/taitopaja/")


def test_invite_and_accept_as_new_person(page, browser, setup):
    base_url, organisation = setup
    log_in(page, base_url, "omistaja")

    page.click("text=Henkilökunta")
    page.wait_for_url(f"{base_url}/staff/taitopaja/members/")
    assert_accessible(page)
    page.click("text=Kutsu henkilö henkilökuntaan")
    page.fill("#id_email", "uusi.muokkaaja@example.fi")
    page.select_option("#id_role", "editor")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/staff/taitopaja/members/")
    assert page.get_by_text("Kutsu lähetettiin osoitteeseen uusi.muokkaaja@example.fi").is_visible()
    assert page.locator("table.invitations th[scope=row]").inner_text() == "uusi.muokkaaja@example.fi"

    email = OutboxEmail.objects.get(kind="staff_invitation")
    accept_url = re.search(r"https?://\S+/invitations/[A-Za-z0-9_-]+/", email.body_text)[0]
    assert accept_url.startswith(base_url)

    newcomer = browser.new_context(locale="fi-FI", viewport={"width": 390, "height": 844}).new_page()
    newcomer.goto(accept_url)
    assert newcomer.locator("h1").inner_text() == "Liity organisaation Taitopaja ry henkilökuntaan"
    assert_accessible(newcomer)
    newcomer.fill("#id_username", "uusi")
    newcomer.fill("#id_password1", NEW_PASSWORD)
    newcomer.fill("#id_password2", NEW_PASSWORD)
    newcomer.click("main button[type=submit]")
    newcomer.wait_for_url(f"{base_url}/staff/taitopaja/")
    assert newcomer.get_by_text("Roolisi on muokkaaja").is_visible()
    assert Membership.objects.get(user__username="uusi", organisation=organisation).role == Role.EDITOR

    newcomer.goto(accept_url)
    assert newcomer.locator("h1").inner_text() == "Kutsulinkki ei toimi"
    assert_accessible(newcomer)
    newcomer.context.close()
    assert_audit_free_of_secrets(extra=[NEW_PASSWORD])


def test_owner_changes_role_and_reads_audit(page, setup):
    base_url, organisation = setup
    log_in(page, base_url, "omistaja")
    page.goto(f"{base_url}/staff/taitopaja/members/")

    page.get_by_label("Käyttäjän ohjaaja rooli").select_option("editor")
    page.get_by_role("button", name="Vaihda rooli ohjaaja").click()
    page.wait_for_url(f"{base_url}/staff/taitopaja/members/")
    assert page.get_by_text("Käyttäjän ohjaaja rooli on nyt muokkaaja.").is_visible()
    membership = Membership.objects.get(user__username="ohjaaja", organisation=organisation)
    assert membership.role == Role.EDITOR

    page.get_by_label("Käyttäjän omistaja rooli").select_option("instructor")
    page.get_by_role("button", name="Vaihda rooli omistaja").click()
    assert page.get_by_text("pitää olla ainakin yksi omistaja").is_visible()

    page.click("text=Tapahtumaloki")
    page.wait_for_url(f"{base_url}/staff/taitopaja/audit/")
    assert page.locator("table.audit").get_by_text("Rooli vaihdettu").is_visible()
    assert_accessible(page)
    page.select_option("#id_action", "membership.update")
    page.click("main form.audit-filters button[type=submit]")
    assert page.locator("table.audit tbody tr").count() == 1
    assert_accessible(page)
