"""The claim email's delivery status on the staff page of an issued badge."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from badges.services import credential_issue
from notifications.outbox import deliver_due
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def issued_page(client, staff, organisation, credential) -> str:
    client.login(username=staff["instructor"].username, password=PASSWORD)
    url = reverse("staff:issued", args=[organisation.slug, credential.id])
    return client.get(url).content.decode()


def issue(badge, staff, email):
    return credential_issue(badge=badge, recipient_name="Maija Meikäläinen", recipient_email=email,
                            actor=staff["instructor"])


def test_waiting_then_sent(client, smtp, badge, staff, organisation):
    credential = issue(badge, staff, "maija@example.fi")
    deliver_due()

    assert "odottaa lähetystä" in issued_page(client, staff, organisation, credential)

    smtp.start()
    deliver_due(now=timezone.now() + datetime.timedelta(minutes=5))

    assert "Sähköposti lunastuslinkkeineen lähetettiin" in issued_page(client, staff, organisation, credential)


def test_refused_address_is_shown(client, smtp, badge, staff, organisation):
    smtp.handler.refuse.add("vanha@example.fi")
    smtp.start()
    credential = issue(badge, staff, "vanha@example.fi")
    deliver_due()

    page = issued_page(client, staff, organisation, credential)

    assert "postipalvelin hylkäsi sen" in page
    # The server's reply (which names the address) stays out of the page.
    assert "550" not in page
