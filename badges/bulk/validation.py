"""Check raw rows and compute each row's idempotency key.

What counts as "the same row": the same badge, the same recipient name
(Unicode NFC, white space collapsed, case ignored), the same email
(lower-cased, or empty) and the same issue date. Evidence and language
do not count, so fixing a typo in the evidence of an issued row does not
issue it again.
"""
from __future__ import annotations

import datetime
import hashlib
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from ..openbadges.recipient import normalize_email
from ..services import EARLIEST_ISSUE_DATE, MAX_EVIDENCE_NARRATIVE, MAX_EVIDENCE_URL, MAX_RECIPIENT_NAME
from .parsing import RawRow, looks_like_formula, parse_date

MAX_EMAIL = 254
# The template's example row: a row with this email is rejected, so that a
# forgotten example row is not issued to a made-up person.
EXAMPLE_EMAIL = "maija.meikalainen@example.fi"

LANGUAGE_ALIASES = {
    "fi": "fi", "suomi": "fi", "finska": "fi", "finnish": "fi", "fin": "fi",
    "sv": "sv", "ruotsi": "sv", "svenska": "sv", "swedish": "sv", "swe": "sv", "se": "sv",
    "en": "en", "englanti": "en", "engelska": "en", "english": "en", "eng": "en",
}


@dataclass
class CheckedRow:
    number: int
    name: str = ""
    email: str = ""
    language: str = "fi"
    evidence_narrative: str = ""
    evidence_url: str = ""
    issued_on: datetime.date | None = None
    issue_key: str = ""
    errors: list[dict] = field(default_factory=list)
    duplicate_of: int | None = None

    def add_error(self, column: str, code: str, value="", **params) -> None:
        self.errors.append({"column": column, "code": code, "params": params, "value": str(value)[:200]})


def normalise_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split())


def issue_key(*, badge_public_id, name: str, email: str, issued_on: datetime.date) -> str:
    """Return the hex SHA-256 that identifies one issuing of a badge to one person on one day."""
    parts = ["merkkipaja-issue-v1", str(badge_public_id), normalise_name(name).casefold(),
             normalize_email(email), issued_on.isoformat()]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def check_row(raw: RawRow, *, badge_public_id, default_language: str, today: datetime.date) -> CheckedRow:
    """Check one row's cells; the row's ``errors`` list every problem found."""
    values = raw.values
    row = CheckedRow(number=raw.number)
    text = {name: value for name, value in values.items() if isinstance(value, str)}
    for column, value in text.items():
        if looks_like_formula(value):
            row.add_error(column, "formula", value)

    row.name = _check_name(row, text.get("name", ""))
    row.email = _check_email(row, text.get("email", ""))
    row.evidence_narrative = _check_narrative(row, text.get("evidence_narrative", ""))
    row.evidence_url = _check_url(row, text.get("evidence_url", ""))
    row.issued_on = _check_date(row, values.get("issued_on", ""), today)
    row.language = _check_language(row, text.get("language", ""), default_language)
    if row.email == EXAMPLE_EMAIL:
        row.add_error("", "example_row")
    if not row.errors:
        row.issue_key = issue_key(
            badge_public_id=badge_public_id, name=row.name, email=row.email, issued_on=row.issued_on
        )
    return row


def mark_duplicates(rows: list[CheckedRow]) -> None:
    """Point each valid row that repeats an earlier valid row at that row's number."""
    first_by_key: dict[str, int] = {}
    for row in rows:
        if not row.issue_key:
            continue
        if row.issue_key in first_by_key:
            row.duplicate_of = first_by_key[row.issue_key]
        else:
            first_by_key[row.issue_key] = row.number


def _failed_formula(row: CheckedRow, column: str) -> bool:
    return any(error["column"] == column and error["code"] == "formula" for error in row.errors)


def _check_name(row: CheckedRow, value: str) -> str:
    name = normalise_name(value)
    if _failed_formula(row, "name"):
        return name
    if not name:
        row.add_error("name", "name_missing")
    elif len(name) > MAX_RECIPIENT_NAME:
        row.add_error("name", "too_long", name[:40] + "…", length=len(name), max=MAX_RECIPIENT_NAME)
    return name


def _check_email(row: CheckedRow, value: str) -> str:
    email = normalize_email(value)
    if not email or _failed_formula(row, "email"):
        return email
    if len(email) > MAX_EMAIL:
        row.add_error("email", "too_long", email[:40] + "…", length=len(email), max=MAX_EMAIL)
        return email
    try:
        validate_email(email)
    except ValidationError:
        row.add_error("email", "email_invalid", value)
    return email


def _check_narrative(row: CheckedRow, value: str) -> str:
    if len(value) > MAX_EVIDENCE_NARRATIVE:
        row.add_error("evidence_narrative", "too_long", value[:40] + "…",
                      length=len(value), max=MAX_EVIDENCE_NARRATIVE)
    return value


def _check_url(row: CheckedRow, value: str) -> str:
    if not value or _failed_formula(row, "evidence_url"):
        return value
    if len(value) > MAX_EVIDENCE_URL:
        row.add_error("evidence_url", "too_long", value[:40] + "…", length=len(value), max=MAX_EVIDENCE_URL)
        return value
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        row.add_error("evidence_url", "url_invalid", value)
    return value


def _check_date(row: CheckedRow, value, today: datetime.date) -> datetime.date | None:
    if value in ("", None):
        # A row without a date is issued on the day of the upload.
        return today
    if isinstance(value, str) and _failed_formula(row, "issued_on"):
        return None
    try:
        issued_on = parse_date(value)
    except ValueError:
        row.add_error("issued_on", "date_invalid", value)
        return None
    if issued_on > today:
        row.add_error("issued_on", "date_future", issued_on.strftime("%d.%m.%Y"))
    elif issued_on < EARLIEST_ISSUE_DATE:
        row.add_error("issued_on", "date_too_old", issued_on.strftime("%d.%m.%Y"))
    return issued_on


def _check_language(row: CheckedRow, value: str, default_language: str) -> str:
    if not value:
        return default_language
    language = LANGUAGE_ALIASES.get(value.strip().casefold())
    if language is None or language not in dict(settings.LANGUAGES):
        row.add_error("language", "language_invalid", value)
        return default_language
    return language
