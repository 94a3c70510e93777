"""The audit trail: every action writes a row without secrets; owners read, filter and export it."""
import csv
import datetime
import io

import pytest
from django.utils import timezone

from badges import dashboard
from badges.models import BadgeStatus
from badges.services import badge_update, credential_issue, credential_revoke
from issuers.invitations import invitation_accept, invitation_accept_new_account, invitation_cancel, invitation_create, invitation_resend
from issuers.members import membership_change_role, membership_remove
from issuers.models import AuditEvent, Membership, Role, SigningKey
from issuers.services import audit_record, organisation_update, signing_key_revoke, signing_keys_rotate
from tests.conftest import make_content
from tests.issuers.staff_helpers import NEW_PASSWORD, assert_audit_free_of_secrets, login, token_from_outbox

RECIPIENT_NAME = "Salla Salainen"
RECIPIENT_EMAIL = "salla.salainen@example.fi"
REVOCATION_NOTE = "Sisäinen muistiinpano: väärä henkilö"
KEY_REASON = "Varmuuskopio katosi junassa"

EXPECTED_ACTIONS = {
    "organisation.create", "organisation.update", "signing_key.create", "signing_key.rotate", "signing_key.revoke",
    "badge.create", "badge.update", "credential.issue", "credential.revoke", "credential.export",
    "membership.create", "membership.update", "membership.delete",
    "invitation.create", "invitation.resend", "invitation.cancel", "invitation.accept", "audit.export",
}


def run_every_action(client, organisation, staff, badge, badge_image, make_user):
    owner = staff["owner"]
    organisation_update(organisation=organisation, actor=owner, email="uusi.osoite@taitopaja.example.fi")
    badge_update(badge=badge, content=make_content(badge_image, name="Tiedonhaku 2"), status=BadgeStatus.PUBLISHED,
                 actor=owner)
    credential = credential_issue(badge=badge, recipient_name=RECIPIENT_NAME, recipient_email=RECIPIENT_EMAIL,
                                  issued_on=None, actor=staff["instructor"])
    credential_revoke(credential=credential, note=REVOCATION_NOTE, public_reason="Myönnetty virheellisesti",
                      actor=owner)
    list(dashboard.credentials_export(organisation=organisation, actor=owner, delimiter="semicolon"))
    signing_keys_rotate(organisation=organisation, actor=owner)
    key = SigningKey.objects.filter(organisation=organisation, revoked_at__isnull=True).first()
    signing_key_revoke(key=key, reason=KEY_REASON, actor=owner)

    first = invitation_create(organisation=organisation, email="eka.kutsuttu@example.fi", role=Role.EDITOR,
                              actor=owner, language="fi")
    invitation_resend(invitation=first, actor=owner, language="sv")
    invitation_accept_new_account(token=token_from_outbox(first), username="eka", password=NEW_PASSWORD)
    second = invitation_create(organisation=organisation, email="toka.kutsuttu@example.fi", role=Role.INSTRUCTOR,
                               actor=owner, language="fi")
    invitation_accept(token=token_from_outbox(second), user=make_user("toka"))
    third = invitation_create(organisation=organisation, email="kolmas@example.fi", role=Role.OWNER, actor=owner,
                              language="en")
    invitation_cancel(invitation=third, actor=owner)

    membership_change_role(membership=Membership.objects.get(user__username="eka"), role=Role.INSTRUCTOR, actor=owner)
    membership_remove(membership=Membership.objects.get(user__username="toka"), actor=owner)

    login(client, owner)
    response = client.post(f"/staff/{organisation.slug}/audit/export.csv", {})
    assert response.status_code == 200
    b"".join(response.streaming_content)


def test_every_action_audited_without_secrets(client, organisation, staff, badge, badge_image, make_user):
    run_every_action(client, organisation, staff, badge, badge_image, make_user)

    recorded = set(AuditEvent.objects.filter(organisation=organisation).values_list("action", flat=True))
    assert EXPECTED_ACTIONS <= recorded, f"missing: {sorted(EXPECTED_ACTIONS - recorded)}"
    scanned = assert_audit_free_of_secrets(
        extra=[RECIPIENT_NAME, RECIPIENT_EMAIL, REVOCATION_NOTE, KEY_REASON, "uusi.osoite@taitopaja.example.fi"]
    )
    assert scanned >= len(EXPECTED_ACTIONS)


def test_actors_recorded(organisation, staff, make_user):
    invitation = invitation_create(organisation=organisation, email="x@example.fi", role=Role.EDITOR,
                                   actor=staff["owner"], language="fi")
    user = make_user("hyvaksyja")
    invitation_accept(token=token_from_outbox(invitation), user=user)
    assert AuditEvent.objects.get(action="invitation.create").actor == staff["owner"]
    accept = AuditEvent.objects.get(action="invitation.accept")
    assert accept.actor == user
    assert accept.details["role"] == "editor"
    assert accept.target_id == str(invitation.pk)


def test_scanner_finds_leak(organisation):
    audit_record(action="test.leak", organisation=organisation, details={"note": "vuoto@example.fi"})
    with pytest.raises(AssertionError, match="vuoto@example.fi"):
        assert_audit_free_of_secrets(extra=["vuoto@example.fi"])
    AuditEvent.objects.filter(action="test.leak").delete()


# The page


def test_page_shows_translated_labels_and_links(client, organisation, staff, credential):
    login(client, staff["owner"])
    page = client.get(f"/staff/{organisation.slug}/audit/").content.decode()
    assert "Merkki myönnetty" in page
    assert f'href="/staff/{organisation.slug}/credentials/{credential.id}/"' in page
    assert "instructor-user" in page
    assert "Maija" not in page


