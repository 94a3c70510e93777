"""Verify a credential file and print the result as JSON."""
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from ...verification import result_as_dict, verify_text

MAX_BYTES = 1024 * 1024


class Command(BaseCommand):
    help = "Verify an Open Badges 3.0 credential (JSON file, or - for stdin). Exit status 0 if valid, 1 if not."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the credential JSON file, or - to read standard input.")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            if path == "-":
                raw = sys.stdin.buffer.read(MAX_BYTES + 1)
            else:
                with open(path, "rb") as handle:
                    raw = handle.read(MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        if len(raw) > MAX_BYTES:
            raise CommandError(f"{path} is larger than {MAX_BYTES} bytes, so it is not a badge credential.")

        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = ""
        result = verify_text(text)
        self.stdout.write(json.dumps(result_as_dict(result), ensure_ascii=False, indent=2))
        if not result.valid:
            sys.exit(1)
