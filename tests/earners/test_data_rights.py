"""Data rights: the export of everything and the erasure, by the earner and by owners."""
import io
import json
import zipfile

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from badges.models import Credential, ImmutableCredentialError
from badges.services import credential_issue, credential_revoke
from badges.verification import verify_submission
from earners.models import Claim, Earner, EarnerEmail, EarnerToken
from issuers.models import AuditEvent
from issuers.services import membership_set
from notifications.models import OutboxEmail

from .conftest import link_from_email, path_of, sign_in_client

pytestmark = pytest.mark.django_db

NAME = "Maija Meikäläinen"
ADDRESSES = ("maija.meikalainen@example.fi", "maija.toinen@example.fi")


@pytest.fixture
def passport(client, credential, badge, staff):
    """An earner with two verified addresses, two claimed badges and a pending sign-in link."""
    client.post(path_of(link_from_email("badge_issued")))
    earner = Earner.objects.get()
    second = credential_issue(badge=badge, recipient_name=NAME, recipient_email=ADDRESSES[1],
                              evidence_narrative=f"{NAME} haki tietoa.", actor=staff["owner"])
    client.post("/passi/osoitteet/", {"address": ADDRESSES[1]})
    client.post(path_of(link_from_email("email_verify")))
    client.post(f"/passi/merkit/{second.id}/lunasta/")
    client.post("/passi/kirjaudu/", {"address": ADDRESSES[0]})
    assert Claim.objects.filter(earner=earner).count() == 2
    client.earner = earner
    client.credentials = [credential, second]
    return client


def text_fields(model):
    return [field for field in model._meta.get_fields()
            if isinstance(field, (models.CharField, models.TextField, models.JSONField))
            and not field.is_relation and field.concrete]


def rows_containing(needle: str) -> list[str]:
    """Return "model.field" of every row in every table whose text contains ``needle`` (any case)."""
    found = []
    for model in apps.get_models():
        for field in text_fields(model):
            lookup = f"{field.name}__icontains"
            if isinstance(field, models.JSONField):
                values = model.objects.values_list(field.name, flat=True)
                if any(needle.lower() in json.dumps(value, ensure_ascii=False).lower() for value in values):
                    found.append(f"{model._meta.label}.{field.name}")
            elif model.objects.filter(**{lookup: needle}).exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found


def test_export_contains_everything(passport):
    response = passport.get("/passi/tili/tiedot.zip")

    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    account = json.loads(archive.read("account.json"))
    assert sorted(email["address"] for email in account["emails"]) == sorted(ADDRESSES)
    assert len(account["credentials"]) == 2
    assert all(item["claimed_at"] for item in account["credentials"])
    for credential in passport.credentials:
        names = [name for name in archive.namelist() if name.startswith(f"badges/{credential.id}/")]
        assert len(names) == 8


def test_delete_erases_every_table(passport):
    exported = zipfile.ZipFile(io.BytesIO(passport.get("/passi/tili/tiedot.zip").content))
    assert rows_containing(NAME)

    response = passport.post("/passi/tili/poista/", {"confirm": "on"})

    assert response.status_code == 302
    assert rows_containing(NAME) == []
    for address in ADDRESSES:
        assert rows_containing(address) == [], address
    assert Earner.objects.count() == 0
    assert EarnerEmail.objects.count() == 0
    assert EarnerToken.objects.count() == 0
    assert OutboxEmail.objects.count() == 0
    assert "earner_id" not in passport.session
    assert exported.namelist()


def test_exported_files_verify_after_delete(passport):
    archive = zipfile.ZipFile(io.BytesIO(passport.get("/passi/tili/tiedot.zip").content))
    credential = passport.credentials[0]
    document = archive.read(f"badges/{credential.id}/badge-{credential.id}.json")
    jwt = archive.read(f"badges/{credential.id}/badge-{credential.id}.jwt")
    ob2_png = archive.read(f"badges/{credential.id}/badge-{credential.id}-ob2.png")

    passport.post("/passi/tili/poista/", {"confirm": "on"})

    assert Credential.objects.get(pk=credential.pk).document == ""
    assert verify_submission(document).valid
    assert verify_submission(jwt).valid
    assert verify_submission(ob2_png).valid


def test_verify_badge_command_after_delete(passport, tmp_path):
    from django.core.management import call_command

    archive = zipfile.ZipFile(io.BytesIO(passport.get("/passi/tili/tiedot.zip").content))
    credential = passport.credentials[0]
    path = tmp_path / "badge.json"
    path.write_bytes(archive.read(f"badges/{credential.id}/badge-{credential.id}.json"))
    passport.post("/passi/tili/poista/", {"confirm": "on"})
    output = io.StringIO()

    try:
        call_command("verify_badge", str(path), stdout=output)
    except SystemExit as exit_status:
        assert exit_status.code == 0
    assert json.loads(output.getvalue())["valid"] is True


def test_revocation_after_delete_still_seen(passport, staff):
    archive = zipfile.ZipFile(io.BytesIO(passport.get("/passi/tili/tiedot.zip").content))
    credential = passport.credentials[0]
    jwt = archive.read(f"badges/{credential.id}/badge-{credential.id}.jwt")
    ob2_jws = archive.read(f"badges/{credential.id}/badge-{credential.id}-ob2.jws")
    passport.post("/passi/tili/poista/", {"confirm": "on"})

    credential_revoke(credential=Credential.objects.get(pk=credential.pk), note="x", actor=staff["owner"])

    assert not verify_submission(jwt).valid
    assert not verify_submission(ob2_jws).valid


