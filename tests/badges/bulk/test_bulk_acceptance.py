"""A 1,000-row file with errors: preview, fix, issue once, upload again and issue nothing."""
import collections
import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from badges.bulk.models import BulkJob, JobStatus, RowStatus
from badges.models import Credential
from tests.badges.bulk.helpers import csv_bytes, run_worker
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ROWS = 1000
DAY = datetime.date.today() - datetime.timedelta(days=3)
FUTURE = datetime.date.today() + datetime.timedelta(days=30)

# Row index → (broken cells, expected column label on the preview page).
BREAKERS = [
    (lambda row: row.__setitem__(1, "ei-osoite@"), "Sähköposti (sarake B)"),
    (lambda row: row.__setitem__(4, "31.2.2026"), "Myöntämispäivä (sarake E)"),
    (lambda row: row.__setitem__(3, "www.example.org/naytto"), "Näytön osoite (sarake D)"),
    (lambda row: row.__setitem__(0, ""), "Nimi (sarake A)"),
    (lambda row: row.__setitem__(4, FUTURE.strftime("%d.%m.%Y")), "Myöntämispäivä (sarake E)"),
    (lambda row: row.__setitem__(5, "saksa"), "Kieli (sarake F)"),
    (lambda row: row.__setitem__(0, "=HYPERLINK(\"x\")"), "Nimi (sarake A)"),
]


def good_row(index: int) -> list[str]:
    return [
        f"Saaja {index:04d} Meikäläinen",
        f"saaja{index}@example.org" if index % 3 else "",
        f"Näyttö {index}",
        f"https://example.org/naytto/{index}" if index % 2 else "",
        DAY.strftime("%d.%m.%Y") if index % 4 else DAY.isoformat(),
        ["fi", "sv", "en", ""][index % 4],
    ]


def build_file() -> tuple[list[list[str]], dict[int, str]]:
    """Return rows with an error in every 40th row, and the expected errors by spreadsheet row number."""
    rows, expected = [], {}
    for index in range(ROWS):
        row = good_row(index)
        if index % 40 == 7:
            breaker, column = BREAKERS[(index // 40) % len(BREAKERS)]
            breaker(row)
            expected[index + 2] = column
        rows.append(row)
    return rows, expected


def upload(client, organisation, badge, rows, replaces=None):
    data = {"badge": badge.pk, "default_language": "fi",
            "file": SimpleUploadedFile("kurssi.csv", csv_bytes(rows))}
    if replaces:
        data["replaces"] = str(replaces)
    response = client.post(reverse("staff:bulk_upload", args=[organisation.slug]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return BulkJob.objects.order_by("-created_at").first(), client.get(response["Location"]).content.decode()


def error_cells(page: str) -> dict[int, str]:
    table = page.split('class="table bulk-errors"', 1)[1].split("</table>", 1)[0]
    return {int(number): column for number, column in re.findall(r"<td>(\d+)</td>\s*<td>([^<]+)</td>", table)}


def test_thousand_rows_preview_fix_issue_once(client, organisation, badge, staff, django_capture_on_commit_callbacks):
    client.login(username=staff["instructor"].username, password=PASSWORD)
    rows, expected = build_file()
    # The last row (spreadsheet row 1001) repeats row 11 in another case and with other evidence.
    duplicate = good_row(9)
    duplicate[0] = duplicate[0].upper()
    duplicate[2] = "Toinen näyttö"
    rows[-1] = duplicate

    job, page = upload(client, organisation, badge, rows)

    assert error_cells(page) == expected
    assert job.rows.filter(status=RowStatus.INVALID).count() == len(expected)
    assert job.rows.get(number=ROWS + 1).status == RowStatus.DUPLICATE
    assert "Rivi 1001 on sama kuin rivi 11" in page
    assert Credential.objects.count() == 0

    # Fix most rows; delete the one whose name is missing.
    fixed = []
    for index, row in enumerate(rows):
        if index + 2 in expected:
            if row[0] == "":
                continue
            row = good_row(index)
        fixed.append(row)
    job, page = upload(client, organisation, badge, fixed, replaces=job.pk)

    assert BulkJob.objects.count() == 1
    assert 'class="table bulk-errors"' not in page
    to_issue = job.rows.filter(status=RowStatus.PENDING).count()
    assert to_issue == len(fixed) - 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("staff:bulk_start", args=[organisation.slug, job.pk]))
    run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert Credential.objects.count() == to_issue
    keys = collections.Counter(Credential.objects.values_list("issue_key", flat=True))
    assert len(keys) == to_issue
    assert max(keys.values()) == 1
    assert set(keys) == set(job.rows.filter(status=RowStatus.ISSUED).values_list("issue_key", flat=True))
    assert Credential.objects.filter(recipient_name="Saaja 0009 Meikäläinen").count() == 1

    again, page = upload(client, organisation, badge, fixed)

    assert again.rows.filter(status=RowStatus.EXISTING).count() == to_issue
    assert again.rows.filter(status=RowStatus.PENDING).count() == 0
    assert "Yhtään riviä ei voi myöntää." in page
    assert page.count("avaa merkki") == to_issue
    client.post(reverse("staff:bulk_start", args=[organisation.slug, again.pk]))
    run_worker()
    assert Credential.objects.count() == to_issue
