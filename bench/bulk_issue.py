"""Time bulk issuing: the preview of a large file and the issuing of each row.

Usage: .venv/bin/python bench/bulk_issue.py [--preview-rows N] [--rows N]
(set DATABASE_URL to benchmark PostgreSQL). Like bench/issue_verify.py it
creates a throwaway organisation in the database DATABASE_URL names, so
point it at a scratch database. Prints JSON.

The job's rows are compared with plain ``credential_issue`` calls measured
in the same run, so the ratio shows what the job machinery (row locks,
heartbeat, row bookkeeping, the claim email) adds to each badge, whatever
the machine's load.
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

from badges.bulk import services as bulk  # noqa: E402
from badges.bulk.models import JobSource  # noqa: E402
from badges.demo_images import emblem_svg  # noqa: E402
from badges.models import BadgeStatus  # noqa: E402
from badges.services import BadgeContent, badge_create, credential_issue  # noqa: E402
from issuers.images import clean_image  # noqa: E402
from issuers.services import image_store, organisation_create  # noqa: E402


def csv_file(rows: int, offset: int = 0) -> bytes:
    lines = ["nimi;sähköposti;näytön kuvaus;myöntämispäivä"]
    for number in range(offset, offset + rows):
        lines.append(f"Saaja {number};saaja{number}@example.org;Osallistui kurssille.;1.12.2026")
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def make_badge():
    suffix = uuid.uuid4().hex[:8]
    organisation = organisation_create(
        slug=f"bench-{suffix}", name="Bench", url="https://bench.example", email="bench@example.org"
    )
    image = image_store(image=clean_image(emblem_svg("B", "#333333")))
    return badge_create(
        organisation=organisation,
        slug="bench",
        status=BadgeStatus.PUBLISHED,
        content=BadgeContent(name="Bench", description="Benchmark badge", image=image,
                             learning_outcomes=["osaa mitata"], assessment_criteria=["mittaa"]),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--preview-rows", type=int, default=1000, help="rows in the previewed file (default 1000)")
    parser.add_argument("--rows", type=int, default=40, help="rows issued by the job and directly (default 40)")
    parser.add_argument("--repeat", type=int, default=3, help="preview runs (default 3)")
    arguments = parser.parse_args()

    call_command("migrate", verbosity=0)
    badge = make_badge()

    preview_times = []
    for _ in range(arguments.repeat):
        started = time.perf_counter()
        table = bulk.parse_upload(csv_file(arguments.preview_rows), "ryhma.csv")
        job = bulk.job_create(badge=badge, table=table, source=JobSource.FILE, file_name="ryhma.csv")
        preview_times.append(time.perf_counter() - started)
        bulk.job_discard(job=job)

    direct_times = []
    for number in range(arguments.rows):
        started = time.perf_counter()
        credential_issue(badge=badge, recipient_name=f"Suora {number}", recipient_email=f"suora{number}@example.org")
        direct_times.append(time.perf_counter() - started)

    # The command's source: a trusted operator, so no staff account is needed.
    table = bulk.parse_upload(csv_file(arguments.rows, offset=100000), "ryhma.csv")
    job = bulk.job_create(badge=badge, table=table, source=JobSource.COMMAND, file_name="ryhma.csv")
    bulk.job_start(job=job, enqueue=False)
    row_times = []
    last = [time.perf_counter()]

    def on_row(_job):
        now = time.perf_counter()
        row_times.append(now - last[0])
        last[0] = now

    counts = bulk.job_process(job.pk, on_row=on_row)
    assert counts.get("issued") == arguments.rows, counts

    direct = statistics.median(direct_times)
    per_row = statistics.median(row_times)
    print(json.dumps({
        "database": django.db.connection.vendor,
        "preview_rows": arguments.preview_rows,
        "preview_median_ms": round(statistics.median(preview_times) * 1000, 1),
        "rows": arguments.rows,
        "issue_direct_median_ms": round(direct * 1000, 1),
        "bulk_row_median_ms": round(per_row * 1000, 1),
        "bulk_over_direct_ratio": round(per_row / direct, 2),
    }))


if __name__ == "__main__":
    main()
