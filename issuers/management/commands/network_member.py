"""Create network issuer profiles and let member organisations issue under them."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ...models import Organisation
from ...services import network_create, network_membership_set


class Command(BaseCommand):
    help = (
        "Join an organisation to a network issuer profile and allow it to issue badges under the "
        "network's name. With --create, the network is created first (with its own DID and keys)."
    )

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="Slug of the member organisation.")
        parser.add_argument("network", nargs="?", help="Slug of the network issuer profile.")
        parser.add_argument("--create", action="store_true", help="Create the network; needs --name, --url and --email.")
        parser.add_argument("--name", default="", help="The network's public name, for example Pirkanmaan järjestöverkosto.")
        parser.add_argument("--url", default="", help="The network's web site.")
        parser.add_argument("--email", default="", help="The network's contact email.")
        parser.add_argument("--description", default="", help="The network's public description.")
        parser.add_argument(
            "--no-issue", action="store_true", help="Join the network but do not allow issuing under its name."
        )
        parser.add_argument("--leave", action="store_true", help="Remove the organisation from its network.")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(slug=options["organisation"], is_network=False).first()
        if organisation is None:
            raise CommandError(f"Organisation {options['organisation']!r} not found. Give the slug of a member organisation.")
        try:
            if options["leave"]:
                network_membership_set(organisation=organisation, network=None, may_issue=False)
                self.stdout.write(f"{organisation.slug} is no longer in a network.")
                return
            network = self._network(options)
            network_membership_set(organisation=organisation, network=network, may_issue=not options["no_issue"])
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        verb = "may not" if options["no_issue"] else "may"
        self.stdout.write(self.style.SUCCESS(f"{organisation.slug} is in {network.slug} and {verb} issue under its name."))

    def _network(self, options) -> Organisation:
        slug = options["network"]
        if not slug:
            raise CommandError("Give the network's slug, or --leave.")
        network = Organisation.objects.filter(slug=slug).first()
        if network is not None:
            if not network.is_network:
                raise CommandError(f"{slug!r} is an organisation, not a network issuer profile.")
            return network
        if not options["create"]:
            raise CommandError(f"Network {slug!r} not found. Add --create --name --url --email to create it.")
        if not (options["name"] and options["url"] and options["email"]):
            raise CommandError("--create needs --name, --url and --email.")
        network = network_create(
            slug=slug, name=options["name"], url=options["url"], email=options["email"],
            description=options["description"],
        )
        self.stdout.write(f"Created network {network.slug}")
        return network
