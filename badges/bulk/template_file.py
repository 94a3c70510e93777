"""The downloadable template: Finnish column names and one example row."""
import csv
import datetime
import io

from .validation import EXAMPLE_EMAIL

TEMPLATE_HEADERS = ["Nimi", "Sähköposti", "Näytön kuvaus", "Näytön osoite", "Myöntämispäivä", "Kieli"]


def _example_row(today: datetime.date) -> list:
    return [
        "Maija Meikäläinen",
        EXAMPLE_EMAIL,
        "Haki tietoa kirjaston verkkopalvelusta ja arvioi lähteiden luotettavuutta.",
        "https://example.org/naytto/1",
        today,
        "fi",
    ]


def template_csv(today: datetime.date) -> bytes:
    """Return the template as semicolon-separated UTF-8 with a byte order mark, as Finnish Excel expects."""
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADERS)
    row = _example_row(today)
    row[4] = f"{today.day}.{today.month}.{today.year}"
    writer.writerow(row)
    return ("\ufeff" + output.getvalue()).encode("utf-8")


def template_xlsx(today: datetime.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Saajat"
    sheet.append(TEMPLATE_HEADERS)
    sheet.append(_example_row(today))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet["E2"].number_format = "D.M.YYYY"
    for letter, width in zip("ABCDEF", (28, 32, 50, 32, 16, 8)):
        sheet.column_dimensions[letter].width = width
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
