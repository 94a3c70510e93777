"""Revoke one credential from the command line, with the same checks and audit entry as the web form."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ...selectors import find_credential
from ...services import credential_revoke


class Command(BaseCommand):
    help = "Revoke a credential. It stops verifying everywhere; the signed files are not changed."

    def add_arguments(self, parser):
        parser.add_argument("credential", help="The credential's UUID or its id URL.")
        parser.add_argument("--reason", required=True, help="Why it is revoked (internal note, kept by the organisation).")
        parser.add_argument("--public-reason", default="", help="Reason shown on the verification page (optional).")

    def handle(self, *args, **options):
        credential = find_credential(options["credential"])
        if credential is None:
            raise CommandError(f"Credential {options['credential']!r} not found. Give its UUID or its id URL.")
        try:
            credential = credential_revoke(
                credential=credential, note=options["reason"], public_reason=options["public_reason"]
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Revoked {credential.id} at {credential.revoked_at.isoformat()}")
