"""Create, start and run bulk issuing jobs.

Each row is issued in its own transaction that also marks the row done,
so a worker killed at any point leaves every row either issued and marked
or untouched. ``Credential.issue_key`` is unique, so a row is never issued
twice, even by two workers or two uploads of the same file.
"""
import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from issuers.models import Organisation
from issuers.permissions import Action
from issuers.selectors import user_can
from issuers.services import audit_record

from ..models import BadgeClass, BadgeStatus, Credential
from ..services import credential_issue
from .models import BulkJob, BulkRow, JobSource, JobStatus, RowStatus
from .parsing import Table, read_table, read_typed_list
from .validation import CheckedRow, check_row, mark_duplicates

logger = logging.getLogger(__name__)


def _require_issue(actor, organisation: Organisation) -> None:
    if actor is not None and not user_can(user=actor, organisation=organisation, action=Action.ISSUE):
        raise PermissionDenied(
            _("You do not have the right to do this in %(organisation)s.") % {"organisation": organisation.name}
        )


def parse_upload(data: bytes, filename: str) -> Table:
    """Read an uploaded file within the configured limits; raises parsing.FileProblem."""
    return read_table(
        data,
        filename,
        max_bytes=settings.MERKKIPAJA_BULK_MAX_BYTES,
        max_rows=settings.MERKKIPAJA_BULK_MAX_ROWS,
    )


def parse_typed(
    text: str, *, issued_on: datetime.date | None, evidence_narrative: str = "", evidence_url: str = ""
) -> Table:
    """Read a typed list; the issue date and evidence apply to every line."""
    table = read_typed_list(text, max_rows=settings.MERKKIPAJA_BULK_MAX_ROWS)
    for row in table.rows:
        row.values.update(
            issued_on=issued_on or "", evidence_narrative=evidence_narrative or "", evidence_url=evidence_url or ""
        )
    return table


def check_table(*, badge: BadgeClass, table: Table, default_language: str, today=None) -> list[CheckedRow]:
    """Check every row, flag repeats inside the table, and compute the idempotency keys."""
    today = today or timezone.localdate()
    rows = [
        check_row(raw, badge_public_id=badge.public_id, default_language=default_language, today=today)
        for raw in table.rows
    ]
    mark_duplicates(rows)
    return rows


def existing_credentials(keys) -> dict[str, object]:
    """Map each issue key that a credential already has to that credential's id."""
    keys = [key for key in keys if key]
    found = {}
    # Chunked to stay under SQLite's limit on query parameters (999 before SQLite 3.32).
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        found.update(Credential.objects.filter(issue_key__in=chunk).values_list("issue_key", "id"))
    return found


def row_status(row: CheckedRow, existing: dict) -> str:
    if row.errors:
        return RowStatus.INVALID
    if row.duplicate_of is not None:
        return RowStatus.DUPLICATE
    if row.issue_key in existing:
        return RowStatus.EXISTING
    return RowStatus.PENDING


