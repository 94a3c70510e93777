"""Bulk job service rules: the sweep, the issue key guard and rows that fail while issuing."""
import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from badges.bulk import services
from badges.bulk.models import BulkJob, JobSource, JobStatus, RowStatus
from badges.bulk.parsing import RawRow, Table
from badges.models import BadgeStatus, Credential
from badges.services import credential_issue

pytestmark = pytest.mark.django_db


def make_job(badge, actor, names=("Aino Aalto", "Bertil Berg")) -> BulkJob:
    table = Table(columns={}, rows=[RawRow(number=index + 1, values={"name": name}) for index, name in enumerate(names)])
    return services.job_create(badge=badge, table=table, source=JobSource.TYPED, actor=actor)


def age(job, seconds: float) -> None:
    BulkJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(seconds=seconds))


def test_issue_key_is_unique(badge):
    credential_issue(badge=badge, recipient_name="Aino", issue_key="a" * 64)

    with pytest.raises(IntegrityError):
        credential_issue(badge=badge, recipient_name="Aino", issue_key="a" * 64)


def test_sweep_requeues_stale_job(badge, staff, settings, django_capture_on_commit_callbacks):
    settings.MERKKIPAJA_BULK_STALE_SECONDS = 60
    job = make_job(badge, staff["instructor"])
    with django_capture_on_commit_callbacks(execute=True):
        services.job_start(job=job, actor=staff["instructor"])
    job.refresh_from_db()
    first_task = job.task_id

    assert services.sweep() == 0  # fresh heartbeat

    age(job, 120)
    assert services.sweep() == 0  # stale, but its task still waits in the queue

    DBTaskResult.objects.filter(pk=first_task).update(status="RUNNING")
    age(job, 120)
    assert services.sweep() == 1  # its worker died while running it
    job.refresh_from_db()
    assert job.task_id != first_task
    assert services.sweep() == 0  # the new task waits, and the heartbeat was renewed

    DBTaskResult.objects.all().delete()
    age(job, 120)
    assert services.sweep() == 1  # the task row is gone altogether


def test_sweep_deletes_abandoned_previews(badge, staff, settings):
    settings.MERKKIPAJA_BULK_PREVIEW_HOURS = 24
    old = make_job(badge, staff["instructor"])
    new = make_job(badge, staff["instructor"])
    BulkJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))

    services.sweep()

    assert list(BulkJob.objects.values_list("pk", flat=True)) == [new.pk]


def test_archived_badge_fails_rows(badge, staff):
    job = make_job(badge, staff["instructor"])
    services.job_start(job=job, actor=staff["instructor"], enqueue=False)
    badge.status = BadgeStatus.ARCHIVED
    badge.save()

    counts = services.job_process(job.pk)

    assert counts[RowStatus.FAILED] == 2
    assert Credential.objects.count() == 0
    row = job.rows.first()
    assert row.errors[0]["code"] == "issue_failed"
    assert "ei ole julkaistu" in row.errors[0]["params"]["message"]
    assert BulkJob.objects.get(pk=job.pk).status == JobStatus.DONE


def test_deleted_starter_fails_rows(badge, staff):
    job = make_job(badge, staff["editor"])
    services.job_start(job=job, actor=staff["editor"], enqueue=False)
    staff["editor"].delete()

    counts = services.job_process(job.pk)

    assert counts[RowStatus.FAILED] == 2
    assert job.rows.first().errors[0]["code"] == "no_permission"
    assert Credential.objects.count() == 0


def test_row_issued_elsewhere_becomes_existing(badge, staff):
    job = make_job(badge, staff["instructor"])
    services.job_start(job=job, actor=staff["instructor"], enqueue=False)
    row = job.rows.get(number=1)
    other = credential_issue(badge=badge, recipient_name="Aino Aalto", issue_key=row.issue_key)

    services.job_process(job.pk)

    row.refresh_from_db()
    assert row.status == RowStatus.EXISTING
    assert row.credential_id == other.pk
    assert Credential.objects.count() == 2


def test_instructor_of_other_organisation_cannot_create(badge, other_organisation, make_user):
    from django.core.exceptions import PermissionDenied

    from issuers.models import Role
    from issuers.services import membership_set

    outsider = make_user("outsider")
    membership_set(user=outsider, organisation=other_organisation, role=Role.OWNER)

    with pytest.raises(PermissionDenied):
        make_job(badge, outsider)


def test_job_issues_under_the_network_when_chosen(badge, staff, organisation, django_capture_on_commit_callbacks):
    from issuers.services import network_create, network_membership_set

    network = network_create(slug="verkosto", name="Pirkanmaan järjestöverkosto",
                             url="https://verkosto.example.fi", email="info@verkosto.example.fi")
    network_membership_set(organisation=organisation, network=network, may_issue=True)
    table = Table(columns={}, rows=[RawRow(number=1, values={"name": "Aino Aalto"})])
    job = services.job_create(badge=badge, table=table, source=JobSource.TYPED, actor=staff["instructor"],
                              issue_as_network=True)

    services.job_start(job=job, actor=staff["instructor"], enqueue=False)
    services.job_process(job.pk)

    credential = Credential.objects.get()
    assert credential.issuer_profile == network
    assert credential.organisation == organisation
    assert "Pirkanmaan järjestöverkosto" in credential.document
    assert "Taitopaja" not in credential.document
