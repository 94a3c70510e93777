"""The email outbox: every email is a row first, and is sent from the row."""
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Could not be sent")


class OutboxEmail(models.Model):
    """One email, rendered when it was queued and kept until it is sent.

    The row is written in the same transaction as the action that caused
    it, so an email is never lost when the mail server is down or the
    worker is stopped: the worker sends it later, with back-off.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # What the email is for, such as "badge_issued" or "sign_in"; the
    # template name.
    kind = models.CharField(max_length=40)
    to = models.EmailField()
    language = models.CharField(max_length=8)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    organisation = models.ForeignKey(
        "issuers.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The id of the object the email is about (a credential, an invitation).
    related_id = models.CharField(max_length=100, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # The SMTP error of the last failed attempt, for staff; never a password.
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.kind} {self.id} ({self.status})"
