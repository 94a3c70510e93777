"""A worker killed in the middle of a bulk job: the next worker finishes it, no badge lost or doubled."""
import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from badges.bulk import services
from badges.bulk.models import BulkJob, JobSource, JobStatus, RowStatus
from badges.bulk.parsing import RawRow, Table
from badges.models import Credential
from issuers.models import AuditEvent

pytestmark = [pytest.mark.shared_database, pytest.mark.django_db(transaction=True)]

REPOSITORY = Path(__file__).resolve().parents[3]
ROWS = 40
KILL_AFTER = 5


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or "5432"
    return f"postgresql://{user}@{host}:{port}/{settings['NAME']}"


def start_worker(log_path: Path) -> subprocess.Popen:
    environment = dict(
        os.environ,
        DATABASE_URL=database_url(),
        MERKKIPAJA_BULK_STALE_SECONDS="2",
        MERKKIPAJA_WORKER_SWEEP_SECONDS="30",
        MERKKIPAJA_DB_CONN_MAX_AGE="0",
        # Issuing queues a claim email per badge. The default console backend
        # would print each email, address included, into the log checked below.
        MERKKIPAJA_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.2"],
        cwd=REPOSITORY,
        env=environment,
        stdout=log_path.open("ab"),
        stderr=subprocess.STDOUT,
    )


def wait_until(condition, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(message)
        time.sleep(0.05)


def make_job(badge, actor) -> BulkJob:
    table = Table(columns={}, rows=[
        RawRow(number=number + 2, values={"name": f"Kaatuja {number:03d}", "email": f"kaatuja{number}@example.org"})
        for number in range(ROWS)
    ])
    job = services.job_create(badge=badge, table=table, source=JobSource.TYPED, actor=actor)
    return services.job_start(job=job, actor=actor)


def issued_rows(job) -> int:
    return job.rows.filter(status=RowStatus.ISSUED).count()


def test_killed_worker_job_resumes(badge, staff, tmp_path):
    job = make_job(badge, staff["instructor"])
    assert job.task_id or BulkJob.objects.get(pk=job.pk).task_id
    log_path = tmp_path / "worker.log"

    first = start_worker(log_path)
    try:
        wait_until(lambda: issued_rows(job) >= KILL_AFTER, 180, "The first worker issued nothing in time.")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    issued_before_restart = issued_rows(job)
    assert KILL_AFTER <= issued_before_restart < ROWS, "The worker was not killed in the middle of the job."
    assert BulkJob.objects.get(pk=job.pk).status == JobStatus.RUNNING
    # The killed worker's task stays "running" for ever; only the sweep can restart the job.
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 1
    time.sleep(2.5)

    second = start_worker(log_path)
    try:
        wait_until(
            lambda: BulkJob.objects.get(pk=job.pk).status == JobStatus.DONE, 300, "The second worker did not finish."
        )
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(timeout=30)
        except subprocess.TimeoutExpired:
            second.kill()

    rows = list(job.rows.all())
    assert [row.status for row in rows] == [RowStatus.ISSUED] * ROWS
    credentials = list(Credential.objects.values_list("id", "issue_key"))
    assert len(credentials) == ROWS
    keys = collections.Counter(key for _id, key in credentials)
    assert max(keys.values()) == 1
    assert set(keys) == {row.issue_key for row in rows}
    assert {row.credential_id for row in rows} == {credential_id for credential_id, _key in credentials}
    assert AuditEvent.objects.filter(action="credential.issue").count() == ROWS
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() >= 1
    log = log_path.read_text(errors="replace")
    assert "Kaatuja" not in log
    assert "@example.org" not in log
    assert f"Bulk job {job.pk} has no live worker" in log


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Several workers at once need row locks (SKIP LOCKED); SQLite deployments run one worker.",
)
def test_two_workers_share_one_job(badge, staff, tmp_path):
    job = make_job(badge, staff["instructor"])
    # A second task for the same job, as a sweep on another machine could enqueue.
    services.enqueue_job(job.pk)
    log_path = tmp_path / "workers.log"

    workers = [start_worker(log_path) for _ in range(2)]
    try:
        wait_until(
            lambda: BulkJob.objects.get(pk=job.pk).status == JobStatus.DONE, 300, "The workers did not finish."
        )
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()

    assert Credential.objects.count() == ROWS
    assert job.rows.filter(status=RowStatus.ISSUED).count() == ROWS
    assert len(set(Credential.objects.values_list("issue_key", flat=True))) == ROWS
