"""Tasks of the outbox."""
from django_tasks import task

from .outbox import deliver_due


@task()
def deliver_outbox() -> dict:
    report = deliver_due()
    return {"sent": report.sent, "retrying": report.retrying, "failed": report.failed}