@transaction.atomic
def job_create(
    *,
    badge: BadgeClass,
    table: Table,
    source: str,
    file_name: str = "",
    default_language: str = "fi",
    language: str = "fi",
    actor=None,
    replaces: BulkJob | None = None,
    issue_as_network: bool = False,
) -> BulkJob:
    """Store a job in preview: every row with its errors, nothing issued yet."""
    organisation = badge.organisation
    _require_issue(actor, organisation)
    if badge.status != BadgeStatus.PUBLISHED:
        raise ValidationError(
            {"badge": _("The badge “%(badge)s” is not published, so it cannot be issued. "
                        "Publish it first.") % {"badge": badge.latest_version.name}}
        )
    checked = check_table(badge=badge, table=table, default_language=default_language)
    existing = existing_credentials(row.issue_key for row in checked)

    if replaces is not None and replaces.organisation_id == organisation.id and replaces.status == JobStatus.PREVIEW:
        replaces.delete()
    job = BulkJob.objects.create(
        organisation=organisation,
        badge=badge,
        source=source,
        file_name=(file_name or "")[:200],
        columns={name: {"header": column.header, "letter": column.letter} for name, column in table.columns.items()},
        ignored_headers=[header[:100] for header in table.ignored_headers],
        language=language,
        issue_as_network=issue_as_network,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    BulkRow.objects.bulk_create(
        [
            BulkRow(
                job=job,
                number=row.number,
                status=row_status(row, existing),
                recipient_name=row.name[:200],
                recipient_email=row.email[:254],
                recipient_language=row.language,
                evidence_narrative=row.evidence_narrative,
                evidence_url=row.evidence_url[:1000],
                issued_on=row.issued_on,
                issue_key=row.issue_key,
                errors=row.errors,
                duplicate_of=row.duplicate_of,
                credential_id=existing.get(row.issue_key),
            )
            for row in checked
        ],
        batch_size=500,
    )
    logger.info("Bulk job %s created for badge %s with %d rows", job.pk, badge.pk, len(checked))
    return job


def job_counts(job: BulkJob) -> dict:
    """Count a job's rows by status, and how many of the rows to issue are processed."""
    counts = {status: 0 for status in RowStatus.values}
    for item in job.rows.values("status").annotate(count=Count("id")):
        counts[item["status"]] = item["count"]
    totals = job.rows.aggregate(
        to_process=Count("id", filter=Q(status=RowStatus.PENDING) | Q(processed_at__isnull=False)),
        processed=Count("id", filter=Q(processed_at__isnull=False)),
    )
    counts.update(totals)
    counts["total"] = sum(counts[status] for status in RowStatus.values)
    counts["percent"] = round(100 * totals["processed"] / totals["to_process"]) if totals["to_process"] else 100
    return counts


@transaction.atomic
def job_start(*, job: BulkJob, actor=None, enqueue: bool = True) -> BulkJob:
    """Confirm a previewed job: record it and queue the task that issues its rows."""
    _require_issue(actor, job.organisation)
    job = BulkJob.objects.select_for_update().get(pk=job.pk)
    if job.status != JobStatus.PREVIEW:
        raise ValidationError(_("This list has already been started. Its progress is shown below."))
    counts = job_counts(job)
    if counts[RowStatus.PENDING] == 0:
        raise ValidationError(_("No row can be issued. Correct the file and upload it again."))
    now = timezone.now()
    job.status = JobStatus.QUEUED
    job.started_by = actor if actor is not None and actor.is_authenticated else None
    job.started_at = now
    job.heartbeat_at = now
    job.save(update_fields=["status", "started_by", "started_at", "heartbeat_at"])
    audit_record(
        action="bulk.start",
        organisation=job.organisation,
        actor=actor,
        target=job,
        details={
            "badge_id": job.badge_id,
            "source": job.source,
            "to_issue": counts[RowStatus.PENDING],
            "already_issued": counts[RowStatus.EXISTING],
            "invalid": counts[RowStatus.INVALID],
            "duplicates": counts[RowStatus.DUPLICATE],
        },
    )
    logger.info("Bulk job %s started: %d rows to issue", job.pk, counts[RowStatus.PENDING])
    if enqueue:
        job_id = job.pk
        transaction.on_commit(lambda: enqueue_job(job_id))
    return job


@transaction.atomic
def job_discard(*, job: BulkJob, actor=None) -> None:
    """Delete a job that is still in preview, with its rows."""
    _require_issue(actor, job.organisation)
    if job.status != JobStatus.PREVIEW:
        raise ValidationError(_("Only a list that has not been started can be removed."))
    job_id = job.pk
    job.delete()
    logger.info("Bulk job %s discarded", job_id)


def enqueue_job(job_id) -> None:
    """Enqueue the task that runs a job and remember its id; a failure is left to the sweep."""
    from .tasks import run_bulk_job

    try:
        result = run_bulk_job.enqueue(str(job_id))
    except Exception:
        logger.exception("Could not enqueue bulk job %s; the sweep will retry", job_id)
        return
    BulkJob.objects.filter(pk=job_id).update(task_id=str(result.id))


def job_process(job_id, *, on_row: Callable[[BulkJob], None] | None = None) -> dict:
    """Issue every pending row of a job, one transaction per row, then finish the job.

    Safe to run in several workers at once: each takes rows that no other
    worker has locked. Returns the job's row counts.
    """
    job = BulkJob.objects.select_related("organisation", "started_by").get(pk=job_id)
    if job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
        return job_counts(job)
    BulkJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, heartbeat_at=timezone.now()
    )
    with translation.override(job.language):
        while _process_next_row(job):
            if on_row is not None:
                on_row(job)
    job_finish(job)
    return job_counts(job)


def _process_next_row(job: BulkJob) -> bool:
    with transaction.atomic():
        row = (
            BulkRow.objects.select_for_update(skip_locked=True)
            .filter(job=job, status=RowStatus.PENDING)
            .order_by("number")
            .first()
        )
        if row is None:
            return False
        _issue_row(job, row)
        BulkJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    return True


def _issue_row(job: BulkJob, row: BulkRow) -> None:
    actor = job.started_by
    existing = Credential.objects.filter(issue_key=row.issue_key).values_list("id", flat=True).first()
    if existing is not None:
        _mark(row, RowStatus.EXISTING, credential_id=existing)
    elif actor is None and job.source != JobSource.COMMAND:
        # The staff member's account was deleted, so no user's rights
        # allow issuing any more.
        _mark(row, RowStatus.FAILED, error={"column": "", "code": "no_permission", "params": {}})
    else:
        _issue_new(job, row, actor)
    row.processed_at = timezone.now()
    row.save(update_fields=["status", "credential", "errors", "processed_at"])


