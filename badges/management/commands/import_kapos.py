"""Import ePerusteet badge JSON files into the badge template library."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...kapos_import import KaposFormatError, json_files, read_file_limited
from ...library import ImportReport, badge_templates_import


class Command(BaseCommand):
    help = (
        "Import national basic-skills badges from ePerusteet JSON into the badge template library. "
        "Each PATH is a file holding one badge object or a list of them, or a folder whose *.json "
        "files are read. Prints one line per object; the exit status is 1 if any object failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="A JSON file or a folder of JSON files.")

    def handle(self, *args, **options):
        try:
            paths = json_files([Path(path) for path in options["paths"]])
        except KaposFormatError as error:
            raise CommandError(str(error)) from None
        if not paths:
            raise CommandError("No *.json files found in the given folders.")

        files = ((str(path), read_file_limited(path)) for path in paths)
        report = badge_templates_import(files=files)
        self._print(report)
        if report.has_failures:
            raise SystemExit(1)

    def _print(self, report: ImportReport) -> None:
        for outcome in report.outcomes:
            line = f"{outcome.result:<9} {outcome.source}"
            if outcome.code:
                line += f" ({outcome.code})"
            style = self.style.ERROR if outcome.result == "failed" else (lambda text: text)
            self.stdout.write(style(line))
            if outcome.message:
                self.stdout.write(f"          {outcome.message}")
            for label in outcome.missing:
                self.stdout.write(f"          missing: {label}")
            for warning in outcome.warnings:
                self.stdout.write(f"          warning: {warning}")
        counts = report.counts
        self.stdout.write(
            f"{counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged, "
            f"{counts['skipped']} skipped, {counts['failed']} failed"
        )
