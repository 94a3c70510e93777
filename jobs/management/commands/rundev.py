"""Development server and background worker in one command, for `make run`.

The worker runs as a child process so that Ctrl+C or the end of this
command stops both. Production runs them as separate services (README).
"""
import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the development web server and a background worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options):
        # runserver's autoreloader runs this command again in a child
        # process (RUN_MAIN is set there); only the outer one starts a worker.
        if os.environ.get("RUN_MAIN") == "true":
            call_command("runserver", addrport)
            return

        worker = subprocess.Popen([sys.executable, "manage.py", "worker"])
        try:
            call_command("runserver", addrport)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
