"""Time issuing and verifying credentials against the configured database.

Usage: .venv/bin/python bench/issue_verify.py [--count N]
(set DATABASE_URL to benchmark PostgreSQL). It creates a throwaway
organisation in a database named by DATABASE_URL, so point it at a scratch
database, never at production. Prints medians in milliseconds as JSON.
"""
import argparse
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from badges.demo_images import emblem_svg  # noqa: E402
from badges.models import BadgeStatus  # noqa: E402
from badges.services import BadgeContent, badge_create, credential_issue  # noqa: E402
from badges.verification import verify_document, verify_submission  # noqa: E402
from issuers.images import clean_image  # noqa: E402
from issuers.services import image_store, organisation_create  # noqa: E402


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=50, help="credentials to issue and verify (default 50)")
    arguments = parser.parse_args()

    call_command("migrate", verbosity=0)
    suffix = uuid.uuid4().hex[:8]
    organisation = organisation_create(
        slug=f"bench-{suffix}", name="Bench", url="https://bench.example", email="bench@example.org"
    )
    image = image_store(image=clean_image(emblem_svg("B", "#333333")))
    badge = badge_create(
        organisation=organisation,
        slug="bench",
        status=BadgeStatus.PUBLISHED,
        content=BadgeContent(
            name="Bench",
            description="Benchmark badge",
            image=image,
            learning_outcomes=["osaa mitata"],
            assessment_criteria=["mittaa"],
        ),
    )

    issue_times, verify_times, full_times = [], [], []
    for number in range(arguments.count):
        started = time.perf_counter()
        credential = credential_issue(badge=badge, recipient_name=f"Earner {number}", recipient_email="e@example.org")
        issue_times.append(time.perf_counter() - started)

        document = json.loads(credential.document)
        started = time.perf_counter()
        result = verify_document(document)
        verify_times.append(time.perf_counter() - started)
        assert result.valid, result.to_dict()

        # The verifier page's path: input detection, schema, proof, keys and
        # the status list, all resolved in-process for our own badges.
        started = time.perf_counter()
        full = verify_submission(credential.document.encode("utf-8"))
        full_times.append(time.perf_counter() - started)
        assert full.valid, full.to_dict()

    print(json.dumps({
        "database": django.db.connection.vendor,
        "count": arguments.count,
        "issue_median_ms": median_ms(issue_times),
        "verify_median_ms": median_ms(verify_times),
        "verify_submission_median_ms": median_ms(full_times),
    }))


if __name__ == "__main__":
    main()
