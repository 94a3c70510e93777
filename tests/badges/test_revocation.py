import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from badges.models import StatusList
from badges.openbadges import statuslist
from badges.services import credential_issue, credential_revoke
from badges.verification import verify_document
from issuers.models import AuditEvent
from issuers.services import membership_set
from tests.conftest import PASSWORD


def status_bit(credential) -> bool:
    entry = json.loads(credential.document)["credentialStatus"]
    list_url, index, purpose = statuslist.parse_entry(entry)
    status_list = StatusList.objects.get(public_id=list_url.rsplit("/", 1)[-1])
    document = json.loads(status_list.document)
    return statuslist.bit_is_set(statuslist.decode_bitstring(document["credentialSubject"]["encodedList"]), index)


def test_credential_has_status_entry(credential):
    entry = json.loads(credential.document)["credentialStatus"]

    assert entry["type"] == "BitstringStatusListEntry"
    assert entry["statusPurpose"] == "revocation"
    assert entry["statusListCredential"].startswith("http://127.0.0.1:8000/status/")
    assert entry["id"] == f'{entry["statusListCredential"]}#{entry["statusListIndex"]}'
    assert status_bit(credential) is False


def test_status_list_is_signed_and_verifies(client, credential):
    entry = json.loads(credential.document)["credentialStatus"]
    response = client.get(entry["statusListCredential"].replace("http://127.0.0.1:8000", ""))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vc+ld+json")
    assert "no-cache" in response["Cache-Control"]
    document = json.loads(response.content)
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    proof_check = verify_document(document).check("proof")
    assert proof_check.outcome == "passed"


def test_owner_revokes(credential, staff):
    credential_revoke(credential=credential, note="Myönnetty väärälle henkilölle", public_reason="Virhe", actor=staff["owner"])
    credential.refresh_from_db()

    assert credential.revoked_at is not None
    assert credential.revoked_by == staff["owner"]
    assert credential.revocation_reason == "Virhe"
    assert status_bit(credential) is True
    event = AuditEvent.objects.get(action="credential.revoke")
    assert event.target_id == str(credential.id)
    assert "väärälle" not in json.dumps(event.details)


def test_issuing_instructor_revokes(credential, staff):
    credential_revoke(credential=credential, note="virhe", actor=staff["instructor"])
    credential.refresh_from_db()
    assert credential.revoked_at is not None


def test_other_staff_cannot_revoke(credential, staff, organisation, make_user):
    other_instructor = make_user("toinen-ohjaaja")
    membership_set(user=other_instructor, organisation=organisation, role="instructor")

    for actor in (staff["editor"], other_instructor):
        with pytest.raises(PermissionDenied):
            credential_revoke(credential=credential, note="virhe", actor=actor)
    credential.refresh_from_db()
    assert credential.revoked_at is None
    assert status_bit(credential) is False


def test_revoke_twice_rejected(credential):
    credential_revoke(credential=credential, note="virhe")

    with pytest.raises(ValidationError):
        credential_revoke(credential=credential, note="uudelleen")


def test_revoke_requires_note(credential):
    with pytest.raises(ValidationError) as caught:
        credential_revoke(credential=credential, note="  ")
    assert "note" in caught.value.error_dict


def test_signed_document_unchanged_by_revocation(credential):
    before = credential.document
    credential_revoke(credential=credential, note="virhe")
    credential.refresh_from_db()
    assert credential.document == before


def test_revoked_page_says_peruttu(client, credential):
    credential_revoke(credential=credential, note="virhe", public_reason="Annettu vahingossa")

    page = client.get(f"/credentials/{credential.id}").content.decode()

    assert "Peruttu" in page
    assert "Annettu vahingossa" in page
    assert "Maija Meikäläinen" not in page
    assert "Voimassa</p>" not in page


