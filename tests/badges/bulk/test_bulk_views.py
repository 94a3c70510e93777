"""Bulk issuing pages: upload, preview, confirm, progress, report, permissions and bad files."""
import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from badges.bulk.models import BulkJob, BulkRow, JobStatus, RowStatus
from badges.models import Credential
from issuers.models import AuditEvent, Role
from issuers.services import membership_set
from tests.badges.bulk.helpers import csv_bytes, run_worker, xlsx_bytes
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
DAY = (TODAY - datetime.timedelta(days=1)).strftime("%d.%m.%Y")
GOOD = [
    ["Aino Aalto", "aino@example.org", "Teki tehtävän.", "", DAY, "fi"],
    ["Bertil Berg", "", "Gjorde uppgiften.", "https://example.org/b", DAY, "sv"],
]
BAD = ["Cecilia", "cecilia@", "", "", DAY, "fi"]


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def upload(client, organisation, badge, data, name="lista.csv", **extra):
    url = reverse("staff:bulk_upload", args=[organisation.slug])
    payload = {"badge": badge.pk, "default_language": "fi", "file": SimpleUploadedFile(name, data), **extra}
    return client.post(url, payload)


def test_upload_preview_confirm_progress_done(client, organisation, badge, staff, django_capture_on_commit_callbacks):
    login(client, staff["instructor"])

    response = upload(client, organisation, badge, csv_bytes([*GOOD, BAD]))

    job = BulkJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:bulk_job", args=[organisation.slug, job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Tarkista lista ennen myöntämistä" in page
    assert "Sähköposti (sarake B)" in page
    assert "Sähköpostiosoite ei kelpaa." in page
    assert "<code>cecilia@</code>" in page
    assert Credential.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("staff:bulk_start", args=[organisation.slug, job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert job.task_id
    page = client.get(reverse("staff:bulk_job", args=[organisation.slug, job.pk])).content.decode()
    assert "<progress" in page
    assert 'aria-live="polite"' in page
    assert 'http-equiv="refresh"' in page
    progress = client.get(reverse("staff:bulk_progress", args=[organisation.slug, job.pk])).json()
    assert progress["done"] is False
    assert progress["processed"] == 0
    assert progress["to_process"] == 2

    run_worker()

    progress = client.get(reverse("staff:bulk_progress", args=[organisation.slug, job.pk])).json()
    assert progress["done"] is True
    assert progress["issued"] == 2
    assert progress["percent"] == 100
    assert set(Credential.objects.values_list("recipient_name", flat=True)) == {"Aino Aalto", "Bertil Berg"}
    assert Credential.objects.get(recipient_name="Bertil Berg").recipient_language == "sv"
    assert Credential.objects.filter(issued_by=staff["instructor"]).count() == 2
    page = client.get(reverse("staff:bulk_job", args=[organisation.slug, job.pk])).content.decode()
    assert "Joukkomyöntäminen valmis" in page
    assert "Aino Aalto" in page  # read from the credential, not from the row


def test_audit_and_erasure(client, organisation, badge, staff, django_capture_on_commit_callbacks):
    login(client, staff["editor"])
    upload(client, organisation, badge, csv_bytes([*GOOD, BAD]))
    job = BulkJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("staff:bulk_start", args=[organisation.slug, job.pk]))
    run_worker()

    start = AuditEvent.objects.get(action="bulk.start")
    assert start.target_id == str(job.pk)
    assert start.details == {"badge_id": badge.pk, "source": "file", "to_issue": 2, "already_issued": 0,
                             "invalid": 1, "duplicates": 0}
    assert "Aino" not in json.dumps(start.details)
    assert AuditEvent.objects.filter(action="credential.issue").count() == 2
    rows = list(BulkRow.objects.filter(job=job))
    assert all(row.recipient_name == "" and row.recipient_email == "" for row in rows)
    assert all(row.evidence_narrative == "" and row.evidence_url == "" for row in rows)
    invalid = next(row for row in rows if row.status == RowStatus.INVALID)
    assert invalid.errors[0]["code"] == "email_invalid"
    assert invalid.errors[0]["value"] == ""


def test_reupload_replaces_preview_and_reports_existing(client, organisation, badge, staff,
                                                       django_capture_on_commit_callbacks):
    login(client, staff["instructor"])
    upload(client, organisation, badge, csv_bytes(GOOD))
    job = BulkJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("staff:bulk_start", args=[organisation.slug, job.pk]))
    run_worker()

    upload(client, organisation, badge, csv_bytes([*GOOD, BAD]))
    second = BulkJob.objects.exclude(pk=job.pk).get()
    response = upload(client, organisation, badge, xlsx_bytes(GOOD), name="lista.xlsx", replaces=str(second.pk))

    third = BulkJob.objects.exclude(pk__in=[job.pk, second.pk]).get()
    assert not BulkJob.objects.filter(pk=second.pk).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Yhtään riviä ei voi myöntää." in page
    assert "Sama merkki on jo myönnetty näille henkilöille" in page
    assert 'id="bulk-confirm"' not in page
    assert list(third.rows.values_list("status", flat=True)) == [RowStatus.EXISTING, RowStatus.EXISTING]
    response = client.post(reverse("staff:bulk_start", args=[organisation.slug, third.pk]), follow=True)
    assert "Yhtään riviä ei voi myöntää." in response.content.decode()
    assert Credential.objects.count() == 2