def _issue_new(job: BulkJob, row: BulkRow, actor) -> None:
    # Read the badge again for every row: it may have been archived since the job started.
    badge = BadgeClass.objects.select_related("organisation").get(pk=job.badge_id)
    try:
        credential = credential_issue(
            badge=badge,
            recipient_name=row.recipient_name,
            recipient_email=row.recipient_email,
            recipient_language=row.recipient_language,
            issued_on=row.issued_on,
            evidence_narrative=row.evidence_narrative,
            evidence_url=row.evidence_url,
            actor=actor,
            issue_key=row.issue_key,
            issue_as_network=job.issue_as_network,
        )
    except IntegrityError:
        # Another job issued the same row between our check and our insert.
        existing = Credential.objects.filter(issue_key=row.issue_key).values_list("id", flat=True).first()
        if existing is None:
            raise
        _mark(row, RowStatus.EXISTING, credential_id=existing)
    except PermissionDenied:
        _mark(row, RowStatus.FAILED, error={"column": "", "code": "no_permission", "params": {}})
        logger.warning("Bulk job %s row %s failed: no permission", job.pk, row.number)
    except ValidationError as error:
        message = " ".join(str(text) for text in error.messages)[:500]
        _mark(row, RowStatus.FAILED, error={"column": "", "code": "issue_failed", "params": {"message": message}})
        logger.warning("Bulk job %s row %s failed validation while issuing", job.pk, row.number)
    else:
        _mark(row, RowStatus.ISSUED, credential_id=credential.pk)


def _mark(row: BulkRow, status: str, *, credential_id=None, error: dict | None = None) -> None:
    row.status = status
    row.credential_id = credential_id
    if error is not None:
        row.errors = [*row.errors, error]


def job_finish(job: BulkJob) -> bool:
    """Mark a job done once no row is pending, and blank the rows' personal data.

    Returns False while rows are still pending, for example while another
    worker has locked some of them.
    """
    with transaction.atomic():
        job = BulkJob.objects.select_for_update().get(pk=job.pk)
        if job.status == JobStatus.DONE:
            return True
        if job.rows.filter(status=RowStatus.PENDING).exists():
            return False
        job.status = JobStatus.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at"])
        _erase_personal_data(job)
    counts = job_counts(job)
    logger.info(
        "Bulk job %s done: %d issued, %d already issued, %d failed, %d invalid",
        job.pk, counts[RowStatus.ISSUED], counts[RowStatus.EXISTING], counts[RowStatus.FAILED],
        counts[RowStatus.INVALID],
    )
    return True


def _erase_personal_data(job: BulkJob) -> None:
    """Keep only what the report needs: row numbers, outcomes, error codes and credential links.

    Issued and already issued rows link to their credential, which contains
    the name; the cell values of rows with errors are dropped.
    """
    job.rows.update(recipient_name="", recipient_email="", evidence_narrative="", evidence_url="")
    rows = list(job.rows.exclude(errors=[]).only("id", "errors"))
    for row in rows:
        row.errors = [{**error, "value": ""} for error in row.errors]
    BulkRow.objects.bulk_update(rows, ["errors"], batch_size=500)


def sweep() -> int:
    """Re-enqueue unfinished jobs whose worker died or whose task is gone; delete abandoned previews.

    A job is re-enqueued when its task is not waiting in the queue and its
    heartbeat is older than MERKKIPAJA_BULK_STALE_SECONDS. Returns how many
    tasks it enqueued.
    """
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    _delete_stale_previews(now)
    stale_before = now - datetime.timedelta(seconds=settings.MERKKIPAJA_BULK_STALE_SECONDS)
    enqueued = 0
    unfinished = BulkJob.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    for job in unfinished.only("id", "task_id", "heartbeat_at"):
        if job.heartbeat_at is not None and job.heartbeat_at >= stale_before:
            continue
        if job.task_id and DBTaskResult.objects.filter(pk=job.task_id, status="READY").exists():
            continue
        # The conditional update lets one sweeping worker of several take the job.
        claimed = BulkJob.objects.filter(pk=job.pk, heartbeat_at=job.heartbeat_at).update(heartbeat_at=now)
        if claimed:
            logger.info("Bulk job %s has no live worker; enqueuing it again", job.pk)
            enqueue_job(job.pk)
            enqueued += 1
    return enqueued


def _delete_stale_previews(now) -> None:
    cutoff = now - datetime.timedelta(hours=settings.MERKKIPAJA_BULK_PREVIEW_HOURS)
    stale = BulkJob.objects.filter(status=JobStatus.PREVIEW, created_at__lt=cutoff)
    # Checked first, so that an idle sweep does not take SQLite's write lock.
    if stale.exists():
        deleted, _by_model = stale.delete()
        logger.info("Deleted %d rows of abandoned bulk previews", deleted)