def test_revoke_view_flow(client, credential, staff, organisation):
    assert client.login(username=staff["instructor"].username, password=PASSWORD)
    url = f"/staff/{organisation.slug}/credentials/{credential.id}/revoke/"

    unconfirmed = client.post(url, {"note": "virhe", "public_reason": ""})
    assert "confirm" in unconfirmed.context["form"].errors
    credential.refresh_from_db()
    assert credential.revoked_at is None

    response = client.post(url, {"note": "virhe", "public_reason": "", "confirm": "on"})
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.revoked_at is not None


def test_revoke_view_forbidden_for_editor(client, credential, staff, organisation):
    assert client.login(username=staff["editor"].username, password=PASSWORD)
    response = client.get(f"/staff/{organisation.slug}/credentials/{credential.id}/revoke/")
    assert response.status_code == 403


def test_revoke_command(credential, capsys):
    call_command("revoke_badge", f"http://127.0.0.1:8000/credentials/{credential.id}", "--reason", "virhe")
    credential.refresh_from_db()

    assert credential.revoked_at is not None
    assert AuditEvent.objects.filter(action="credential.revoke", actor=None).exists()


def test_revoke_command_unknown(db):
    with pytest.raises(CommandError, match="not found"):
        call_command("revoke_badge", "00000000-0000-4000-8000-000000000000", "--reason", "x")


def test_indexes_are_distinct_and_not_sequential(badge):
    credentials = [credential_issue(badge=badge, recipient_name=f"Henkilö {number}") for number in range(20)]
    indexes = [int(json.loads(item.document)["credentialStatus"]["statusListIndex"]) for item in credentials]

    assert len(set(indexes)) == 20
    assert indexes != sorted(indexes)


def test_expired_page_says_vanhentunut(client, expiring_badge):
    import datetime

    from django.utils import timezone

    long_ago = timezone.now() - datetime.timedelta(days=800)
    old = credential_issue(
        badge=expiring_badge, recipient_name="Matti", issued_on=timezone.localdate(long_ago), now=long_ago
    )

    page = client.get(f"/credentials/{old.id}").content.decode()

    assert "Vanhentunut" in page
    assert old.valid_until.astimezone(timezone.get_default_timezone()).strftime("%d.%m.%Y") in page


def test_renewal_links_new_to_old(client, expiring_badge, staff, organisation):
    import datetime

    from django.utils import timezone

    long_ago = timezone.now() - datetime.timedelta(days=800)
    old = credential_issue(
        badge=expiring_badge, recipient_name="Matti", recipient_email="matti@example.fi",
        issued_on=timezone.localdate(long_ago), now=long_ago,
    )
    assert client.login(username=staff["instructor"].username, password=PASSWORD)

    response = client.post(f"/staff/{organisation.slug}/credentials/{old.id}/renew/")

    renewed = old.renewals.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/credentials/{renewed.id}/")
    assert renewed.recipient_email == "matti@example.fi"
    assert renewed.valid_until > timezone.now()
    assert verify_document(json.loads(renewed.document)).valid
    assert not verify_document(json.loads(old.document)).valid


def test_verifier_says_peruttu_with_date(client, credential):
    from django.utils import timezone

    credential_revoke(credential=credential, note="virhe", public_reason="Annettu vahingossa")
    credential.refresh_from_db()
    date = timezone.localtime(credential.revoked_at).strftime("%d.%m.%Y")

    page = client.post("/verify", {"credential": credential.document}).content.decode()

    assert "Peruttu" in page
    assert date in page
    assert "Annettu vahingossa" in page


def test_verify_command_reports_revocation_date(credential, tmp_path):
    from io import StringIO

    from django.utils import timezone

    credential_revoke(credential=credential, note="virhe")
    credential.refresh_from_db()
    path = tmp_path / "c.json"
    path.write_text(credential.document, encoding="utf-8")
    output = StringIO()

    with pytest.raises(SystemExit):
        call_command("verify_badge", str(path), stdout=output)

    result = json.loads(output.getvalue())
    status = next(check for check in result["checks"] if check["code"] == "status")
    assert status["reason"] == "status_revoked"
    assert status["params"]["revoked_on"] == timezone.localtime(credential.revoked_at).strftime("%d.%m.%Y")
