"""Statistics of issued badges per organisation and the CSV export."""
import csv
import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import include, path
from django.utils import timezone

from badges import dashboard
from badges.models import Credential
from badges.services import credential_issue, credential_revoke
from issuers.models import AuditEvent, Role
from issuers.services import membership_set
from tests.conftest import PASSWORD


BOM = "\ufeff"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def issue(badge, issued_on, name="Maija Meikäläinen", email="maija@example.fi", **kwargs):
    return credential_issue(badge=badge, recipient_name=name, recipient_email=email, issued_on=issued_on, **kwargs)


def months_ago(months: int, day: int = 10) -> datetime.date:
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, day)


def export_text(client, organisation, **data) -> str:
    response = client.post(f"/staff/{organisation.slug}/statistics/export.csv?lang=en", data)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def issued(badge, expiring_badge, staff):
    """Seven rows: this month 3 of ``badge`` (1 revoked); 2 months ago 1 of each;
    ``expiring_badge`` (12 months) 13 months ago (expired) and 14 months ago (expired, then revoked).
    """
    this_month = timezone.localdate().replace(day=1)
    rows = {
        "now_1": issue(badge, this_month),
        "now_2": issue(badge, this_month),
        "now_revoked": issue(badge, this_month),
        "earlier": issue(badge, months_ago(2)),
        "earlier_expiring": issue(expiring_badge, months_ago(2)),
        "expired": issue(expiring_badge, months_ago(13)),
        "expired_revoked": issue(expiring_badge, months_ago(14)),
    }
    credential_revoke(credential=rows["now_revoked"], note="Väärä henkilö", actor=staff["owner"])
    credential_revoke(credential=rows["expired_revoked"], note="Virhe", actor=staff["owner"])
    return rows


def counts_tuple(counts) -> tuple:
    return counts.issued, counts.revoked, counts.expired, counts.valid


def test_counts_by_month_and_badge(organisation, badge, expiring_badge, issued):
    statistics = dashboard.issued_statistics(organisation=organisation, months=0, now=timezone.now())

    table = {
        (month.month, counts.badge_id): counts_tuple(counts)
        for month in statistics.months for counts in month.rows
    }
    this_month = timezone.localdate().replace(day=1)
    assert table == {
        (this_month, badge.pk): (3, 1, 0, 2),
        (months_ago(2, day=1), badge.pk): (1, 0, 0, 1),
        (months_ago(2, day=1), expiring_badge.pk): (1, 0, 0, 1),
        (months_ago(13, day=1), expiring_badge.pk): (1, 0, 1, 0),
        (months_ago(14, day=1), expiring_badge.pk): (1, 1, 0, 0),
    }


def test_months_newest_first(organisation, issued):
    statistics = dashboard.issued_statistics(organisation=organisation, months=0, now=timezone.now())

    months = [month.month for month in statistics.months]
    assert months == sorted(months, reverse=True)


def test_totals_by_badge(organisation, badge, expiring_badge, issued):
    statistics = dashboard.issued_statistics(organisation=organisation, months=0, now=timezone.now())

    totals = {counts.badge_id: counts_tuple(counts) for counts in statistics.badges}
    assert totals == {badge.pk: (4, 1, 0, 3), expiring_badge.pk: (3, 1, 1, 1)}
    assert counts_tuple(statistics.total) == (7, 2, 1, 4)


def test_badge_names_are_latest(organisation, badge, issued):
    statistics = dashboard.issued_statistics(organisation=organisation, months=0, now=timezone.now())

    assert {counts.badge_name for counts in statistics.badges} == {"Digitaalinen tiedonhaku", "Vanheneva merkki"}


def test_period_limits_months(organisation, issued):
    statistics = dashboard.issued_statistics(organisation=organisation, months=12, now=timezone.now())

    assert counts_tuple(statistics.total) == (5, 1, 0, 4)
    assert statistics.since == months_ago(11, day=1)


def test_expiry_depends_on_now(organisation, issued):
    before_expiry = timezone.now() - datetime.timedelta(days=800)

    statistics = dashboard.issued_statistics(organisation=organisation, months=0, now=before_expiry)

    assert statistics.total.expired == 0


def test_other_organisation_not_counted(other_organisation, issued):
    statistics = dashboard.issued_statistics(organisation=other_organisation, months=0, now=timezone.now())

    assert statistics.months == []
    assert statistics.total.issued == 0


def test_claimed_counted(organisation, issued):
    from earners.models import Claim, Earner

    earner = Earner.objects.create()
    first = Credential.objects.filter(organisation=organisation).order_by("created_at").first()
    Claim.objects.create(credential=first, earner=earner, method="code", claimed_at=timezone.now())

    statistics = dashboard.issued_statistics(organisation=organisation, months=0, now=timezone.now())

    assert statistics.total.claimed == 1
    assert statistics.total.claimed_percent == 100 // statistics.total.issued
    assert sum(badge.claimed for badge in statistics.badges) == 1