def test_typed_list(client, organisation, badge, staff, django_capture_on_commit_callbacks):
    login(client, staff["instructor"])
    url = reverse("staff:bulk_typed", args=[organisation.slug])

    response = client.post(url, {
        "badge": badge.pk, "default_language": "fi", "issued_on": TODAY.isoformat(),
        "recipients": "Aino Aalto; aino@example.org\nBertil Berg\nCecilia; cecilia@\nAino Aalto; AINO@example.org",
        "evidence_narrative": "Osallistui kurssille.",
    })

    job = BulkJob.objects.get()
    assert response.status_code == 302
    statuses = dict(job.rows.values_list("number", "status"))
    assert statuses == {1: RowStatus.PENDING, 2: RowStatus.PENDING, 3: RowStatus.INVALID, 4: RowStatus.DUPLICATE}
    page = client.get(response["Location"]).content.decode()
    assert "Rivi 4 on sama kuin rivi 1" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("staff:bulk_start", args=[organisation.slug, job.pk]))
    run_worker()
    assert Credential.objects.count() == 2
    assert set(Credential.objects.values_list("evidence_narrative", flat=True)) == {"Osallistui kurssille."}


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"\x00\x01\x02\x03binary\xff\xfe", "kuva.csv", "ei ole CSV- tai Excel-tiedosto"),
        (b"", "tyhja.csv", "Tiedosto on tyhjä."),
        ("Puhelin;Osoite\r\n1;2\r\n".encode(), "sarakkeet.csv", "Tiedostossa ei ole saraketta"),
        (b"PK\x03\x04broken", "rikki.xlsx", "Excel-tiedostoa ei voitu lukea."),
    ],
)
def test_bad_files_give_translated_errors(client, organisation, badge, staff, data, name, message):
    login(client, staff["instructor"])

    response = upload(client, organisation, badge, data, name=name)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert BulkJob.objects.count() == 0


def test_too_large_file(client, organisation, badge, staff, settings):
    settings.MERKKIPAJA_BULK_MAX_BYTES = 1024
    login(client, staff["instructor"])

    response = upload(client, organisation, badge, csv_bytes([GOOD[0]] * 40))

    assert "Tiedosto on liian suuri" in response.content.decode()


