"""Issue a badge to every row of a CSV or XLSX file, with the same checks as the staff pages."""
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db.models import Q

from ...bulk import services
from ...bulk.messages import column_label, describe_file_problem, describe_row_error
from ...bulk.models import BulkJob, JobSource, RowStatus
from ...bulk.parsing import FileProblem
from ...models import BadgeClass

OUTCOME_LABELS = {
    RowStatus.PENDING: "ready to issue",
    RowStatus.INVALID: "error",
    RowStatus.DUPLICATE: "same as an earlier row, skipped",
    RowStatus.EXISTING: "already issued, skipped",
    RowStatus.ISSUED: "issued",
    RowStatus.FAILED: "could not be issued",
}


class Command(BaseCommand):
    help = (
        "Issue a badge to every recipient of a CSV or XLSX file. Prints one line per row. "
        "Exits with status 1 when a row has errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8, ; or , separated) or XLSX file, column names on the first row.")
        parser.add_argument("--badge", required=True, help="Badge id or slug.")
        parser.add_argument("--organisation", default="", help="Organisation slug, needed when several have the slug.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and issue nothing.")
        parser.add_argument("--language", default="fi", choices=["fi", "sv", "en"],
                            help="Recipients' language for rows without one (default: fi).")

    # The report is in English like the other commands' output; the staff
    # pages show the same messages translated.
    @no_translations
    def handle(self, *args, file, badge, organisation, dry_run, language, **options):
        badge_object = self._find_badge(badge, organisation)
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            table = services.parse_upload(data, path.name)
            job = services.job_create(
                badge=badge_object, table=table, source=JobSource.COMMAND, file_name=path.name,
                default_language=language,
            )
        except FileProblem as problem:
            raise CommandError(describe_file_problem(problem)) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

        try:
            if dry_run:
                self._report(job)
                counts = services.job_counts(job)
            else:
                counts = self._run(job)
        finally:
            if dry_run:
                job.delete()
        self.stdout.write(
            f"{counts['total']} rows: {counts['pending'] if dry_run else counts['issued']} "
            f"{'to issue' if dry_run else 'issued'}, {counts['existing']} already issued, "
            f"{counts['duplicate']} repeated, {counts['invalid']} with errors, {counts['failed']} failed."
        )
        if counts["invalid"] or counts["failed"]:
            raise CommandError("Some rows have errors; see the lines above.", returncode=1)

    def _find_badge(self, identifier: str, organisation_slug: str) -> BadgeClass:
        badges = BadgeClass.objects.select_related("organisation")
        if organisation_slug:
            badges = badges.filter(organisation__slug=organisation_slug)
        lookup = Q(slug=identifier) | Q(pk=int(identifier)) if identifier.isdigit() else Q(slug=identifier)
        matches = list(badges.filter(lookup)[:2])
        if len(matches) != 1:
            raise CommandError(
                f"Badge {identifier!r} not found, or several organisations have it: give --organisation SLUG."
            )
        return matches[0]

    def _run(self, job: BulkJob) -> dict:
        self._report(job, only_skipped=True)
        try:
            services.job_start(job=job, enqueue=False)
        except ValidationError as error:
            self.stderr.write(" ".join(error.messages))
            return services.job_counts(job)

        def progress(current_job):
            counts = services.job_counts(current_job)
            if counts["processed"] % 10 == 0 or counts["processed"] == counts["to_process"]:
                self.stderr.write(f"Issued {counts['processed']}/{counts['to_process']}")

        services.job_process(job.pk, on_row=progress)
        self._report(job, only_processed=True)
        return services.job_counts(job)

    def _report(self, job: BulkJob, *, only_skipped: bool = False, only_processed: bool = False) -> None:
        for row in job.rows.order_by("number"):
            if only_skipped and row.status == RowStatus.PENDING:
                continue
            if only_processed and row.processed_at is None:
                continue
            line = f"Row {row.number}: {OUTCOME_LABELS[row.status]}"
            if row.status == RowStatus.DUPLICATE:
                line += f" (row {row.duplicate_of})"
            if row.credential_id:
                line += f" (credential {row.credential_id})"
            self.stdout.write(line)
            for error in row.errors:
                problem, fix = describe_row_error(error)
                self.stdout.write(f"    {column_label(job, error.get('column', ''))}: {problem} {fix}")
