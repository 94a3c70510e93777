"""Issue one badge from the command line and print the signed credential."""
import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ...selectors import find_badge
from ...services import credential_issue


class Command(BaseCommand):
    help = "Issue a badge and print its signed Open Badges 3.0 credential (JSON) to stdout."

    def add_arguments(self, parser):
        parser.add_argument("--badge", required=True, help="Badge id, public UUID, slug, or ORGANISATION/SLUG.")
        parser.add_argument("--name", required=True, help="Recipient's name as it appears on the badge.")
        parser.add_argument("--email", default="", help="Recipient's email (optional; stored only as a salted hash in the credential).")
        parser.add_argument("--evidence", default="", help="Evidence narrative: how the skill was shown.")
        parser.add_argument("--evidence-url", default="", help="Address of the evidence (optional).")
        parser.add_argument("--date", default="", help="Issue date as YYYY-MM-DD (default: today).")

    def handle(self, *args, **options):
        badge = find_badge(options["badge"])
        if badge is None:
            raise CommandError(
                f"Badge {options['badge']!r} not found, or the slug is used by several organisations. "
                "Use the badge id, its UUID or ORGANISATION/SLUG."
            )
        issued_on = None
        if options["date"]:
            try:
                issued_on = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date {options['date']!r} is not a date in the form YYYY-MM-DD.") from None

        try:
            credential = credential_issue(
                badge=badge,
                recipient_name=options["name"],
                recipient_email=options["email"],
                issued_on=issued_on,
                evidence_narrative=options["evidence"],
                evidence_url=options["evidence_url"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(credential.document)
