"""Verify any badge (file, standard input or URL) and print the result as JSON.

It runs ``verification.verify_submission``, the function behind the
``/verify`` page, so the checks and reason codes are the same.
"""
import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from ...verification import max_submission_bytes, result_as_dict, verify_submission


class Command(BaseCommand):
    help = (
        "Verify an Open Badges 2.0 or 3.0 badge: a baked PNG or SVG image, JSON or a JWT in a file "
        "(- reads standard input), or a web address. Prints every check as JSON. "
        "Exit status 0 if valid, 1 if not."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "badge",
            help="Path of the badge file, - to read standard input, or an http(s) address of the badge.",
        )
        parser.add_argument(
            "--email",
            help="Also tell whether the badge was issued to this email address (yes, no or not checkable).",
        )

    def handle(self, *args, **options):
        source = options["badge"]
        email = (options.get("email") or "").strip() or None
        if email is not None:
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(f"--email {email!r} is not a valid email address.") from None

        result = verify_submission(self._read(source), email=email)
        self.stdout.write(json.dumps(result_as_dict(result), ensure_ascii=False, indent=2))
        if not result.valid:
            sys.exit(1)

    def _read(self, source: str) -> bytes:
        """Return the submission: the address itself, or at most one byte past the size limit of a file."""
        if source.startswith(("https://", "http://")):
            return source.encode("utf-8")
        limit = max_submission_bytes()
        try:
            if source == "-":
                return sys.stdin.buffer.read(limit)
            with open(source, "rb") as handle:
                return handle.read(limit)
        except OSError as error:
            raise CommandError(f"Cannot read {source}: {error.strerror}.") from None
