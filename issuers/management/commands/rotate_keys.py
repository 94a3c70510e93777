"""Replace an organisation's signing keys from the command line, as an owner does in the UI."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ...models import Organisation, SigningKey
from ...services import signing_key_revoke, signing_keys_rotate


class Command(BaseCommand):
    help = (
        "Retire the organisation's active signing keys and create new ones. Badges signed with the "
        "old keys keep verifying unless --revoke-old marks the old keys compromised."
    )

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="The organisation's slug (short name in addresses).")
        parser.add_argument(
            "--revoke-old",
            action="store_true",
            help="Also revoke the keys that were active: every badge they signed stops verifying.",
        )
        parser.add_argument("--reason", default="", help="Why the old keys are revoked (required with --revoke-old).")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"Organisation {options['organisation']!r} not found. Give its slug.")
        if options["revoke_old"] and not options["reason"].strip():
            raise CommandError("--revoke-old needs --reason TEXT saying why the keys are revoked.")

        old_keys = list(
            SigningKey.objects.filter(organisation=organisation, retired_at__isnull=True, revoked_at__isnull=True)
        )
        new_keys = signing_keys_rotate(organisation=organisation)
        if options["revoke_old"]:
            try:
                for key in old_keys:
                    signing_key_revoke(key=key, reason=options["reason"])
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None

        retired = ", ".join(key.key_id for key in old_keys) or "none"
        created = ", ".join(key.key_id for key in new_keys)
        state = "revoked" if options["revoke_old"] else "retired"
        self.stdout.write(f"{organisation.slug}: {state} {retired}; new keys {created}")
