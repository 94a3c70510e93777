from datetime import UTC, datetime, timedelta, timezone

import pytest

from badges.openbadges.dates import InvalidDateTimeError, add_months, format_datetime, parse_datetime

HELSINKI_SUMMER = timezone(timedelta(hours=3))


def test_format_utc():
    assert format_datetime(datetime(2026, 12, 4, 10, 0, tzinfo=UTC)) == "2026-12-04T10:00:00Z"


def test_format_converts_offset_to_utc():
    assert format_datetime(datetime(2026, 6, 1, 9, 30, 15, tzinfo=HELSINKI_SUMMER)) == "2026-06-01T06:30:15Z"


def test_format_truncates_microseconds():
    assert format_datetime(datetime(2026, 12, 4, 10, 0, 0, 999999, tzinfo=UTC)) == "2026-12-04T10:00:00Z"


def test_format_rejects_naive():
    with pytest.raises(ValueError, match="naive"):
        format_datetime(datetime(2026, 12, 4, 10, 0))


def test_format_rejects_date():
    with pytest.raises(TypeError):
        format_datetime("2026-12-04T10:00:00Z")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-04T10:00:00Z", datetime(2026, 12, 4, 10, 0, tzinfo=UTC)),
        ("2026-12-04T12:00:00+02:00", datetime(2026, 12, 4, 10, 0, tzinfo=UTC)),
        ("2026-12-04T05:00:00-05:00", datetime(2026, 12, 4, 10, 0, tzinfo=UTC)),
        ("2026-12-04T10:00:00.5Z", datetime(2026, 12, 4, 10, 0, 0, 500000, tzinfo=UTC)),
        ("2026-12-04T10:00:00.1234567Z", datetime(2026, 12, 4, 10, 0, 0, 123456, tzinfo=UTC)),
        ("2026-12-04T24:00:00Z", datetime(2026, 12, 5, 0, 0, tzinfo=UTC)),
        ("2026-12-04T10:00:00+14:00", datetime(2026, 12, 3, 20, 0, tzinfo=UTC)),
    ],
)
def test_parse_valid(text, expected):
    assert parse_datetime(text) == expected


def test_parse_keeps_written_offset():
    assert parse_datetime("2026-12-04T12:00:00+02:00").utcoffset() == timedelta(hours=2)


def test_parse_result_is_aware():
    assert parse_datetime("2026-12-04T10:00:00Z").tzinfo is not None


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-04T10:00:00",
        "2026-12-04",
        "2026-12-04 10:00:00Z",
        "2026-12-04t10:00:00z",
        "20261204T100000Z",
        "2026-12-04T10:00Z",
        "2026-12-04T10:00:00+0200",
        "2026-12-04T10:00:00+15:00",
        "2026-02-30T10:00:00Z",
        "2026-12-04T24:00:01Z",
        "2026-12-04T10:00:00Z ",
        "",
    ],
)
def test_parse_rejects(text):
    with pytest.raises(InvalidDateTimeError) as caught:
        parse_datetime(text)

    assert caught.value.value == text
    assert caught.value.code == "invalid_date"


def test_parse_rejects_non_string():
    with pytest.raises(InvalidDateTimeError):
        parse_datetime(1764842400)


def test_parse_error_names_value_and_rule():
    with pytest.raises(InvalidDateTimeError, match=r"'2026-12-04T10:00:00' is not an XSD dateTime with a time zone"):
        parse_datetime("2026-12-04T10:00:00")


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime(2027, 1, 31, tzinfo=UTC), 1, datetime(2027, 2, 28, tzinfo=UTC)),
        (datetime(2028, 1, 31, tzinfo=UTC), 1, datetime(2028, 2, 29, tzinfo=UTC)),
        (datetime(2026, 8, 31, tzinfo=UTC), 1, datetime(2026, 9, 30, tzinfo=UTC)),
        (datetime(2026, 12, 4, 10, tzinfo=UTC), 1, datetime(2027, 1, 4, 10, tzinfo=UTC)),
        (datetime(2026, 12, 4, tzinfo=UTC), 24, datetime(2028, 12, 4, tzinfo=UTC)),
        (datetime(2028, 2, 29, tzinfo=UTC), 12, datetime(2029, 2, 28, tzinfo=UTC)),
        (datetime(2026, 3, 31, tzinfo=UTC), -1, datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), 0, datetime(2026, 1, 15, tzinfo=UTC)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_add_months_keeps_zone():
    start = datetime(2026, 1, 31, 12, tzinfo=HELSINKI_SUMMER)

    assert add_months(start, 1).tzinfo is HELSINKI_SUMMER
