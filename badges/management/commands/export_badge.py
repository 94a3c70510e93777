"""Write one form of an issued credential to stdout: JSON, VC-JWT, OB 2.0 assertion or JWS, baked PNG or SVG."""
import uuid
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError

from ...exports import FORMATS, ExportUnavailableError, export
from ...models import Credential

TEXT_FORMATS = ("ob3-json", "ob3-jwt", "ob2-json", "ob2-jws", "ob3-svg", "ob2-svg")


class Command(BaseCommand):
    help = (
        "Write an issued badge in one format to stdout, byte-identical to the download on its "
        "verification page. Redirect binary formats to a file: export_badge ID --format ob3-png > badge.png"
    )

    def add_arguments(self, parser):
        parser.add_argument("credential", metavar="CREDENTIAL_ID", help="The credential's id URL or its UUID.")
        parser.add_argument(
            "--format",
            required=True,
            choices=FORMATS,
            help="ob3-json: signed Open Badges 3.0 JSON; ob3-jwt: VC-JWT; ob2-json: Open Badges 2.0 hosted "
            "assertion; ob2-jws: signed OB 2.0 assertion; ob3-png, ob3-svg, ob2-png, ob2-svg: badge image "
            "with the credential baked in.",
        )

    def handle(self, *args, **options):
        credential = _find_credential(options["credential"])
        try:
            result = export(credential, options["format"])
        except ExportUnavailableError as error:
            raise CommandError(str(error)) from None

        # Exact bytes, with no newline added, so that the output equals the download.
        # OutputWrapper passes .buffer through to a real stdout such as sys.stdout.
        stream = getattr(self.stdout, "buffer", None)
        if stream is not None:
            self.stdout.flush()
            stream.write(result.data)
            stream.flush()
            return
        if options["format"] not in TEXT_FORMATS:
            raise CommandError(f"--format {options['format']} is binary; write it to a file or a pipe, not a text stream.")
        self.stdout.write(result.data.decode("utf-8"), ending="")


def _find_credential(identifier: str) -> Credential:
    text = identifier.strip()
    if "://" in text:
        # The id URL: https://…/credentials/<uuid>
        segments = [segment for segment in urlsplit(text).path.split("/") if segment]
        text = segments[-1] if len(segments) >= 2 and segments[-2] == "credentials" else ""
    try:
        credential_id = uuid.UUID(text)
    except ValueError:
        raise CommandError(
            f"{identifier!r} is not a credential id. Pass the credential's UUID or its id URL, "
            "for example https://merkit.example.fi/credentials/6f1c2a9e-0b5d-4c1e-9a3f-2d7e8b4c5a10."
        ) from None
    credential = Credential.objects.select_related("badge_version__image").filter(id=credential_id).first()
    if credential is None:
        raise CommandError(f"No credential with the id {credential_id} exists in this database.")
    return credential
