"""Read a CSV or XLSX file of recipients into raw rows (pure Python, no Django).

CSV files may be UTF-8 with or without a byte order mark, or Windows-1252
(what Excel's plain "CSV" format writes on Finnish Windows), separated by
semicolons (Finnish Excel), commas or tabs. Headers are matched in
Finnish, Swedish or English, ignoring case, spaces, punctuation and text in
brackets. Cell values are returned as found: checking them is the job of
``badges.bulk.validation``.
"""
from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

FIELDS = ("name", "email", "evidence_narrative", "evidence_url", "issued_on", "language")

# Header aliases after ``normalise_header``: lower case, letters and digits only.
HEADER_ALIASES = {
    "name": {
        "nimi", "saajannimi", "vastaanottajannimi", "kokonimi", "saaja", "vastaanottaja",
        "namn", "mottagarensnamn", "mottagare", "fulltnamn", "fullständigtnamn",
        "name", "recipientname", "recipientsname", "recipient", "fullname",
    },
    "email": {
        "sähköposti", "sähköpostiosoite", "sahkoposti", "sahkopostiosoite", "sposti", "eposti",
        "epost", "epostadress", "mejl", "email", "emailaddress", "mail",
    },
    "evidence_narrative": {
        "näytönkuvaus", "naytonkuvaus", "näyttö", "naytto", "kuvaus", "perustelu", "perustelut",
        "bevis", "bevisbeskrivning", "beskrivningavbeviset", "beskrivning",
        "evidence", "evidencenarrative", "evidencedescription", "narrative", "description",
    },
    "evidence_url": {
        "näytönosoite", "naytonosoite", "näytönlinkki", "naytonlinkki", "näytönurl", "naytonurl", "linkki",
        "bevisetsadress", "bevisadress", "bevislänk", "länk",
        "evidenceurl", "evidencelink", "evidenceaddress", "url", "link",
    },
    "issued_on": {
        "myöntämispäivä", "myontamispaiva", "myöntöpäivä", "myontopaiva", "myöntämispäivämäärä",
        "päivämäärä", "paivamaara", "pvm", "päivä", "paiva",
        "utfärdandedatum", "utfardandedatum", "utfärdad", "datum",
        "issuedate", "issuedon", "dateissued", "date",
    },
    "language": {
        "kieli", "saajankieli", "språk", "sprak", "mottagarensspråk",
        "language", "lang", "recipientlanguage",
    },
}
_FIELD_BY_ALIAS = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}

# Beyond these the file is rejected before its cells are read: a zip file
# (XLSX) that unpacks to more than this is a zip bomb, not a class list.
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_COLUMNS = 50
MAX_CELL_CHARS = 20000

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format

# "+SUM(", "-HYPERLINK(" or "@A1(": a sign directly followed by a function
# call. "- Teki (ohjattuna)" is a list item, not a formula.
_FORMULA_CALL = re.compile(r"^[+\-@][A-Za-z_][A-Za-z0-9_.]*\(")
_FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})\.?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME_SUFFIX = re.compile(r"(?:\s+|T)\d{1,2}[:.]\d{2}(?:[:.]\d{2})?$")


class FileProblem(Exception):
    """The file as a whole cannot be read; ``code`` names the problem (see ``badges.bulk.messages``)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    letter: str


@dataclass
class RawRow:
    # The row number the spreadsheet shows: the first row of the file is row 1.
    number: int
    # Field name to the cell: a stripped str, or a datetime.date from XLSX.
    values: dict[str, object]


@dataclass
class Table:
    columns: dict[str, Column]
    rows: list[RawRow]
    ignored_headers: list[str] = field(default_factory=list)


def normalise_header(text: str) -> str:
    text = re.sub(r"\(.*?\)|\[.*?\]", "", str(text or "")).casefold()
    return "".join(character for character in text if character.isalnum())


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def looks_like_formula(text: str) -> bool:
    """Return whether a cell would run as a spreadsheet formula (CSV injection)."""
    return text.startswith("=") or bool(_FORMULA_CALL.match(text))


def parse_date(value) -> datetime.date:
    """Return the date of a cell: d.m.yyyy, d.m.yy, yyyy-mm-dd or a real XLSX date.

    Raises ValueError for anything else, such as 12/4/2026, whose day and
    month order cannot be known.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _TIME_SUFFIX.sub("", str(value).strip())
    match = _FINNISH_DATE.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        if year < 100:
            year += 2000
        return datetime.date(year, month, day)
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return datetime.date(year, month, day)
    raise ValueError(f"not a date: {text[:40]!r}")


def read_table(data: bytes, filename: str = "", *, max_bytes: int, max_rows: int) -> Table:
    """Read an uploaded CSV or XLSX file. Raises FileProblem when it cannot be used."""
    if not data or not data.strip():
        raise FileProblem("empty_file")
    if len(data) > max_bytes:
        raise FileProblem("too_large", size=len(data), max=max_bytes)
    if data.startswith(ZIP_MAGIC):
        records = _xlsx_records(data)
    elif data.startswith(OLE_MAGIC):
        raise FileProblem("old_excel")
    elif filename.lower().endswith((".xlsx", ".xls", ".ods", ".numbers")):
        raise FileProblem("not_spreadsheet")
    else:
        records = _csv_records(_decode(data))
    return table_from_records(records, max_rows=max_rows)


