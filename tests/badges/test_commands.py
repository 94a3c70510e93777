import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from badges.models import BadgeClass, Credential
from issuers.models import Membership, Organisation


def run_issue(**options) -> dict:
    from io import StringIO

    output = StringIO()
    call_command("issue_badge", stdout=output, **options)
    return json.loads(output.getvalue())


def run_verify(path) -> tuple[int, dict]:
    from io import StringIO

    output = StringIO()
    try:
        call_command("verify_badge", str(path), stdout=output)
        status = 0
    except SystemExit as exit_status:
        status = exit_status.code
    return status, json.loads(output.getvalue())


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    call_command("seed_demo", stdout=open("/dev/null", "w"))

    # The demo organisation and the network it may issue under.
    assert Organisation.objects.filter(is_network=False).count() == 1
    assert Organisation.objects.filter(is_network=True).count() == 1
    assert Membership.objects.count() == 3
    assert BadgeClass.objects.count() == 3
    for badge in BadgeClass.objects.all():
        version = badge.latest_version
        assert version.kapos_code.startswith("osaamismerkit_")
        assert version.learning_outcomes
        assert version.assessment_criteria
        assert version.translations["sv"]["learning_outcomes"]


@pytest.mark.django_db
def test_seed_demo_uses_official_texts():
    call_command("seed_demo", stdout=open("/dev/null", "w"))

    version = BadgeClass.objects.get(slug="digitaalinen-tiedonhaku").latest_version
    assert version.learning_outcomes == [
        "osaa hakea tietoa digitaalisista ympäristöistä",
        "osaa arvioida tietolähteiden ja tiedon luotettavuutta",
    ]
    assert version.translations["sv"]["name"] == "Digital informationssökning"


def test_issue_then_verify(badge, tmp_path):
    document = run_issue(badge=badge.slug, name="Maija", email="maija@example.fi", evidence="Näyttö")
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    status, result = run_verify(path)

    assert status == 0
    assert result["valid"] is True
    assert Credential.objects.count() == 1


def test_issue_unknown_badge(db):
    with pytest.raises(CommandError, match="not found"):
        run_issue(badge="no-such-badge", name="Maija")


def test_issue_draft_badge(draft_badge):
    with pytest.raises(CommandError, match="not published|ei ole julkaistu"):
        run_issue(badge=draft_badge.slug, name="Maija")


def test_issue_bad_date(badge):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run_issue(badge=badge.slug, name="Maija", date="4.12.2026")


def test_any_changed_character_fails(badge, tmp_path):
    """Change one character at a time across the whole document: every change must fail."""
    text = json.dumps(run_issue(badge=badge.slug, name="Maija", email="maija@example.fi"), ensure_ascii=False)
    path = tmp_path / "credential.json"
    candidates = [index for index, char in enumerate(text) if char.isalnum()]
    # Every 7th letter or digit: about 300 positions across every field,
    # the proof and the signature included.
    positions = candidates[::7]

    for position in positions:
        original = text[position]
        replacement = "X" if original != "X" else "Y"
        path.write_text(text[:position] + replacement + text[position + 1:], encoding="utf-8")
        status, result = run_verify(path)
        assert status == 1, f"changing {original!r} at {position} still verified"
        assert result["valid"] is False


def test_verify_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("verify_badge", str(tmp_path / "missing.json"))


def test_verify_not_json(db, tmp_path):
    path = tmp_path / "x.json"
    path.write_bytes(b"\x00\x01 not json")

    status, result = run_verify(path)

    assert status == 1
    assert result["checks"][0]["code"] == "input"
    assert result["checks"][0]["reason"] == "unrecognized_input"


def test_verify_command_as_subprocess(badge, tmp_path, settings):
    """The documented shell use: exit status 0 for valid, 1 for invalid."""
    document = run_issue(badge=badge.slug, name="Maija")
    path = tmp_path / "c.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    # A subprocess cannot see the test database, so this checks the exit
    # status of a file that fails before any key lookup.
    path.write_text("{}", encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "manage.py", "verify_badge", str(path)], capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 1
    assert json.loads(completed.stdout)["valid"] is False
