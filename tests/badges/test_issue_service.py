import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from badges.models import Credential
from badges.openbadges.recipient import hash_identity
from badges.services import credential_issue
from badges.verification import verify_document
from issuers.did import did_for_slug
from issuers.models import AuditEvent, Membership, Role


def test_issued_credential_verifies(credential):
    document = json.loads(credential.document)

    result = verify_document(document)

    assert result.valid, result.to_dict()
    assert [check.outcome for check in result.checks][:4] == ["passed"] * 4


def test_credential_content(credential, organisation, badge):
    document = json.loads(credential.document)
    subject = document["credentialSubject"]
    achievement = subject["achievement"]

    assert document["@context"][:2] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["id"] == f"http://127.0.0.1:8000/credentials/{credential.id}"
    assert document["issuer"]["id"] == did_for_slug(organisation.slug)
    assert document["issuer"]["type"] == ["Profile"]
    assert document["issuer"]["name"] == "Taitopaja ry"
    assert achievement["name"] == "Digitaalinen tiedonhaku"
    assert "osaa hakea tietoa digitaalisista ympäristöistä" in achievement["criteria"]["narrative"]
    assert "nimeää erilaisia hakulähteitä" in achievement["criteria"]["narrative"]
    assert achievement["alignment"][0]["targetCode"] == "osaamismerkit_1022"
    assert achievement["alignment"][1]["targetName"] == "DigComp 1.1"
    assert achievement["image"]["type"] == "Image"
    assert document["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert document["proof"][0]["verificationMethod"] == f"{did_for_slug(organisation.slug)}#key-1"
    assert "validUntil" not in document


def test_recipient_identity_objects(credential):
    identifiers = json.loads(credential.document)["credentialSubject"]["identifier"]
    email_identity, name_identity = identifiers

    assert email_identity["identityType"] == "emailAddress"
    assert email_identity["hashed"] is True
    # The address was typed with capitals: the hash is of the lower-cased form.
    assert email_identity["identityHash"] == hash_identity("maija.meikalainen@example.fi", email_identity["salt"])
    assert name_identity == {
        "type": "IdentityObject",
        "identityHash": "Maija Meikäläinen",
        "identityType": "name",
        "hashed": False,
    }
    assert "maija.meikalainen@example.fi" not in credential.document.lower()


def test_issue_without_email(badge):
    credential = credential_issue(badge=badge, recipient_name="Matti")
    identifiers = json.loads(credential.document)["credentialSubject"]["identifier"]

    assert [item["identityType"] for item in identifiers] == ["name"]
    assert credential.recipient_email == ""
    assert verify_document(json.loads(credential.document)).valid


def test_validity_period_sets_valid_until(expiring_badge):
    now = timezone.make_aware(datetime.datetime(2026, 1, 31, 12, 0))
    credential = credential_issue(badge=expiring_badge, recipient_name="Matti", issued_on=datetime.date(2026, 1, 31), now=now)
    document = json.loads(credential.document)

    assert document["validFrom"] == "2026-01-31T10:00:00Z"
    assert document["validUntil"] == "2027-01-31T10:00:00Z"


def test_past_issue_date_starts_that_day(badge):
    now = timezone.make_aware(datetime.datetime(2026, 6, 15, 12, 0))
    credential = credential_issue(badge=badge, recipient_name="Matti", issued_on=datetime.date(2026, 6, 1), now=now)

    # Midnight in Helsinki (UTC+3 in summer).
    assert json.loads(credential.document)["validFrom"] == "2026-05-31T21:00:00Z"


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"recipient_name": ""}, "recipient_name"),
        ({"recipient_name": "   "}, "recipient_name"),
        ({"recipient_name": "x" * 201}, "recipient_name"),
        ({"recipient_email": "not-an-email"}, "recipient_email"),
        ({"issued_on": datetime.date(2999, 1, 1)}, "issued_on"),
        ({"issued_on": datetime.date(1850, 1, 1)}, "issued_on"),
        ({"evidence_url": "javascript:alert(1)"}, "evidence_url"),
        ({"evidence_narrative": "x" * 5001}, "evidence_narrative"),
    ],
)
def test_bad_input_saves_nothing(badge, fields, field):
    arguments = {"badge": badge, "recipient_name": "Matti"} | fields

    with pytest.raises(ValidationError) as caught:
        credential_issue(**arguments)

    assert field in caught.value.error_dict
    assert Credential.objects.count() == 0
    assert not AuditEvent.objects.filter(action="credential.issue").exists()


def test_draft_badge_cannot_be_issued(draft_badge):
    with pytest.raises(ValidationError) as caught:
        credential_issue(badge=draft_badge, recipient_name="Matti")

    assert "badge" in caught.value.error_dict
    assert Credential.objects.count() == 0


def test_instructor_of_other_organisation_rejected(badge, other_organisation, make_user):
    outsider = make_user("outsider")
    Membership.objects.create(user=outsider, organisation=other_organisation, role=Role.OWNER)

    with pytest.raises(PermissionDenied):
        credential_issue(badge=badge, recipient_name="Matti", actor=outsider)

    assert Credential.objects.count() == 0


def test_issue_writes_audit_without_personal_data(credential):
    event = AuditEvent.objects.get(action="credential.issue")

    assert event.target_id == str(credential.id)
    assert "Maija" not in json.dumps(event.details)
    assert "example.fi" not in json.dumps(event.details)


def test_credential_document_is_immutable(credential):
    credential.document = credential.document.replace("Maija", "Mikko")

    with pytest.raises(Exception) as caught:
        credential.save()

    assert "cannot be changed" in str(caught.value)


def test_credential_ids_are_random(badge):
    first = credential_issue(badge=badge, recipient_name="A")
    second = credential_issue(badge=badge, recipient_name="B")

    assert first.id.version == 4
    assert first.id != second.id
