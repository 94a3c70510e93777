"""Helpers for the bulk issuing tests: CSV text and XLSX bytes from rows."""
import io

HEADER = ["Nimi", "Sähköposti", "Näytön kuvaus", "Näytön osoite", "Myöntämispäivä", "Kieli"]


def csv_bytes(rows, *, header=HEADER, delimiter=";", bom=True) -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(str(cell) for cell in row) for row in rows]
    text = "\r\n".join(lines) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def xlsx_bytes(rows, *, header=HEADER) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def run_worker() -> None:
    """Run every ready task once, as ``manage.py worker --batch`` does.

    Outside a transaction this calls the command itself. Inside a test's
    transaction the command's close_old_connections() would close that
    connection (PostgreSQL, or SQLite in a file), so the worker's own task
    runner runs each task instead.
    """
    from django.core.management import call_command
    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    if not connection.in_atomic_block:
        call_command("worker", batch=True, verbosity=0)
        return
    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="test-worker", excluded_queue_names=[])
    while (result := DBTaskResult.objects.ready().first()) is not None:
        result.claim("test-worker")
        worker.run_task(result)
