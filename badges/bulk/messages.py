"""Translated texts for the codes that parsing, validation and issuing store.

Rows store codes and parameters rather than text, so that a preview or a
report reads in the page language of the staff member who opens it.
"""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .parsing import FileProblem

FIELD_LABELS = {
    "name": gettext_lazy("Name"),
    "email": gettext_lazy("Email"),
    "evidence_narrative": gettext_lazy("Evidence description"),
    "evidence_url": gettext_lazy("Evidence address"),
    "issued_on": gettext_lazy("Issue date"),
    "language": gettext_lazy("Language"),
}


def describe_file_problem(problem: FileProblem) -> str:
    """Return what is wrong with the whole file and how to fix it."""
    params = problem.params
    texts = {
        "empty_file": lambda: _("The file is empty. Choose the file that has your list of recipients."),
        "too_large": lambda: _(
            "The file is too large (%(size)s kB); the maximum is %(max)s kB. Split the list into "
            "smaller files, or remove extra sheets and pictures."
        ) % {"size": params["size"] // 1024, "max": params["max"] // 1024},
        "too_many_rows": lambda: _(
            "The file has %(count)d rows of recipients; the maximum is %(max)d. Split the list into "
            "several files."
        ) % params,
        "no_rows": lambda: _(
            "The file has column names but no recipients. Add one recipient per row below the column names."
        ),
        "old_excel": lambda: _(
            "This is an old Excel file (.xls). Save it in Excel as “Excel Workbook (.xlsx)” or "
            "“CSV UTF-8” and upload it again."
        ),
        "not_spreadsheet": lambda: _(
            "The file is not a CSV or Excel file that can be read. Save it in Excel as “Excel "
            "Workbook (.xlsx)” or “CSV UTF-8” and upload it again."
        ),
        "xlsx_unreadable": lambda: _(
            "The Excel file could not be read. Open it in Excel, save it again as “Excel Workbook "
            "(.xlsx)” and upload it again, or use the template."
        ),
        "csv_unreadable": lambda: _(
            "The CSV file could not be read: a quotation mark or a cell is broken. Open the file in "
            "Excel, save it again as “CSV UTF-8” and upload it again."
        ),
        "missing_name_column": lambda: _(
            "The file has no column for the recipient's name. The first row must contain column "
            "names, such as Nimi, Sähköposti and Myöntämispäivä. Now it has: %(headers)s. Use the "
            "template to see the column names."
        ) % params,
        "duplicate_column": lambda: _(
            "The columns “%(first)s” and “%(second)s” mean the same thing. Delete one of them."
        ) % params,
    }
    return texts.get(problem.code, lambda: _("The file could not be read. Use the template."))()


def describe_row_error(error: dict) -> tuple[str, str]:
    """Return (what is wrong, how to fix it) for one stored row error."""
    params = error.get("params") or {}
    texts = {
        "formula": (
            _("The cell contains a spreadsheet formula."),
            _("Replace the formula with plain text: copy the cells and paste them as values."),
        ),
        "name_missing": (
            _("The name is missing."),
            _("Write the recipient's name, or delete the row."),
        ),
        "too_long": (
            _("The text is %(length)d characters long; the maximum is %(max)d.") % _int_params(params),
            _("Shorten the text."),
        ),
        "email_invalid": (
            _("The email address is not valid."),
            _("Correct the address (for example maija@example.fi), or leave the cell empty."),
        ),
        "url_invalid": (
            _("The address is not a valid web address."),
            _("Write an address that starts with https:// or http://, or leave the cell empty."),
        ),
        "date_invalid": (
            _("The date cannot be read."),
            _("Write the date as day.month.year, for example 4.12.2026, or as 2026-12-04."),
        ),
        "date_future": (
            _("The date is in the future."),
            _("Use today or an earlier date."),
        ),
        "date_too_old": (
            _("The date is before the year 2000."),
            _("Use 1.1.2000 or a later date."),
        ),
        "language_invalid": (
            _("The language is not one of fi, sv or en."),
            _("Write fi (Finnish), sv (Swedish) or en (English), or leave the cell empty."),
        ),
        "example_row": (
            _("This is the example row of the template."),
            _("Delete the example row."),
        ),
        "no_permission": (
            _("The person who started the job may no longer issue badges in this organisation."),
            _("Ask an owner to check the roles, then upload the rows again."),
        ),
        "issue_failed": (
            params.get("message") or _("The badge could not be issued."),
            _("Correct the problem and upload the row again."),
        ),
    }
    return texts.get(error.get("code"), (_("The row has an error."), _("Check the row.")))


def column_label(job, column: str) -> str:
    """Return how a column is named to the user: the file's header and its letter, or the field label."""
    if not column:
        return _("whole row")
    info = (job.columns or {}).get(column)
    if info and info.get("letter"):
        return _("%(header)s (column %(letter)s)") % info
    return str(FIELD_LABELS.get(column, column))


def _int_params(params: dict) -> dict:
    return {"length": int(params.get("length", 0)), "max": int(params.get("max", 0))}