def test_other_organisation_refused(client, organisation, other_organisation, badge, staff, make_user):
    login(client, staff["instructor"])
    upload(client, organisation, badge, csv_bytes(GOOD))
    job = BulkJob.objects.get()
    outsider = make_user("outsider")
    membership_set(user=outsider, organisation=other_organisation, role=Role.OWNER)
    other = login(Client(), outsider)

    assert other.get(reverse("staff:bulk_job", args=[organisation.slug, job.pk])).status_code == 403
    assert other.get(reverse("staff:bulk_job", args=[other_organisation.slug, job.pk])).status_code == 404
    assert other.get(reverse("staff:bulk_progress", args=[other_organisation.slug, job.pk])).status_code == 404
    assert other.post(reverse("staff:bulk_start", args=[other_organisation.slug, job.pk])).status_code == 404
    assert other.get(reverse("staff:bulk_upload", args=[organisation.slug])).status_code == 403
    response = other.post(reverse("staff:bulk_upload", args=[other_organisation.slug]), {
        "badge": badge.pk, "default_language": "fi", "file": SimpleUploadedFile("a.csv", csv_bytes(GOOD))})
    assert "Valitse listasta" in response.content.decode()
    assert BulkJob.objects.count() == 1


def test_anonymous_redirected_to_login(client, organisation):
    response = client.get(reverse("staff:bulk_upload", args=[organisation.slug]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_forms_need_csrf_token(organisation, badge, staff):
    client = login(Client(enforce_csrf_checks=True), staff["instructor"])
    upload_page = client.get(reverse("staff:bulk_upload", args=[organisation.slug])).content.decode()
    assert "csrfmiddlewaretoken" in upload_page

    response = upload(client, organisation, badge, csv_bytes(GOOD))

    assert response.status_code == 403
    assert BulkJob.objects.count() == 0


def test_start_and_discard_need_post(client, organisation, badge, staff):
    login(client, staff["instructor"])
    upload(client, organisation, badge, csv_bytes(GOOD))
    job = BulkJob.objects.get()

    assert client.get(reverse("staff:bulk_start", args=[organisation.slug, job.pk])).status_code == 405
    response = client.post(reverse("staff:bulk_discard", args=[organisation.slug, job.pk]))
    assert response.status_code == 302
    assert BulkJob.objects.count() == 0


def test_templates_download(client, organisation, staff):
    login(client, staff["instructor"])

    csv_response = client.get(reverse("staff:bulk_template", args=[organisation.slug, "csv"]))
    xlsx_response = client.get(reverse("staff:bulk_template", args=[organisation.slug, "xlsx"]))

    text = csv_response.content.decode("utf-8")
    assert text.startswith("\ufeffNimi;Sähköposti;Näytön kuvaus;Näytön osoite;Myöntämispäivä;Kieli\r\n")
    assert "attachment" in csv_response["Content-Disposition"]
    from badges.bulk.parsing import read_table

    for data, name in ((csv_response.content, "a.csv"), (xlsx_response.content, "a.xlsx")):
        table = read_table(data, name, max_bytes=10**6, max_rows=10)
        assert len(table.columns) == 6
        assert table.rows[0].values["name"] == "Maija Meikäläinen"


def test_jobs_list_linked_from_organisation(client, organisation, badge, staff):
    login(client, staff["instructor"])
    upload(client, organisation, badge, csv_bytes(GOOD))

    home = client.get(reverse("staff:organisation", args=[organisation.slug])).content.decode()
    jobs = client.get(reverse("staff:bulk_jobs", args=[organisation.slug])).content.decode()

    assert reverse("staff:bulk_jobs", args=[organisation.slug]) in home
    assert str(BulkJob.objects.get().pk) in jobs
    assert "0/2 riviä" in jobs


def test_upload_offers_the_network_name_and_keeps_it(client, organisation, badge, staff):
    from issuers.services import network_create, network_membership_set

    network = network_create(slug="verkosto", name="Pirkanmaan järjestöverkosto",
                             url="https://verkosto.example.fi", email="info@verkosto.example.fi")
    network_membership_set(organisation=organisation, network=network, may_issue=True)
    login(client, staff["instructor"])

    form_page = client.get(reverse("staff:bulk_upload", args=[organisation.slug])).content.decode()
    response = upload(client, organisation, badge, "nimi\nAino Aalto\n".encode(), issue_as="network")

    assert "Pirkanmaan järjestöverkosto" in form_page
    job = BulkJob.objects.get()
    assert response.status_code == 302
    assert job.issue_as_network
    preview = client.get(response["Location"]).content.decode()
    assert 'name="issue_as" value="network"' in preview
