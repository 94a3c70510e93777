"""The earner's choices on the public verification page and the public downloads."""
import json

import pytest

from badges.models import Credential, NameDisplay
from badges.privacy import initials, is_withdrawn, public_format_allowed, public_recipient_name
from badges.services import credential_revoke
from earners.models import Claim
from tests.earners.conftest import sign_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed(credential, make_earner, client):
    from django.utils import timezone

    earner = make_earner("maija.meikalainen@example.fi")
    Claim.objects.create(credential=credential, earner=earner, method="link", claimed_at=timezone.now())
    sign_in_client(client, earner)
    return credential


def set_privacy(client, credential, name_display, link_enabled=True):
    data = {"name_display": name_display}
    if link_enabled:
        data["link_enabled"] = "on"
    response = client.post(f"/passi/merkit/{credential.id}/", data)
    assert response.status_code == 302
    credential.refresh_from_db()


def test_initials():
    assert initials("Maija Meikäläinen") == "M. M."
    assert initials("Anna-Liisa  Öhman") == "A.-L. Ö."


def test_public_name_default_full(credential):
    assert credential.name_display == NameDisplay.FULL
    assert public_recipient_name(credential) == "Maija Meikäläinen"


def test_public_name_initials_page(client, claimed):
    set_privacy(client, claimed, "initials")

    page = client.get(f"/credentials/{claimed.id}").content.decode()

    assert "M. M." in page
    assert "Maija" not in page
    assert "credential.json" not in page
    assert "assertion.json" in page


def test_public_name_hidden_page(client, claimed):
    set_privacy(client, claimed, "hidden")

    page = client.get(f"/credentials/{claimed.id}").content.decode()

    assert "Maija" not in page
    assert "M. M." not in page
    assert "Ei näytetä" in page


@pytest.mark.parametrize("filename", ["credential.json", "credential.jwt", "badge-ob3.png", "badge-ob3.svg"])
def test_files_with_name_not_public_when_hidden(client, claimed, filename):
    set_privacy(client, claimed, "initials")

    response = client.get(f"/credentials/{claimed.id}/{filename}")

    assert response.status_code == 403
    assert b"Maija" not in response.content


def test_files_without_name_stay_public(client, claimed):
    set_privacy(client, claimed, "hidden")

    response = client.get(f"/credentials/{claimed.id}/assertion.jws")

    assert response.status_code == 200


def test_json_negotiation_hidden_name(client, claimed):
    set_privacy(client, claimed, "hidden")

    response = client.get(f"/credentials/{claimed.id}", HTTP_ACCEPT="application/vc+ld+json")

    assert response.status_code == 403
    assert json.loads(response.content)["code"] == "name_not_public"
    assert b"Maija" not in response.content


def test_link_off_page_withdrawn(client, claimed):
    set_privacy(client, claimed, "full", link_enabled=False)

    response = client.get(f"/credentials/{claimed.id}")

    page = response.content.decode()
    assert response.status_code == 410
    assert "Merkin omistaja on poistanut" in page
    assert "Maija" not in page
    assert "Digitaalinen tiedonhaku" not in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_link_off_json_withdrawn(client, claimed):
    set_privacy(client, claimed, "full", link_enabled=False)

    response = client.get(f"/credentials/{claimed.id}", HTTP_ACCEPT="application/vc+ld+json")

    assert response.status_code == 410
    assert json.loads(response.content)["code"] == "withdrawn"
    assert b"Digitaalinen" not in response.content


@pytest.mark.parametrize("path", ["credential.json", "credential.jwt", "assertion.json", "badge-ob2.png"])
def test_link_off_downloads_gone(client, claimed, path):
    set_privacy(client, claimed, "full", link_enabled=False)

    assert client.get(f"/credentials/{claimed.id}/{path}").status_code == 410


def test_link_off_credential_still_verifies(client, claimed):
    from badges.verification import verify_submission

    set_privacy(client, claimed, "hidden", link_enabled=False)

    assert verify_submission(claimed.document.encode()).valid
    assert verify_submission(claimed.jwt.encode()).valid


def test_link_on_again(client, claimed):
    set_privacy(client, claimed, "full", link_enabled=False)
    set_privacy(client, claimed, "full", link_enabled=True)

    response = client.get(f"/credentials/{claimed.id}")

    assert response.status_code == 200
    assert "Maija Meikäläinen" in response.content.decode()


def test_other_earners_badge_not_found(client, claimed, make_earner):
    stranger = make_earner("stranger@example.fi")
    sign_in_client(client, stranger)

    page = client.get(f"/passi/merkit/{claimed.id}/")
    change = client.post(f"/passi/merkit/{claimed.id}/", {"name_display": "hidden"})
    download = client.get(f"/passi/merkit/{claimed.id}/tiedostot/ob3-json")

    assert (page.status_code, change.status_code, download.status_code) == (404, 404, 404)
    claimed.refresh_from_db()
    assert claimed.name_display == NameDisplay.FULL


def test_earner_downloads_always(client, claimed):
    set_privacy(client, claimed, "hidden", link_enabled=False)

    for fmt in ("ob3-json", "ob3-jwt", "ob3-png", "ob3-svg", "ob2-json", "ob2-jws", "ob2-png", "ob2-svg"):
        response = client.get(f"/passi/merkit/{claimed.id}/tiedostot/{fmt}")
        assert response.status_code == 200, fmt
        assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_backpack_lists_status(client, claimed, staff):
    credential_revoke(credential=claimed, note="Virhe", actor=staff["owner"])

    page = client.get("/passi/").content.decode()

    assert "Digitaalinen tiedonhaku" in page
    assert "Peruttu" in page


def test_revoked_name_not_shown(claimed, staff):
    credential_revoke(credential=claimed, note="Virhe", actor=staff["owner"])
    claimed = Credential.objects.get(pk=claimed.pk)

    assert public_recipient_name(claimed) is None
    assert not is_withdrawn(claimed)
    assert public_format_allowed(claimed, "ob2-json")


@pytest.mark.parametrize("layout", ["certificate", "card"])
def test_print_pages_follow_choices(client, claimed, layout):
    set_privacy(client, claimed, "initials")

    page = client.get(f"/credentials/{claimed.id}/print/{layout}").content.decode()

    assert "M. M." in page
    assert "Maija" not in page


@pytest.mark.parametrize("layout", ["certificate", "card"])
def test_print_pages_withdrawn(client, claimed, layout):
    set_privacy(client, claimed, "full", link_enabled=False)

    response = client.get(f"/credentials/{claimed.id}/print/{layout}")

    assert response.status_code == 410
    assert "Maija" not in response.content.decode()


def test_print_links_follow_link_setting(client, claimed):
    certificate = f"/credentials/{claimed.id}/print/certificate"

    assert certificate in client.get(f"/passi/merkit/{claimed.id}/").content.decode()

    set_privacy(client, claimed, "full", link_enabled=False)

    assert certificate not in client.get(f"/passi/merkit/{claimed.id}/").content.decode()
