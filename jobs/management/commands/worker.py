"""Run background tasks, and sweep for stranded work every few seconds.

This wraps django-tasks-db's worker: the tasks themselves are run by its
loop, and a thread beside it runs the registered sweeps (see jobs.sweeps),
so that a job whose worker was killed, or an email waiting for a retry, is
enqueued again.
"""
import logging
import os
import socket
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker

from jobs import sweeps

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run background tasks (emails, bulk issuing) until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Sweep once, run every ready task, then exit (for tests and cron).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between looks for new tasks when the queue is empty.",
        )

    def handle(self, *args, batch: bool, interval: float, **options):
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        stop = threading.Event()

        # Sweep before the first task, so work stranded by a crash is back
        # in the queue when the loop starts.
        sweeps.run_all()
        if not batch:
            sweeper = threading.Thread(target=self._sweep_forever, args=(stop,), daemon=True)
            sweeper.start()

        worker = Worker(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        logger.info("Worker %s started", worker_id)
        try:
            worker.run()
        finally:
            stop.set()
            worker.reset_signals()

    def _sweep_forever(self, stop: threading.Event) -> None:
        while not stop.wait(settings.MERKKIPAJA_WORKER_SWEEP_SECONDS):
            try:
                sweeps.run_all()
            finally:
                # This thread has its own connection; close it between
                # sweeps so a restarted database does not leave it broken.
                connection.close()
