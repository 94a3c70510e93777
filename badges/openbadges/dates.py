"""Timestamps in credentials: XSD dateTime with a mandatory time zone.

Validators reject a timestamp without a zone, so every timestamp we write
is UTC with a ``Z`` suffix and whole seconds::

    2026-12-04T10:00:00Z

Reading accepts any offset and fractional seconds, but never a missing zone.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime, timedelta, timezone

from .errors import InvalidDateTimeError

__all__ = ["InvalidDateTimeError", "add_months", "format_datetime", "parse_datetime"]

# XSD dateTimeStamp as the VC Data Model 2.0 restricts it: four-digit year,
# upper-case T and Z, offsets within ±14:00, and 24:00:00 for end of day.
_DATETIME_STAMP = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"T(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]+))?"
    r"(?:(?P<utc>Z)|(?P<sign>[+-])(?P<offset_hour>[0-9]{2}):(?P<offset_minute>[0-9]{2}))"
)
_MAX_OFFSET = timedelta(hours=14)


def format_datetime(dt: datetime) -> str:
    """Format an aware datetime as UTC with a ``Z`` suffix.

    Microseconds are truncated. Raises ``ValueError`` for a naive datetime,
    because its instant is unknown.
    """
    if not isinstance(dt, datetime):
        raise TypeError(f"Expected a datetime, got {type(dt).__name__}.")
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"Datetime {dt.isoformat()} is naive; pass an aware datetime such as one in UTC.")
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(text: str) -> datetime:
    """Parse an XSD dateTime with a time zone into an aware datetime.

    The result keeps the offset written in ``text``. Raises
    ``InvalidDateTimeError`` for anything else, including a missing zone.
    """
    if not isinstance(text, str):
        raise InvalidDateTimeError(
            f"Timestamp must be a string, not {type(text).__name__}.", value=text
        )
    match = _DATETIME_STAMP.fullmatch(text)
    if match is None:
        raise InvalidDateTimeError(
            f"Timestamp {text!r} is not an XSD dateTime with a time zone, "
            "such as 2026-12-04T10:00:00Z or 2026-12-04T12:00:00+02:00.",
            value=text,
        )
    try:
        return _datetime_from_match(match)
    except ValueError as exc:
        raise InvalidDateTimeError(f"Timestamp {text!r} is out of range: {exc}.", value=text) from exc


def add_months(dt: datetime, months: int) -> datetime:
    """Return ``dt`` moved by ``months`` calendar months.

    The day is clamped to the end of a shorter month, so January 31 plus
    one month is February 28, or February 29 in a leap year.
    """
    month_index = dt.month - 1 + months
    year = dt.year + month_index // 12
    month = month_index % 12 + 1
    day = min(dt.day, calendar.monthrange(year, month)[1])
    return dt.replace(year=year, month=month, day=day)


def _datetime_from_match(match: re.Match[str]) -> datetime:
    """Build the datetime; raises ValueError for out-of-range fields."""
    offset = timedelta(0)
    if match["utc"] is None:
        offset = timedelta(hours=int(match["offset_hour"]), minutes=int(match["offset_minute"]))
        if offset > _MAX_OFFSET:
            raise ValueError("the time zone offset exceeds 14:00")
        if match["sign"] == "-":
            offset = -offset

    # Python keeps microseconds, so extra fraction digits are truncated.
    microsecond = int((match["fraction"] or "0")[:6].ljust(6, "0"))
    hour = int(match["hour"])
    end_of_day = hour == 24
    if end_of_day:
        if (match["minute"], match["second"]) != ("00", "00") or microsecond:
            raise ValueError("hour 24 is allowed only as 24:00:00")
        hour = 0

    result = datetime(
        int(match["year"]),
        int(match["month"]),
        int(match["day"]),
        hour,
        int(match["minute"]),
        int(match["second"]),
        microsecond,
        tzinfo=timezone(offset),
    )
    return result + timedelta(days=1) if end_of_day else result
