"""The outbox against a real SMTP server on 127.0.0.1: queue, retry, give up, resend."""
import datetime
import email as email_parser

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.models import EmailStatus, OutboxEmail
from notifications.outbox import deliver_due, erase_addresses, queue_email, requeue, retry_delay, sweep

pytestmark = pytest.mark.django_db

ADDRESS = "maija@example.fi"


def queue(language="fi", to=ADDRESS):
    return queue_email(
        to=to,
        template="outbox_test",
        context={"badge_name": "Digitaalinen tiedonhaku", "link": "http://127.0.0.1:8000/claim/x"},
        language=language,
    )


def later(minutes: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)


def test_renders_in_the_recipients_language():
    finnish, swedish, english = queue("fi"), queue("sv"), queue("en")

    assert finnish.subject == "Merkki: Digitaalinen tiedonhaku"
    assert swedish.subject == "Märke: Digitaalinen tiedonhaku"
    assert english.subject == "Badge: Digitaalinen tiedonhaku"
    assert "http://127.0.0.1:8000/claim/x" in finnish.body_text
    assert '<a href="http://127.0.0.1:8000/claim/x">' in finnish.body_html
    assert finnish.kind == "outbox_test"
    assert finnish.status == EmailStatus.QUEUED


def test_unknown_language_falls_back_to_finnish():
    assert queue("de").language == "fi"


def test_rolled_back_transaction_queues_nothing():
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            queue()
            raise RuntimeError("the issuing failed")

    assert not OutboxEmail.objects.exists()


def test_server_down_keeps_email_queued_until_it_returns(smtp):
    queued = queue()

    first = deliver_due()

    queued.refresh_from_db()
    assert (first.sent, first.retrying) == (0, 1)
    assert queued.status == EmailStatus.QUEUED
    assert queued.attempts == 1
    assert queued.last_error.startswith("ConnectionRefusedError")
    assert queued.next_attempt_at > timezone.now() + datetime.timedelta(seconds=50)

    # Not due yet: nothing is attempted.
    assert deliver_due().retrying == 0

    smtp.start()
    second = deliver_due(now=later(2))

    queued.refresh_from_db()
    assert second.sent == 1
    assert queued.status == EmailStatus.SENT
    assert queued.attempts == 2
    assert queued.last_error == ""
    [envelope] = smtp.handler.messages
    assert envelope.rcpt_tos == [ADDRESS]
    message = email_parser.message_from_bytes(envelope.content)
    assert message["Content-Language"] == "fi"
    parts = {part.get_content_type(): part.get_payload(decode=True).decode() for part in message.walk()
             if not part.is_multipart()}
    assert "Merkki: Digitaalinen tiedonhaku" in parts["text/plain"]
    assert '<a href="http://127.0.0.1:8000/claim/x">' in parts["text/html"]


def test_back_off_doubles_up_to_six_hours():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert retry_delay(30) == datetime.timedelta(hours=6)


def test_gives_up_after_the_last_attempt(smtp, settings):
    settings.MERKKIPAJA_EMAIL_MAX_ATTEMPTS = 3
    queued = queue()

    for hours in range(3):
        deliver_due(now=later(hours * 60 + 1))

    queued.refresh_from_db()
    assert queued.status == EmailStatus.FAILED
    assert queued.attempts == 3


def test_refused_recipient_is_not_retried(smtp):
    smtp.handler.refuse.add("gone@example.fi")
    smtp.start()
    refused = queue(to="gone@example.fi")
    accepted = queue()

    report = deliver_due()

    refused.refresh_from_db()
    assert (report.sent, report.failed) == (1, 1)
    assert refused.status == EmailStatus.FAILED
    assert "550" in refused.last_error
    assert len(smtp.handler.messages) == 1


def test_requeue_sends_again():
    queued = queue()
    deliver_due()
    queued.refresh_from_db()
    assert queued.status == EmailStatus.SENT

    requeue(queued)
    deliver_due()

    assert len(mail.outbox) == 2


def test_erase_addresses_ignores_case():
    queue(to=ADDRESS)
    queue(to="other@example.fi")

    assert erase_addresses(["MAIJA@example.fi"]) == 1
    assert list(OutboxEmail.objects.values_list("to", flat=True)) == ["other@example.fi"]


@pytest.mark.django_db(transaction=True)
def test_worker_sends_queued_email_through_a_task(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = queue()

    assert DBTaskResult.objects.filter(task_path="notifications.tasks.deliver_outbox").count() == 1
    call_command("worker", batch=True)

    queued.refresh_from_db()
    assert queued.status == EmailStatus.SENT
    assert [message.to for message in mail.outbox] == [[ADDRESS]]


@pytest.mark.django_db(transaction=True)
def test_sweep_finds_a_retry_that_no_task_carries(smtp):
    queued = queue()
    deliver_due()
    assert sweep() == 0

    smtp.start()
    OutboxEmail.objects.filter(pk=queued.pk).update(next_attempt_at=timezone.now())
    # The worker sweeps when it starts, which enqueues the delivery task.
    call_command("worker", batch=True)

    queued.refresh_from_db()
    assert queued.status == EmailStatus.SENT
    assert len(smtp.handler.messages) == 1
