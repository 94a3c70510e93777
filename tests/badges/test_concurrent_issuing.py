"""Status indexes stay unique when several processes issue at once (PostgreSQL)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from badges.models import Credential, StatusListEntry

SCRIPT = Path(__file__).with_name("concurrent_issue.py")
WORKERS = 4
PER_WORKER = 250

pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    settings = connection.settings_dict
    user = settings.get("USER") or "postgres"
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or "5432"
    return f"postgresql://{user}@{host}:{port}/{settings['NAME']}"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Concurrent writers from several processes are a PostgreSQL deployment; make test-postgres runs this.",
)
def test_thousand_badges_from_four_processes(badge):
    environment = dict(os.environ, DATABASE_URL=database_url())
    processes = [
        subprocess.Popen(
            [sys.executable, str(SCRIPT), str(badge.pk), str(PER_WORKER), str(worker)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )
        for worker in range(WORKERS)
    ]
    indexes = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr[-2000:]
        indexes.extend(json.loads(stdout.strip().splitlines()[-1]))

    assert len(indexes) == WORKERS * PER_WORKER
    assert len(set(indexes)) == len(indexes)
    assert Credential.objects.count() == WORKERS * PER_WORKER
    assert StatusListEntry.objects.count() == WORKERS * PER_WORKER
    # Random allocation: the indexes are not in issue order.
    assert indexes[:PER_WORKER] != sorted(indexes[:PER_WORKER])