def table_from_records(records, *, max_rows: int) -> Table:
    """Build a Table from an iterable of lists of cells, the first non-empty one being the header."""
    columns: dict[str, Column] = {}
    by_index: dict[int, str] = {}
    ignored: list[str] = []
    rows: list[RawRow] = []
    header_seen = False
    data_rows = 0
    for number, cells in enumerate(records, start=1):
        cells = [_clean_cell(cell) for cell in list(cells)[:MAX_COLUMNS]]
        if not any(cell not in ("", None) for cell in cells):
            continue
        if not header_seen:
            header_seen = True
            columns, by_index, ignored = _read_header(cells)
            continue
        data_rows += 1
        if data_rows > max_rows:
            continue
        values = {name: "" for name in columns}
        for index, name in by_index.items():
            if index < len(cells) and cells[index] is not None:
                values[name] = cells[index]
        rows.append(RawRow(number=number, values=values))
    if not header_seen:
        raise FileProblem("empty_file")
    if data_rows > max_rows:
        raise FileProblem("too_many_rows", count=data_rows, max=max_rows)
    if not rows:
        raise FileProblem("no_rows")
    return Table(columns=columns, rows=rows, ignored_headers=ignored)


def _read_header(cells: list) -> tuple[dict[str, Column], dict[int, str], list[str]]:
    columns: dict[str, Column] = {}
    by_index: dict[int, str] = {}
    ignored = []
    for index, cell in enumerate(cells):
        header = str(cell or "").strip()
        if not header:
            continue
        name = _FIELD_BY_ALIAS.get(normalise_header(header))
        if name is None:
            ignored.append(header)
            continue
        if name in columns:
            raise FileProblem("duplicate_column", first=columns[name].header, second=header)
        columns[name] = Column(field=name, header=header, letter=column_letter(index))
        by_index[index] = name
    if "name" not in columns:
        raise FileProblem("missing_name_column", headers=", ".join(str(cell) for cell in cells if cell)[:300])
    return columns, by_index, ignored


def _clean_cell(cell):
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime):
        return cell.date() if cell.time() == datetime.time.min else cell
    if isinstance(cell, datetime.date):
        return cell
    if isinstance(cell, bool):
        return str(cell).upper()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    text = str(cell)
    # A cell past this length cannot be valid in any column; keeping the
    # start is enough to report its length.
    return text[:MAX_CELL_CHARS].strip()


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        # UTF-16 ("Unicode text" in Excel) or a binary file.
        raise FileProblem("not_spreadsheet")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise FileProblem("not_spreadsheet") from None


def _csv_records(text: str) -> list[list[str]]:
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = _choose_delimiter(first)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise FileProblem("csv_unreadable", detail=str(error)[:200]) from None


def _choose_delimiter(header_line: str) -> str:
    """Pick the separator that splits the header into the most known column names."""
    best, best_score = ";", (-1, -1)
    for delimiter in (";", ",", "\t"):
        try:
            cells = next(csv.reader([header_line], delimiter=delimiter), [])
        except csv.Error:
            continue
        known = sum(1 for cell in cells if normalise_header(cell) in _FIELD_BY_ALIAS)
        score = (known, len(cells))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _xlsx_records(data: bytes):
    # openpyxl is imported here so that CSV-only callers need not load it.
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise FileProblem("xlsx_unreadable") from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise FileProblem("xlsx_unreadable")
    try:
        # data_only=False keeps formulas as "=..." text, so that they are
        # reported instead of silently replaced by a cached result.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        records = [list(row) for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)]
        workbook.close()
    except Exception:
        # openpyxl raises many kinds of errors for damaged or non-Excel
        # zip files (KeyError, InvalidFileException, XML errors).
        raise FileProblem("xlsx_unreadable") from None
    return records


def read_typed_list(text: str, *, max_rows: int) -> Table:
    """Read recipients typed one per line: ``name; email; language``, email and language optional.

    Tabs (cells pasted from a spreadsheet) separate like semicolons. A
    comma separates only when what follows it contains "@", so that
    "Meikäläinen, Maija" stays one name.
    """
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        cells = _split_typed_line(line)
        values = {"name": cells[0], "email": "", "language": ""}
        if len(cells) > 1:
            values["email"] = cells[1]
        if len(cells) > 2:
            values["language"] = cells[2]
        rows.append(RawRow(number=number, values={name: _clean_cell(value) for name, value in values.items()}))
    if not rows:
        raise FileProblem("no_rows")
    if len(rows) > max_rows:
        raise FileProblem("too_many_rows", count=len(rows), max=max_rows)
    return Table(columns={}, rows=rows)


def _split_typed_line(line: str) -> list[str]:
    if "\t" in line:
        return line.split("\t")
    if ";" in line:
        return line.split(";")
    head, separator, tail = line.rpartition(",")
    if separator and "@" in tail:
        return [head, tail]
    return [line]
