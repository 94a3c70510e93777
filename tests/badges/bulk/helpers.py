"""Helpers for the bulk issuing tests: CSV text and XLSX bytes from rows."""
import io

HEADER = ["Nimi", "Sähköposti", "Näytön kuvaus", "Näytön osoite", "Myöntämispäivä", "Kieli"]


def csv_bytes(rows, *, header=HEADER, delimiter=";", bom=True) -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(str(cell) for cell in row) for row in rows]
    text = "\r\n".join(lines) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def xlsx_bytes(rows, *, header=HEADER) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
