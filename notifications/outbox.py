"""Queue, send and retry emails through the outbox table.

``queue_email`` renders the email in the recipient's language and stores
it; a task sends it once the surrounding transaction commits. A failed
attempt is retried with exponential back-off by the worker's sweep. A
permanent refusal (an SMTP 5xx for the recipient) is not retried, so a
bounced address never blocks issuing or floods the server.
"""
import datetime
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import EmailStatus, OutboxEmail

logger = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 60
MAX_RETRY_SECONDS = 6 * 60 * 60
BATCH_SIZE = 50


def queue_email(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    kind: str = "",
    organisation=None,
    related_id: str = "",
) -> OutboxEmail:
    """Render ``templates/email/<template>.{subject.txt,txt,html}`` and queue it.

    The email is sent after the current transaction commits; if that
    transaction rolls back, the email disappears with it.
    """
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    context = {"site_name": settings.MERKKIPAJA_SITE_NAME, "base_url": settings.MERKKIPAJA_BASE_URL,
               "language": language, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"email/{template}.subject.txt", context).split())
        body_text = render_to_string(f"email/{template}.txt", context)
        body_html = render_to_string(f"email/{template}.html", context)

    email = OutboxEmail.objects.create(
        kind=kind or template,
        to=to,
        language=language,
        subject=subject[:300],
        body_text=body_text,
        body_html=body_html,
        organisation=organisation,
        related_id=str(related_id),
        next_attempt_at=timezone.now(),
    )
    logger.info("Queued email %s (%s)", email.id, email.kind)
    transaction.on_commit(_enqueue_delivery)
    return email


def requeue(email: OutboxEmail) -> OutboxEmail:
    """Send a queued, failed or sent email again, as soon as possible."""
    email.status = EmailStatus.QUEUED
    email.attempts = 0
    email.next_attempt_at = timezone.now()
    email.last_error = ""
    email.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
    transaction.on_commit(_enqueue_delivery)
    logger.info("Requeued email %s", email.id)
    return email


def erase_addresses(addresses) -> int:
    """Delete every outbox email to these addresses (an earner's data erasure)."""
    matches = Q(pk__in=[])
    for address in addresses:
        if address:
            matches |= Q(to__iexact=address.strip())
    deleted, _ = OutboxEmail.objects.filter(matches).delete()
    return deleted


def retry_delay(attempts: int) -> datetime.timedelta:
    """Back-off after ``attempts`` failures: 1, 2, 4, ... minutes, at most 6 hours."""
    seconds = FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, MAX_RETRY_SECONDS))


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def deliver_due(*, now: datetime.datetime | None = None, limit: int = BATCH_SIZE) -> DeliveryReport:
    """Try to send every queued email whose time has come."""
    report = DeliveryReport()
    for email_id in _due_ids(now or timezone.now(), limit):
        outcome = _deliver_one(email_id, now)
        if outcome is not None:
            setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def _due_ids(now, limit) -> list:
    return list(
        OutboxEmail.objects.filter(status=EmailStatus.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )


def _deliver_one(email_id, now) -> str | None:
    # The row lock keeps two workers from sending the same email; a worker
    # that finds the row locked leaves it to the other one.
    with transaction.atomic():
        email = (
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=EmailStatus.QUEUED)
            .first()
        )
        if email is None:
            return None
        now = now or timezone.now()
        email.attempts += 1
        try:
            _send(email)
        except smtplib.SMTPRecipientsRefused as error:
            return _give_up(email, _describe(error))
        except smtplib.SMTPResponseException as error:
            if 500 <= error.smtp_code < 600:
                return _give_up(email, _describe(error))
            return _retry_later(email, now, _describe(error))
        except (OSError, smtplib.SMTPException) as error:
            return _retry_later(email, now, _describe(error))

        email.status = EmailStatus.SENT
        email.sent_at = now
        email.last_error = ""
        email.save(update_fields=["status", "sent_at", "attempts", "last_error"])
        logger.info("Sent email %s on attempt %s", email.id, email.attempts)
        return "sent"


def _send(email: OutboxEmail) -> None:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Content-Language": email.language, "Auto-Submitted": "auto-generated"},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    message.send(fail_silently=False)


def _retry_later(email, now, error: str) -> str:
    if email.attempts >= settings.MERKKIPAJA_EMAIL_MAX_ATTEMPTS:
        return _give_up(email, error)
    email.next_attempt_at = now + retry_delay(email.attempts)
    email.last_error = error
    email.save(update_fields=["attempts", "next_attempt_at", "last_error"])
    logger.warning("Email %s not sent (attempt %s), retrying later", email.id, email.attempts)
    return "retrying"


def _give_up(email, error: str) -> str:
    email.status = EmailStatus.FAILED
    email.last_error = error
    email.save(update_fields=["status", "attempts", "last_error"])
    logger.warning("Email %s failed for good after %s attempts", email.id, email.attempts)
    return "failed"


def _describe(error: Exception) -> str:
    # Exception text from smtplib contains the server's reply, which may name
    # the recipient; it is kept for staff in the row and never logged.
    return f"{type(error).__name__}: {error}"[:500]


def _enqueue_delivery() -> None:
    from .tasks import deliver_outbox

    try:
        deliver_outbox.enqueue()
    except Exception:
        # The row is safe; the worker's sweep will find it.
        logger.exception("Could not enqueue email delivery")


def sweep() -> int:
    """Enqueue one delivery task when emails are due (run by every worker)."""
    if OutboxEmail.objects.filter(status=EmailStatus.QUEUED, next_attempt_at__lte=timezone.now()).exists():
        _enqueue_delivery()
        return 1
    return 0