@pytest.mark.parametrize("role", ["editor", "instructor"])
def test_page_owner_only(client, organisation, staff, role):
    login(client, staff[role])
    assert client.get(f"/staff/{organisation.slug}/audit/").status_code == 403
    assert client.post(f"/staff/{organisation.slug}/audit/export.csv").status_code == 403


def test_filter_by_action_and_person(client, organisation, staff, credential):
    login(client, staff["owner"])
    url = f"/staff/{organisation.slug}/audit/"
    issued = client.get(url, {"action": "credential.issue"}).context["page"]
    assert [event.action for event in issued] == ["credential.issue"]

    by_instructor = client.get(url, {"person": staff["instructor"].pk}).context["page"]
    assert {event.actor_id for event in by_instructor} == {staff["instructor"].pk}


def test_filter_by_date_range(client, organisation, staff):
    old = audit_record(action="badge.update", organisation=organisation, actor=staff["owner"])
    AuditEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    login(client, staff["owner"])
    url = f"/staff/{organisation.slug}/audit/"
    day = timezone.localdate() - datetime.timedelta(days=40)

    only_old = client.get(url, {"date_from": day.isoformat(), "date_to": day.isoformat()}).context["page"]
    assert [event.pk for event in only_old] == [old.pk]
    recent = client.get(url, {"date_from": timezone.localdate().isoformat()}).context["page"]
    assert old.pk not in [event.pk for event in recent]


def test_invalid_filters_shown_not_crashing(client, organisation, staff):
    login(client, staff["owner"])
    response = client.get(
        f"/staff/{organisation.slug}/audit/",
        {"date_from": "2026-13-45", "date_to": "eilen", "person": "abc", "action": "<script>", "page": "x"},
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert response.context["page"].paginator.count == AuditEvent.objects.filter(organisation=organisation).count()


def test_reversed_dates_rejected(client, organisation, staff):
    login(client, staff["owner"])
    response = client.get(f"/staff/{organisation.slug}/audit/", {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert "Loppupäivä on ennen alkupäivää" in response.content.decode()


def test_pagination(client, organisation, staff):
    AuditEvent.objects.bulk_create(
        [AuditEvent(organisation=organisation, actor=staff["owner"], action="badge.update") for _ in range(60)]
    )
    login(client, staff["owner"])
    url = f"/staff/{organisation.slug}/audit/"
    first = client.get(url, {"action": "badge.update"})
    second = client.get(url, {"action": "badge.update", "page": 2})
    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 10
    assert "action=badge.update&amp;page=2" in first.content.decode()


def test_other_organisation_events_hidden(client, organisation, other_organisation, staff):
    audit_record(action="badge.create", organisation=other_organisation, details={"marker": "toinen-tapahtuma"})
    login(client, staff["owner"])
    page = client.get(f"/staff/{organisation.slug}/audit/").content.decode()
    assert "toinen-tapahtuma" not in page


# The CSV export


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_export_filtered_and_audited(client, organisation, staff, credential):
    login(client, staff["owner"])
    response = client.post(f"/staff/{organisation.slug}/audit/export.csv", {"action": "credential.issue"})
    rows = read_csv(response)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0][:3] == ["Aika", "Tapahtuma", "Tapahtuman koodi"]
    assert [row[2] for row in rows[1:]] == ["credential.issue"]
    assert rows[1][1] == "Merkki myönnetty"
    assert rows[1][3] == "instructor-user"
    export = AuditEvent.objects.get(action="audit.export")
    assert export.actor == staff["owner"]
    assert export.details == {"rows": 1}


def test_export_guards_formulas(client, organisation, staff, make_user):
    # Django usernames may start with "+", "-" or "@", which spreadsheets run as formulas.
    sneaky = make_user("-2+3")
    audit_record(action="=HYPERLINK(1)", organisation=organisation, actor=sneaky)
    login(client, staff["owner"])
    rows = read_csv(client.post(f"/staff/{organisation.slug}/audit/export.csv", {}))
    row = next(row for row in rows if row[2].endswith("HYPERLINK(1)"))
    assert row[1] == "'=HYPERLINK(1)"
    assert row[2] == "'=HYPERLINK(1)"
    assert row[3] == "'-2+3"


def test_export_get_not_allowed(client, organisation, staff):
    login(client, staff["owner"])
    assert client.get(f"/staff/{organisation.slug}/audit/export.csv").status_code == 405
    assert not AuditEvent.objects.filter(action="audit.export").exists()


def test_page_names_staff_member_of_role_change(client, organisation, staff):
    membership = Membership.objects.get(user=staff["instructor"], organisation=organisation)
    membership_change_role(membership=membership, role=Role.EDITOR, actor=staff["owner"])
    login(client, staff["owner"])
    page = client.get(f"/staff/{organisation.slug}/audit/", {"action": "membership.update"}).content.decode()
    assert "Rooli vaihdettu" in page
    assert "henkilökunnan jäsen: instructor-user" in page
    assert "aiempi rooli: Ohjaaja" in page


def test_every_recorded_action_has_a_label():
    """An action without a label would show its code on the owners' audit page."""
    import re
    from pathlib import Path

    from issuers.audit import ACTION_LABELS

    root = Path(__file__).resolve().parents[2]
    recorded = set()
    for app in ("issuers", "badges", "earners", "jobs", "notifications"):
        for path in (root / app).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for call in re.finditer(r"audit_record\(\s*action=\"([a-z_.]+)\"", text):
                recorded.add(call.group(1))

    assert len(recorded) > 20
    assert sorted(recorded - set(ACTION_LABELS)) == []
