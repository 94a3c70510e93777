"""Bulk issuing jobs and their rows.

A job's rows contain the personal data needed to issue each badge only
until the job is done: ``services.job_finish`` then blanks the personal
fields and keeps row numbers, outcomes, error codes and credential links
for the report. Abandoned previews are deleted by the sweep.
"""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    PREVIEW = "preview", _("Waiting for confirmation")
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Issuing")
    DONE = "done", _("Done")


class JobSource(models.TextChoices):
    FILE = "file", _("File")
    TYPED = "typed", _("Typed list")
    COMMAND = "command", _("Command line")


class RowStatus(models.TextChoices):
    PENDING = "pending", _("Ready to issue")
    INVALID = "invalid", _("Has errors")
    DUPLICATE = "duplicate", _("Same as an earlier row")
    EXISTING = "existing", _("Already issued")
    ISSUED = "issued", _("Issued")
    FAILED = "failed", _("Could not be issued")


class BulkJob(models.Model):
    """One upload or typed list of recipients for one badge."""

    # A random id, so that job addresses cannot be guessed.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "issuers.Organisation", on_delete=models.CASCADE, related_name="bulk_jobs"
    )
    badge = models.ForeignKey("badges.BadgeClass", on_delete=models.CASCADE, related_name="bulk_jobs")
    source = models.CharField(max_length=10, choices=JobSource.choices)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.PREVIEW)
    file_name = models.CharField(max_length=200, blank=True)
    # {field: {"header": text in the file, "letter": "B"}} for the report.
    columns = models.JSONField(default=dict, blank=True)
    ignored_headers = models.JSONField(default=list, blank=True)
    # The staff member's page language: failure messages written while
    # issuing are in this language.
    language = models.CharField(max_length=8, default="fi")
    # Issue every row under the organisation's network issuer profile
    # (see Organisation.issuing_network) instead of its own name.
    issue_as_network = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The actor of every credential_issue call of this job.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The id of the django-tasks result that runs the job; the sweep
    # enqueues a new task when this one is gone or its worker died.
    task_id = models.CharField(max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="bulkjob_status_heartbeat")]

    def __str__(self):
        return f"bulk job {self.id} ({self.status})"

    @property
    def is_unfinished(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)


class BulkRow(models.Model):
    """One recipient of a job: a data row of the file or a line of the typed list."""

    job = models.ForeignKey(BulkJob, on_delete=models.CASCADE, related_name="rows")
    # The row number that the spreadsheet shows (the file's first row is 1), or
    # the line number of a typed list.
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=RowStatus.choices)
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient_email = models.CharField(max_length=254, blank=True)
    recipient_language = models.CharField(max_length=8, default="fi")
    evidence_narrative = models.TextField(blank=True)
    evidence_url = models.CharField(max_length=1000, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    issue_key = models.CharField(max_length=64, blank=True, db_index=True)
    # [{"column": field or "", "code": str, "params": {...}, "value": str}];
    # see badges.bulk.messages for the codes.
    errors = models.JSONField(default=list, blank=True)
    # The number of the earlier row this one repeats.
    duplicate_of = models.PositiveIntegerField(null=True, blank=True)
    credential = models.ForeignKey(
        "badges.Credential", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="unique_bulk_row_number"),
        ]
        indexes = [models.Index(fields=["job", "status", "number"], name="bulkrow_job_status")]

    def __str__(self):
        return f"{self.job_id} row {self.number} ({self.status})"
