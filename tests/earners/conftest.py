"""Fixtures of the earner tests: accounts, signed-in clients and badges without email."""
import re

import pytest
from django.utils import timezone

from badges.services import credential_issue
from earners.models import Earner, EarnerEmail
from earners.session import SESSION_KEY
from notifications.models import OutboxEmail


@pytest.fixture
def make_earner(db):
    def make(*addresses: str, language: str = "fi") -> Earner:
        earner = Earner.objects.create(language=language)
        for address in addresses:
            EarnerEmail.objects.create(earner=earner, address=address, verified_at=timezone.now())
        return earner

    return make


def sign_in_client(client, earner: Earner):
    session = client.session
    session[SESSION_KEY] = str(earner.pk)
    session.save()
    return client


@pytest.fixture
def earner_client(client, make_earner):
    earner = make_earner("maija.meikalainen@example.fi")
    sign_in_client(client, earner)
    client.earner = earner
    return client


@pytest.fixture
def codeless_credential(badge, staff):
    """A badge issued without an email address, so it has a claim code."""
    return credential_issue(
        badge=badge, recipient_name="Kalle Koodinen", recipient_email="", recipient_language="sv",
        actor=staff["instructor"],
    )


def link_from_email(kind: str, to: str | None = None, pattern: str = r"https?://\S+/passi/\S+/") -> str:
    emails = OutboxEmail.objects.filter(kind=kind)
    if to is not None:
        emails = emails.filter(to=to)
    email = emails.order_by("-created_at").first()
    assert email is not None, f"no {kind} email queued"
    match = re.search(pattern, email.body_text)
    assert match is not None, email.body_text
    return match.group(0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]