@pytest.mark.parametrize(
    ("months", "today", "expected"),
    [
        (12, datetime.date(2026, 12, 4), datetime.date(2026, 1, 1)),
        (12, datetime.date(2026, 1, 31), datetime.date(2025, 2, 1)),
        (24, datetime.date(2026, 3, 1), datetime.date(2024, 4, 1)),
        (1, datetime.date(2026, 3, 15), datetime.date(2026, 3, 1)),
        (0, datetime.date(2026, 3, 15), None),
    ],
)
def test_period_start(months, today, expected):
    assert dashboard.period_start(months=months, today=today) == expected


@pytest.mark.parametrize("role", ["owner", "editor", "instructor"])
def test_every_role_sees_statistics(client, staff, organisation, issued, role):
    login(client, staff[role])

    response = client.get(f"/staff/{organisation.slug}/statistics/?lang=en&months=0")

    page = response.content.decode()
    assert response.status_code == 200
    assert '<th scope="row">Digitaalinen tiedonhaku</th>' in page
    assert "Claimed means that the earner has saved the badge" in page


def test_statistics_page_totals_row(client, staff, organisation, issued):
    login(client, staff["instructor"])

    page = client.get(f"/staff/{organisation.slug}/statistics/?lang=en&months=0").content.decode()

    assert "<th scope=\"row\">All badges</th>\n  <td>7</td>" in page


def test_statistics_period_parameter_checked(client, staff, organisation, issued):
    login(client, staff["owner"])

    page = client.get(f"/staff/{organisation.slug}/statistics/?lang=en&months=abc").content.decode()

    assert '<option value="12" selected>' in page


def test_statistics_of_other_organisation_is_403(client, staff, other_organisation):
    login(client, staff["owner"])

    assert client.get(f"/staff/{other_organisation.slug}/statistics/").status_code == 403


def test_statistics_requires_login(client, organisation):
    response = client.get(f"/staff/{organisation.slug}/statistics/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_export_form_only_for_owner(client, staff, organisation):
    login(client, staff["editor"])

    page = client.get(f"/staff/{organisation.slug}/statistics/?lang=en").content.decode()

    assert "export.csv" not in page
    assert "Only owners can export" in page


def test_owner_exports_csv(client, staff, organisation, issued):
    login(client, staff["owner"])

    response = client.post(f"/staff/{organisation.slug}/statistics/export.csv")

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="{organisation.slug}-badges-')


@pytest.mark.parametrize("role", ["editor", "instructor"])
def test_export_forbidden_for_role(client, staff, organisation, issued, role):
    login(client, staff[role])

    response = client.post(f"/staff/{organisation.slug}/statistics/export.csv")

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="credential.export").exists()


def test_export_of_other_organisation_is_403(client, staff, other_organisation):
    login(client, staff["owner"])

    assert client.post(f"/staff/{other_organisation.slug}/statistics/export.csv").status_code == 403


def test_export_requires_post(client, staff, organisation):
    login(client, staff["owner"])

    assert client.get(f"/staff/{organisation.slug}/statistics/export.csv").status_code == 405


def test_export_starts_with_bom(client, staff, organisation, credential):
    login(client, staff["owner"])

    response = client.post(f"/staff/{organisation.slug}/statistics/export.csv")

    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")


def test_export_default_separator_is_semicolon(client, staff, organisation, credential):
    login(client, staff["owner"])

    text = export_text(client, organisation)

    assert text.splitlines()[0] == (
        f"{BOM}Issued date;Badge;Version;Recipient name;Recipient email;Evidence URL;"
        "Valid until;Revoked at;Verification URL"
    )


def test_export_comma_separator(client, staff, organisation, credential):
    login(client, staff["owner"])

    text = export_text(client, organisation, delimiter="comma")

    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=","))
    assert len(rows) == 2
    assert len(rows[0]) == 9


def test_export_unknown_separator_uses_default(client, staff, organisation, credential):
    login(client, staff["owner"])

    text = export_text(client, organisation, delimiter="tab")

    assert text.splitlines()[0].count(";") == 8


def test_export_row_content(client, staff, organisation, credential):
    login(client, staff["owner"])

    text = export_text(client, organisation)

    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))
    assert rows[1] == [
        credential.issued_on.isoformat(),
        "Digitaalinen tiedonhaku",
        "1",
        "Maija Meikäläinen",
        "maija.meikalainen@example.fi",
        "https://example.org/evidence/1",
        "",
        "",
        f"http://127.0.0.1:8000/credentials/{credential.id}",
    ]


