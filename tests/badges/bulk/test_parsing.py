"""Reading bulk issuing files: encodings, separators, XLSX, headers, dates and row checks."""
import datetime
import uuid

import pytest

from badges.bulk.parsing import FileProblem, column_letter, parse_date, read_table, read_typed_list
from badges.bulk.validation import check_row, issue_key, mark_duplicates
from tests.badges.bulk.helpers import csv_bytes, xlsx_bytes

LIMITS = {"max_bytes": 100_000, "max_rows": 50}
TODAY = datetime.date(2026, 12, 4)
BADGE_ID = uuid.UUID("12345678-1234-5678-1234-567812345678")
ROW = ["Maija Meikäläinen", "maija@example.org", "Haki tietoa.", "https://example.org/1", "3.12.2026", "fi"]


def check(table, index=0):
    return check_row(table.rows[index], badge_public_id=BADGE_ID, default_language="fi", today=TODAY)


def codes(row) -> list[tuple[str, str]]:
    return [(error["column"], error["code"]) for error in row.errors]


@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_encodings_and_separators(bom, delimiter):
    table = read_table(csv_bytes([ROW], delimiter=delimiter, bom=bom), "a.csv", **LIMITS)

    assert set(table.columns) == {"name", "email", "evidence_narrative", "evidence_url", "issued_on", "language"}
    assert table.columns["name"].header == "Nimi"
    assert table.rows[0].number == 2
    assert table.rows[0].values["name"] == "Maija Meikäläinen"
    assert table.rows[0].values["issued_on"] == "3.12.2026"


def test_csv_windows_1252():
    data = "Nimi;Sähköposti\r\nÄäpö Öljy;a@example.org\r\n".encode("cp1252")

    table = read_table(data, "a.csv", **LIMITS)

    assert table.rows[0].values["name"] == "Ääpö Öljy"


def test_comma_inside_quoted_name():
    data = 'Name,Email\r\n"Meikäläinen, Maija",maija@example.org\r\n'.encode()

    table = read_table(data, "a.csv", **LIMITS)

    assert table.rows[0].values == {"name": "Meikäläinen, Maija", "email": "maija@example.org"}


def test_xlsx_with_real_date():
    data = xlsx_bytes([["Maija", "maija@example.org", "Näyttö", "", datetime.datetime(2026, 11, 30), "sv"]])

    table = read_table(data, "lista.xlsx", **LIMITS)

    assert table.rows[0].values["issued_on"] == datetime.date(2026, 11, 30)
    assert table.rows[0].values["language"] == "sv"
    row = check(table)
    assert row.errors == []
    assert row.issued_on == datetime.date(2026, 11, 30)
    assert row.language == "sv"


def test_xlsx_formula_is_reported():
    data = xlsx_bytes([["=HYPERLINK(\"https://evil.example\",\"x\")", "", "", "", "", ""]])

    row = check(read_table(data, "lista.xlsx", **LIMITS))

    assert ("name", "formula") in codes(row)


@pytest.mark.parametrize(
    "header, field",
    [
        (["Namn", "E-post", "Bevis", "Länk", "Utfärdandedatum", "Språk"], None),
        (["Name", "E-mail", "Evidence", "Evidence URL", "Issue date", "Language"], None),
        (["NIMI *", "sähköposti (valinnainen)", "Näytön kuvaus", "Näytön osoite", "pvm", "kieli"], None),
    ],
)
def test_header_aliases(header, field):
    table = read_table(csv_bytes([ROW], header=header), "a.csv", **LIMITS)

    assert set(table.columns) == {"name", "email", "evidence_narrative", "evidence_url", "issued_on", "language"}
    assert table.columns["email"].header == header[1]
    assert table.columns["email"].letter == "B"


def test_unknown_header_is_ignored():
    table = read_table(csv_bytes([["Maija", "x"]], header=["Nimi", "Puhelin"]), "a.csv", **LIMITS)

    assert table.ignored_headers == ["Puhelin"]
    assert table.rows[0].values == {"name": "Maija"}


@pytest.mark.parametrize(
    "data, code",
    [
        (b"", "empty_file"),
        (b"   \r\n", "empty_file"),
        ("Puhelin;Osoite\r\n1;2\r\n".encode(), "missing_name_column"),
        ("Nimi;Sähköposti\r\n".encode(), "no_rows"),
        ("Nimi;Name\r\nA;B\r\n".encode(), "duplicate_column"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not_spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "old_excel"),
        (b"PK\x03\x04 this is no zip file", "xlsx_unreadable"),
        ("\ufeffNimi\r\n".encode("utf-16"), "not_spreadsheet"),
    ],
)
def test_unusable_files(data, code):
    with pytest.raises(FileProblem) as raised:
        read_table(data, "a.csv", **LIMITS)

    assert raised.value.code == code


def test_size_limit():
    with pytest.raises(FileProblem) as raised:
        read_table(csv_bytes([ROW] * 10), "a.csv", max_bytes=100, max_rows=50)

    assert raised.value.code == "too_large"
    assert raised.value.params["max"] == 100


def test_row_limit_counts_every_row():
    with pytest.raises(FileProblem) as raised:
        read_table(csv_bytes([ROW] * 12), "a.csv", max_bytes=100_000, max_rows=10)

    assert raised.value.code == "too_many_rows"
    assert raised.value.params == {"count": 12, "max": 10}