def test_pages_after_delete_show_nothing(passport, client):
    credential = passport.credentials[0]
    passport.post("/passi/tili/poista/", {"confirm": "on"})

    page = client.get(f"/credentials/{credential.id}")
    as_json = client.get(f"/credentials/{credential.id}", HTTP_ACCEPT="application/ld+json")

    assert page.status_code == 410
    assert "Maija" not in page.content.decode()
    assert as_json.status_code == 410
    assert client.get(f"/ob2/assertions/{credential.id}", HTTP_ACCEPT="application/ld+json").status_code == 404


def test_statistics_keep_claim_after_delete(passport, organisation):
    from badges import dashboard

    passport.post("/passi/tili/poista/", {"confirm": "on"})

    statistics = dashboard.issued_statistics(organisation=organisation, months=0, now=timezone.now())
    assert statistics.total.claimed == 2
    assert statistics.total.issued == 2


def test_delete_requires_confirmation(passport):
    response = passport.post("/passi/tili/poista/", {})

    assert response.status_code == 200
    assert Earner.objects.count() == 1


def test_signed_fields_still_guarded(credential):
    credential = Credential.objects.get(pk=credential.pk)
    credential.document = ""

    with pytest.raises(ImmutableCredentialError):
        credential.save()


def test_staff_export_credential(client, credential, staff):
    client.force_login(staff["owner"])

    response = client.post(f"/staff/taitopaja/credentials/{credential.id}/earner-data/",
                           {"action": "export", "scope": "credential"})

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("credentials.json"))
    assert data["credentials"][0]["recipient_name"] == NAME
    event = AuditEvent.objects.get(action="earner_data.export")
    assert event.details["credential_ids"] == [str(credential.id)]
    assert "Maija" not in json.dumps(event.details)


def test_staff_erase_badge_without_account(client, codeless_credential, staff):
    client.force_login(staff["owner"])

    response = client.post(f"/staff/taitopaja/credentials/{codeless_credential.id}/earner-data/",
                           {"action": "erase", "scope": "credential", "confirm": "yes"})

    assert response.status_code == 302
    assert rows_containing("Kalle Koodinen") == []
    assert AuditEvent.objects.filter(action="earner_data.erase", target_id=str(codeless_credential.id)).exists()
    assert client.get(f"/credentials/{codeless_credential.id}").status_code == 410


def test_staff_erase_earner_scope(client, passport, staff, organisation):
    other_org_earner = passport.earner
    client.force_login(staff["owner"])
    first = passport.credentials[0]

    client.post(f"/staff/taitopaja/credentials/{first.id}/earner-data/",
                {"action": "erase", "scope": "earner", "confirm": "yes"})

    assert rows_containing(NAME) == []
    # The account is the earner's own: staff erase the badges, not the passport.
    assert Earner.objects.filter(pk=other_org_earner.pk).exists()


def test_staff_erase_needs_confirmation(client, credential, staff):
    client.force_login(staff["owner"])

    client.post(f"/staff/taitopaja/credentials/{credential.id}/earner-data/", {"action": "erase"})

    assert Credential.objects.get(pk=credential.pk).recipient_name == NAME


@pytest.mark.parametrize("role", ["editor", "instructor"])
def test_staff_data_owner_only(client, credential, staff, role):
    client.force_login(staff[role])

    response = client.post(f"/staff/taitopaja/credentials/{credential.id}/earner-data/",
                           {"action": "erase", "scope": "credential", "confirm": "yes"})

    assert response.status_code == 403
    assert Credential.objects.get(pk=credential.pk).recipient_name == NAME


def test_staff_data_other_organisation(client, credential, other_organisation, make_user):
    outsider = make_user("outsider")
    membership_set(user=outsider, organisation=other_organisation, role="owner")
    client.force_login(outsider)

    response = client.post(f"/staff/taitopaja/credentials/{credential.id}/earner-data/",
                           {"action": "export", "scope": "credential"})

    assert response.status_code == 403


def test_erasure_csrf(credential, staff):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff["owner"])

    response = client.post(f"/staff/taitopaja/credentials/{credential.id}/earner-data/",
                           {"action": "erase", "scope": "credential", "confirm": "yes"})

    assert response.status_code == 403


def test_signed_in_other_browser_after_delete(passport, client):
    sign_in_client(client, passport.earner)
    passport.post("/passi/tili/poista/", {"confirm": "on"})

    response = client.get("/passi/")

    assert response.status_code == 302


@pytest.mark.parametrize("path, data", [
    ("/passi/tili/poista/", {"confirm": "on"}),
    ("/passi/tili/", {"language": "sv"}),
    ("/passi/osoitteet/", {"address": "new@example.fi"}),
])
def test_earner_forms_require_csrf(make_earner, path, data):
    from django.test import Client

    earner = make_earner("maija@example.fi")
    client = sign_in_client(Client(enforce_csrf_checks=True), earner)

    response = client.post(path, data)

    assert response.status_code == 403
    assert Earner.objects.filter(pk=earner.pk, language="fi").exists()
    assert OutboxEmail.objects.count() == 0


def test_privacy_form_requires_csrf(credential, make_earner):
    from django.test import Client

    earner = make_earner("maija.meikalainen@example.fi")
    Claim.objects.create(credential=credential, earner=earner, method="link", claimed_at=timezone.now())
    client = sign_in_client(Client(enforce_csrf_checks=True), earner)

    response = client.post(f"/passi/merkit/{credential.id}/", {"name_display": "hidden"})

    assert response.status_code == 403
    assert Credential.objects.get(pk=credential.pk).name_display == "full"
