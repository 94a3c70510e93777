"""Passwordless sign-in, earner sessions, email addresses and the earner pages' headers."""
import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from earners import accounts
from earners.codes import rate_key
from earners.models import Earner, EarnerEmail, EarnerToken, RateLimitCounter
from notifications.models import OutboxEmail

from .conftest import link_from_email, path_of, sign_in_client

pytestmark = pytest.mark.django_db


def without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def request_link(client, address="maija@example.fi", **extra):
    return client.post("/passi/kirjaudu/", {"address": address, **extra})


def test_sign_in_creates_account(client):
    response = request_link(client)
    assert response.status_code == 200
    url = path_of(link_from_email("sign_in", "maija@example.fi"))
    assert Earner.objects.count() == 0

    assert client.get(url).status_code == 200
    response = client.post(url)

    assert response.status_code == 302
    earner = EarnerEmail.objects.get(address="maija@example.fi").earner
    assert client.session["earner_id"] == str(earner.pk)


def test_same_response_known_unknown(client, make_earner):
    make_earner("known@example.fi")

    known = request_link(client, "known@example.fi")
    unknown = request_link(client, "unknown@example.fi")

    assert known.status_code == unknown.status_code == 200
    assert without_csrf(known) == without_csrf(unknown)


def test_token_stored_as_hash(client):
    request_link(client)
    token = link_from_email("sign_in").rstrip("/").rsplit("/", 1)[1]

    row = EarnerToken.objects.get()
    assert row.token_hash != token
    assert not EarnerToken.objects.filter(token_hash=token).exists()


def test_link_single_use(client):
    request_link(client)
    url = path_of(link_from_email("sign_in"))
    client.post(url)
    other = Client()

    response = other.post(url)

    assert response.status_code == 410
    assert "earner_id" not in other.session


def test_link_expires_after_15_minutes(client):
    request_link(client)
    url = path_of(link_from_email("sign_in"))
    EarnerToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    assert client.post(url).status_code == 410
    assert Earner.objects.count() == 0


def test_link_lifetime_is_15_minutes(client):
    before = timezone.now()
    request_link(client)

    row = EarnerToken.objects.get()
    assert before + datetime.timedelta(minutes=14) < row.expires_at <= timezone.now() + datetime.timedelta(minutes=15)


def test_session_key_rotated(client):
    request_link(client)
    url = path_of(link_from_email("sign_in"))
    client.get(url)
    before = client.session.session_key

    client.post(url)

    assert client.session.session_key != before


def test_rate_limit_per_address(client):
    for _attempt in range(5):
        request_link(client, "maija@example.fi")

    refused = request_link(client, "maija@example.fi")

    assert "Liian monta" in refused.content.decode()
    assert OutboxEmail.objects.filter(kind="sign_in").count() == 5
    # The counters are database rows, shared by every web node, and their
    # keys are keyed hashes, never the address.
    counter = RateLimitCounter.objects.get(key=rate_key("sign_in_address", "maija@example.fi"))
    assert counter.count == 6
    assert not RateLimitCounter.objects.filter(key__icontains="maija").exists()


def test_rate_limit_per_ip(client):
    for number in range(30):
        request_link(client, f"person{number}@example.fi")

    refused = request_link(client, "another@example.fi")

    assert "Liian monta" in refused.content.decode()
    assert not OutboxEmail.objects.filter(to="another@example.fi").exists()


def test_invalid_address_message(client):
    response = request_link(client, "maija@")

    assert response.status_code == 200
    assert OutboxEmail.objects.count() == 0


def test_next_path_kept(client):
    request_link(client, next="/passi/koodi/")
    url = path_of(link_from_email("sign_in"))

    response = client.post(url)

    assert response["Location"] == "/passi/koodi/"


def test_next_path_external_dropped(client):
    request_link(client, next="https://evil.example/passi/")
    url = path_of(link_from_email("sign_in"))

    response = client.post(url)

    assert response["Location"] == "/passi/"


def test_sign_in_requires_csrf():
    client = Client(enforce_csrf_checks=True)

    assert client.post("/passi/kirjaudu/", {"address": "maija@example.fi"}).status_code == 403
    assert OutboxEmail.objects.count() == 0


def test_sign_out(earner_client):
    response = earner_client.post("/passi/ulos/")

    assert response.status_code == 302
    assert "earner_id" not in earner_client.session
    assert earner_client.get("/passi/").status_code == 302


def test_staff_login_not_earner(client, staff):
    client.force_login(staff["owner"])

    assert client.get("/passi/").status_code == 302


def test_earner_not_staff(earner_client):
    response = earner_client.get("/staff/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_add_and_verify_address(earner_client):
    response = earner_client.post("/passi/osoitteet/", {"address": "Toinen@Example.fi"})
    assert response.status_code == 302
    url = path_of(link_from_email("email_verify", "toinen@example.fi"))
    assert not EarnerEmail.objects.filter(address="toinen@example.fi").exists()

    earner_client.post(url)

    assert EarnerEmail.objects.get(address="toinen@example.fi").earner == earner_client.earner


def test_verify_link_of_other_earner_refused(earner_client, make_earner, client):
    earner_client.post("/passi/osoitteet/", {"address": "toinen@example.fi"})
    url = path_of(link_from_email("email_verify"))
    stranger = make_earner("stranger@example.fi")
    other = sign_in_client(Client(), stranger)

    assert other.post(url).status_code == 410
    assert not EarnerEmail.objects.filter(address="toinen@example.fi").exists()


def test_address_of_other_earner_refused(earner_client, make_earner):
    make_earner("taken@example.fi")
    earner_client.post("/passi/osoitteet/", {"address": "taken@example.fi"})
    url = path_of(link_from_email("email_verify"))

    response = earner_client.post(url)

    assert response.status_code == 410
    assert EarnerEmail.objects.get(address="taken@example.fi").earner != earner_client.earner


def test_only_address_not_removed(earner_client):
    email = earner_client.earner.emails.get()

    earner_client.post(f"/passi/osoitteet/{email.pk}/poista/")

    assert earner_client.earner.emails.count() == 1


def test_language_choice(earner_client):
    response = earner_client.post("/passi/tili/", {"language": "sv"})

    assert response.status_code == 302
    earner_client.earner.refresh_from_db()
    assert earner_client.earner.language == "sv"
    assert response.cookies["django_language"].value == "sv"


def test_sign_in_email_in_earner_language(client, make_earner):
    make_earner("sara@example.fi", language="sv")

    request_link(client, "sara@example.fi")

    assert OutboxEmail.objects.get().language == "sv"


@pytest.mark.parametrize("path", ["/passi/", "/passi/koodi/", "/passi/osoitteet/", "/passi/tili/", "/passi/tili/poista/"])
def test_pages_not_indexed(earner_client, path):
    response = earner_client.get(path)

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_pages_in_three_languages(earner_client, language):
    response = earner_client.get(f"/passi/?lang={language}")

    assert f'<html lang="{language}">' in response.content.decode()


def test_sign_in_page_in_swedish(client):
    response = client.get("/passi/kirjaudu/?lang=sv")

    assert "Logga in" in response.content.decode()


def test_purge_removes_expired(client):
    from earners.sweeps import purge_expired

    request_link(client)
    EarnerToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    purge_expired()

    assert EarnerToken.objects.count() == 0


def test_clean_address_rejects_invalid():
    with pytest.raises(accounts.AccountError):
        accounts.clean_address("not an address")