def test_empty_rows_skipped_and_numbers_kept():
    data = csv_bytes([ROW, ["", "", "", "", "", ""], [";;"], ["Ville", "", "", "", "", ""]])

    table = read_table(data, "a.csv", **LIMITS)

    assert [row.number for row in table.rows] == [2, 5]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("4.12.2026", datetime.date(2026, 12, 4)),
        ("04.12.2026", datetime.date(2026, 12, 4)),
        ("4.12.26", datetime.date(2026, 12, 4)),
        ("4.12.2026.", datetime.date(2026, 12, 4)),
        ("2026-12-04", datetime.date(2026, 12, 4)),
        ("2026-12-04 00:00:00", datetime.date(2026, 12, 4)),
        ("4.12.2026 0:00", datetime.date(2026, 12, 4)),
    ],
)
def test_dates_accepted(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["12/4/2026", "31.2.2026", "huomenna", "2026-13-01", "4.12"])
def test_bad_dates_rejected(text):
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize(
    "cells, expected",
    [
        (["", "", "", "", "", ""], [("name", "name_missing")]),
        (["M" * 201, "", "", "", "", ""], [("name", "too_long")]),
        (["Maija", "maija@", "", "", "", ""], [("email", "email_invalid")]),
        (["Maija", "a" * 250 + "@example.org", "", "", "", ""], [("email", "too_long")]),
        (["Maija", "", "x" * 5001, "", "", ""], [("evidence_narrative", "too_long")]),
        (["Maija", "", "", "ftp://example.org/x", "", ""], [("evidence_url", "url_invalid")]),
        (["Maija", "", "", "näyttö", "", ""], [("evidence_url", "url_invalid")]),
        (["Maija", "", "", "https://example.org/" + "x" * 1000, "", ""], [("evidence_url", "too_long")]),
        (["Maija", "", "", "", "32.1.2026", ""], [("issued_on", "date_invalid")]),
        (["Maija", "", "", "", "5.12.2026", ""], [("issued_on", "date_future")]),
        (["Maija", "", "", "", "31.12.1999", ""], [("issued_on", "date_too_old")]),
        (["Maija", "", "", "", "", "de"], [("language", "language_invalid")]),
        (["=1+2", "", "", "", "", ""], [("name", "formula")]),
        (["Maija", "", "@SUM(A1:A2)", "", "", ""], [("evidence_narrative", "formula")]),
        (["Maija", "", "- teki tehtävän", "", "", ""], []),
        (["Maija", "", "- Teki (ohjattuna)", "", "", ""], []),
        (["Maija", "", "+HYPERLINK(\"https://example.org\")", "", "", ""], [("evidence_narrative", "formula")]),
        (["Maija", "maija.meikalainen@example.fi", "", "", "", ""], [("", "example_row")]),
    ],
)
def test_row_errors(cells, expected):
    table = read_table(csv_bytes([cells]), "a.csv", **LIMITS) if any(cells) else None
    if table is None:
        table = read_table(csv_bytes([cells, ["x"]]), "a.csv", **LIMITS)
        table.rows[0].values = {"name": ""}

    row = check(table)

    assert codes(row) == expected
    assert bool(row.issue_key) == (expected == [])


def test_row_defaults_and_language_names():
    table = read_table(csv_bytes([["  Maija   Meikäläinen ", "Maija@Example.ORG", "", "", "", "ruotsi"]]), "a.csv", **LIMITS)

    row = check(table)

    assert row.name == "Maija Meikäläinen"
    assert row.email == "maija@example.org"
    assert row.issued_on == TODAY
    assert row.language == "sv"


def test_issue_key_normalises_name_and_email():
    first = issue_key(badge_public_id=BADGE_ID, name="Maija  Meikäläinen", email="Maija@Example.org",
                      issued_on=TODAY)
    second = issue_key(badge_public_id=BADGE_ID, name="maija meikäläinen", email="maija@example.org ",
                       issued_on=TODAY)
    other_day = issue_key(badge_public_id=BADGE_ID, name="Maija Meikäläinen", email="maija@example.org",
                          issued_on=TODAY - datetime.timedelta(days=1))

    assert first == second
    assert first != other_day
    assert len(first) == 64


def test_duplicates_inside_file():
    data = csv_bytes([ROW, ["Ville", "", "", "", "", ""], [ROW[0].upper(), ROW[1], "Eri näyttö", "", ROW[4], "en"]])
    table = read_table(data, "a.csv", **LIMITS)
    rows = [check(table, index) for index in range(3)]

    mark_duplicates(rows)

    assert [row.duplicate_of for row in rows] == [None, None, 2]


def test_typed_list_separators():
    text = "Maija Meikäläinen; maija@example.org\n\nMeikäläinen, Ville, ville@example.org\nAnna\tanna@example.org\tsv\nPekka"

    table = read_typed_list(text, max_rows=10)

    assert [(row.number, row.values["name"], row.values["email"]) for row in table.rows] == [
        (1, "Maija Meikäläinen", "maija@example.org"),
        (3, "Meikäläinen, Ville", "ville@example.org"),
        (4, "Anna", "anna@example.org"),
        (5, "Pekka", ""),
    ]
    assert table.rows[2].values["language"] == "sv"


def test_column_letters():
    assert [column_letter(index) for index in (0, 1, 25, 26, 27)] == ["A", "B", "Z", "AA", "AB"]
