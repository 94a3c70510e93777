import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from badges.services import credential_issue
from badges.verification import verify_document
from issuers.models import AuditEvent, SigningKey
from issuers.services import signing_key_revoke, signing_keys_rotate
from tests.conftest import PASSWORD


def verify(credential):
    return verify_document(json.loads(credential.document))


def test_rotation_keeps_old_credentials_valid(credential, organisation, staff, badge):
    signing_keys_rotate(organisation=organisation, actor=staff["owner"])

    later = credential_issue(badge=badge, recipient_name="Uusi")

    assert json.loads(later.document)["proof"][0]["verificationMethod"].endswith("#key-2")
    assert later.jws_signing_key.key_id == "rsa-2"
    assert verify(credential).valid
    assert verify(later).valid


def test_retired_keys_stay_published(client, credential, organisation):
    signing_keys_rotate(organisation=organisation)

    document = client.get(f"/issuers/{organisation.slug}/did.json").json()

    assert [method["id"].rsplit("#", 1)[1] for method in document["verificationMethod"]] == ["key-1", "key-2"]


def test_retired_key_never_signs(organisation, badge):
    signing_keys_rotate(organisation=organisation)
    signing_keys_rotate(organisation=organisation)

    credential = credential_issue(badge=badge, recipient_name="Uusi")

    assert credential.signing_key.key_id == "key-3"
    assert SigningKey.objects.filter(organisation=organisation, retired_at__isnull=True).count() == 2


def test_revoked_key_fails_its_credentials(credential, organisation, badge):
    key = credential.signing_key
    signing_key_revoke(key=key, reason="palvelin murrettiin")

    result = verify(credential)

    assert not result.valid
    assert result.check("issuer_key").reason == "key_revoked"
    replacement = credential_issue(badge=badge, recipient_name="Uusi")
    assert replacement.signing_key.key_id == "key-2"
    assert verify(replacement).valid


def test_revoked_key_leaves_did_document(client, credential, organisation):
    signing_key_revoke(key=credential.signing_key, reason="vuoto")

    document = client.get(f"/issuers/{organisation.slug}/did.json").json()

    assert all(not method["id"].endswith("#key-1") for method in document["verificationMethod"])


def test_revoke_needs_reason(credential):
    with pytest.raises(ValidationError):
        signing_key_revoke(key=credential.signing_key, reason=" ")


def test_only_owner_rotates(organisation, staff):
    for role in ("editor", "instructor"):
        with pytest.raises(PermissionDenied):
            signing_keys_rotate(organisation=organisation, actor=staff[role])
    assert SigningKey.objects.filter(organisation=organisation).count() == 2


def test_rotation_is_audited(organisation, staff):
    signing_keys_rotate(organisation=organisation, actor=staff["owner"])

    event = AuditEvent.objects.get(action="signing_key.rotate")

    assert event.actor == staff["owner"]
    assert sorted(event.details["retired"]) == ["key-1", "rsa-1"]
    assert "encrypted" not in json.dumps(event.details)


def test_keys_page_owner_only(client, organisation, staff):
    assert client.login(username=staff["editor"].username, password=PASSWORD)
    assert client.get(f"/staff/{organisation.slug}/keys/").status_code == 403

    assert client.login(username=staff["owner"].username, password=PASSWORD)
    assert client.get(f"/staff/{organisation.slug}/keys/").status_code == 200


def test_keys_page_rotates(client, organisation, staff):
    assert client.login(username=staff["owner"].username, password=PASSWORD)

    response = client.post(f"/staff/{organisation.slug}/keys/", {"confirm": "on"})

    assert response.status_code == 302
    assert SigningKey.objects.filter(organisation=organisation).count() == 4


def test_key_revoke_page(client, credential, organisation, staff):
    assert client.login(username=staff["owner"].username, password=PASSWORD)

    response = client.post(f"/staff/{organisation.slug}/keys/key-1/revoke/", {"reason": "vuoto", "confirm": "on"})

    assert response.status_code == 302
    assert SigningKey.objects.get(organisation=organisation, key_id="key-1").revoked_at is not None


def test_rotate_command(organisation, capsys):
    call_command("rotate_keys", organisation.slug)

    assert "new keys key-2, rsa-2" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="signing_key.rotate", actor=None).exists()


def test_rotate_command_revoke_old(credential, organisation):
    call_command("rotate_keys", organisation.slug, "--revoke-old", "--reason", "vuoto")

    assert SigningKey.objects.get(organisation=organisation, key_id="key-1").revoked_at is not None
    assert not verify(credential).valid


def test_rotate_command_errors(db, organisation):
    with pytest.raises(CommandError, match="not found"):
        call_command("rotate_keys", "nobody")
    with pytest.raises(CommandError, match="--reason"):
        call_command("rotate_keys", organisation.slug, "--revoke-old")


def test_owner_edits_profile(client, organisation, staff):
    import io

    from PIL import Image

    logo = io.BytesIO()
    Image.new("RGBA", (40, 40), (0, 80, 0, 255)).save(logo, format="PNG")
    logo.seek(0)
    logo.name = "logo.png"
    assert client.login(username=staff["owner"].username, password=PASSWORD)

    response = client.post(
        f"/staff/{organisation.slug}/settings/",
        {"name": "Uusi nimi ry", "url": "https://uusi.example.fi", "email": "info@uusi.example.fi", "description": "", "logo": logo},
    )

    organisation.refresh_from_db()
    assert response.status_code == 302
    assert organisation.name == "Uusi nimi ry"
    assert organisation.logo.content_type == "image/png"
    assert AuditEvent.objects.filter(action="organisation.update").exists()


def test_profile_form_rejects_bad_input(client, organisation, staff):
    assert client.login(username=staff["owner"].username, password=PASSWORD)

    response = client.post(
        f"/staff/{organisation.slug}/settings/", {"name": "", "url": "ei osoite", "email": "x@", "description": ""}
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "url", "email"}


def test_profile_page_owner_only(client, organisation, staff):
    assert client.login(username=staff["editor"].username, password=PASSWORD)
    assert client.get(f"/staff/{organisation.slug}/settings/").status_code == 403