def test_export_revoked_and_valid_until(staff, organisation, issued):
    lines = dashboard.credentials_export(organisation=organisation, actor=staff["owner"])

    rows = list(csv.reader(io.StringIO("".join(lines).removeprefix(BOM)), delimiter=";"))
    by_id = {row[8].rsplit("/", 1)[-1]: row for row in rows[1:]}
    revoked = issued["now_revoked"]
    revoked.refresh_from_db()
    expired = issued["expired"]
    assert by_id[str(revoked.id)][7] == timezone.localtime(revoked.revoked_at).strftime("%Y-%m-%d %H:%M")
    assert by_id[str(expired.id)][6] == timezone.localtime(expired.valid_until).strftime("%Y-%m-%d %H:%M")
    assert len(rows) == 8


def test_export_only_own_organisation(staff, organisation, other_organisation, badge_image, issued):
    from badges.models import BadgeStatus
    from badges.services import badge_create
    from tests.conftest import make_content

    other_badge = badge_create(
        organisation=other_organisation, slug="muu", content=make_content(badge_image), status=BadgeStatus.PUBLISHED
    )
    issue(other_badge, None, name="Toisen Järjestön Saaja")

    text = "".join(dashboard.credentials_export(organisation=organisation, actor=staff["owner"]))

    assert "Toisen Järjestön Saaja" not in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=HYPERLINK(\"http://evil.example\")", "'=HYPERLINK(\"http://evil.example\")"),
        ("+358 40 123", "'+358 40 123"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("Maija = Meikäläinen", "Maija = Meikäläinen"),
        ("", ""),
    ],
)
def test_spreadsheet_safe(value, expected):
    assert dashboard.spreadsheet_safe(value) == expected


def test_export_neutralises_formulas(client, staff, organisation, badge):
    issue(badge, None, name="=cmd|' /C calc'!A0", email="")
    issue(badge, None, name="@SUM(1+1)", email="", evidence_url="https://example.org/=x")
    login(client, staff["owner"])

    text = export_text(client, organisation)

    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))
    names = sorted(row[3] for row in rows[1:])
    assert names == ["'=cmd|' /C calc'!A0", "'@SUM(1+1)"]


def test_export_neutralises_badge_name(client, staff, organisation, badge_image):
    from badges.models import BadgeStatus
    from badges.services import badge_create
    from tests.conftest import make_content

    formula_badge = badge_create(
        organisation=organisation, slug="kaava", content=make_content(badge_image, name="-2+3"),
        status=BadgeStatus.PUBLISHED,
    )
    issue(formula_badge, None)
    login(client, staff["owner"])

    rows = list(csv.reader(io.StringIO(export_text(client, organisation).removeprefix(BOM)), delimiter=";"))

    assert rows[1][1] == "'-2+3"


def test_export_audited_without_personal_data(client, staff, organisation, credential):
    login(client, staff["owner"])

    export_text(client, organisation, delimiter="comma")

    event = AuditEvent.objects.get(action="credential.export")
    assert event.actor == staff["owner"]
    assert event.organisation == organisation
    assert event.details == {"rows": 1, "delimiter": "comma"}
    assert "Maija" not in json.dumps(event.details)


def test_export_service_rejects_editor(staff, organisation):
    with pytest.raises(PermissionDenied):
        dashboard.credentials_export(organisation=organisation, actor=staff["editor"])


def test_export_service_rejects_unknown_delimiter(staff, organisation):
    with pytest.raises(ValueError, match="Unknown CSV delimiter 'tab'"):
        dashboard.credentials_export(organisation=organisation, actor=staff["owner"], delimiter="tab")


def test_owner_of_two_organisations_exports_each(client, staff, organisation, other_organisation, credential):
    membership_set(user=staff["owner"], organisation=other_organisation, role=Role.OWNER)
    login(client, staff["owner"])

    text = export_text(client, other_organisation)

    assert len(text.splitlines()) == 1


def test_export_streams_many_rows(staff, organisation, credential):
    from badges.models import Credential

    # Copies of one signed row: the export reads only plain columns, so
    # the signatures need not match the copies.
    source = Credential.objects.get(pk=credential.pk)
    copies = []
    for number in range(2500):
        copy = Credential(
            **{field.attname: getattr(source, field.attname) for field in Credential._meta.concrete_fields
               if field.attname not in ("id", "revocation_entry_id", "created_at")}
        )
        copy.recipient_name = f"Saaja {number}"
        copies.append(copy)
    Credential.objects.bulk_create(copies)

    lines = dashboard.credentials_export(organisation=organisation, actor=staff["owner"])

    assert sum(1 for _line in lines) == 1 + 1 + 2501
