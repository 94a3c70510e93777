"""The bulk_issue command: dry run, issuing, re-running and its exit status."""
import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from badges.bulk.models import BulkJob
from badges.models import Credential
from tests.badges.bulk.helpers import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

DAY = datetime.date.today() - datetime.timedelta(days=2)
GOOD = [
    ["Aino Aalto", "aino@example.org", "", "", DAY.strftime("%d.%m.%Y"), "fi"],
    ["Bertil Berg", "", "", "", DAY.isoformat(), "sv"],
]


def run(path, *arguments) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command("bulk_issue", str(path), *arguments, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_dry_run_with_errors_fails(tmp_path, badge):
    path = tmp_path / "lista.csv"
    path.write_bytes(csv_bytes([*GOOD, ["Cecilia", "cecilia@", "", "", "", ""]]))
    stdout = StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("bulk_issue", str(path), "--badge", badge.slug, "--dry-run", stdout=stdout)

    assert raised.value.returncode == 1
    output = stdout.getvalue()
    assert "Row 2: ready to issue" in output
    assert "Row 4: error" in output
    assert "Sähköposti (column B): The email address is not valid." in output
    assert "3 rows: 2 to issue" in output
    assert Credential.objects.count() == 0
    assert BulkJob.objects.count() == 0


def test_issue_then_rerun_reports_existing(tmp_path, badge):
    path = tmp_path / "lista.xlsx"
    path.write_bytes(xlsx_bytes(GOOD))

    stdout, stderr = run(path, "--badge", str(badge.pk), "--organisation", badge.organisation.slug)

    assert "Row 2: issued (credential" in stdout
    assert "Row 3: issued" in stdout
    assert "Issued 2/2" in stderr
    assert Credential.objects.count() == 2
    assert Credential.objects.get(recipient_name="Bertil Berg").recipient_language == "sv"

    stdout, _stderr = run(path, "--badge", badge.slug)

    assert "Row 2: already issued, skipped" in stdout
    assert "0 issued, 2 already issued" in stdout
    assert Credential.objects.count() == 2


def test_clean_dry_run_succeeds(tmp_path, badge):
    path = tmp_path / "lista.csv"
    path.write_bytes(csv_bytes(GOOD, delimiter=",", bom=False))

    stdout, _stderr = run(path, "--badge", badge.slug, "--dry-run")

    assert "2 rows: 2 to issue" in stdout
    assert Credential.objects.count() == 0


def test_unknown_badge_and_bad_file(tmp_path, badge):
    path = tmp_path / "lista.csv"
    path.write_bytes(b"Puhelin\r\n123\r\n")

    with pytest.raises(CommandError, match="not found"):
        run(path, "--badge", "ei-ole")
    with pytest.raises(CommandError, match="no column for the recipient's name"):
        run(path, "--badge", badge.slug)
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "missing.csv", "--badge", badge.slug)
