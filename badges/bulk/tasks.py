"""The background task that issues a bulk job's rows."""
from django_tasks import task

from .services import job_process


@task()
def run_bulk_job(job_id: str) -> dict:
    counts = job_process(job_id)
    return {"issued": counts["issued"], "existing": counts["existing"], "failed": counts["failed"]}
