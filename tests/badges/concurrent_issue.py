"""Issue badges from a separate process, for the concurrency test.

Usage: python tests/badges/concurrent_issue.py BADGE_ID COUNT WORKER_NUMBER
with DATABASE_URL naming the test database. Prints the status indexes it got.
"""
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from badges.models import BadgeClass  # noqa: E402
from badges.services import credential_issue  # noqa: E402


def main() -> None:
    badge_id, count, worker = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    badge = BadgeClass.objects.select_related("organisation").get(pk=badge_id)
    indexes = []
    for number in range(count):
        credential = credential_issue(badge=badge, recipient_name=f"Worker {worker} earner {number}")
        indexes.append(int(json.loads(credential.document)["credentialStatus"]["statusListIndex"]))
    print(json.dumps(indexes))


if __name__ == "__main__":
    main()
