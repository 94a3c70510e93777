"""Create demonstration data: one organisation in a network, three staff users and KAPOS-aligned badges.

Running it again changes nothing that already exists.
"""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from issuers.images import clean_image
from issuers.models import Organisation, Role
from issuers.services import image_store, membership_set, network_create, network_membership_set, organisation_create

from ...demo_images import emblem_svg
from ...kapos import DATA_DIR, load_kapos_badge
from ...library import badge_templates_import
from ...models import BadgeClass, BadgeStatus
from ...services import BadgeContent, badge_create

DEMO_PASSWORD = "merkkipaja-demo"
DEMO_USERS = [
    ("owner", "Olli", "Omistaja", Role.OWNER),
    ("editor", "Eeva", "Editori", Role.EDITOR),
    ("instructor", "Iida", "Ohjaaja", Role.INSTRUCTOR),
]
DEMO_BADGES = [
    # (KAPOS code, slug, emblem initials, colour, our own short description)
    ("osaamismerkit_1007", "lukeminen", "LU", "#7a3b00",
     "Lukutaidon perusmerkki: lukeminen omiin tarpeisiin ja lukijana kehittyminen."),
    ("osaamismerkit_1022", "digitaalinen-tiedonhaku", "DT", "#0b4f8a",
     "Digitaitojen perusmerkki: tiedon hakeminen verkosta ja tiedon luotettavuuden arviointi."),
    ("osaamismerkit_1026", "digitaalinen-turvallisuus", "TU", "#1d5e2d",
     "Digitaitojen perusmerkki: turvallinen toiminta verkossa ja tietojen suojaaminen."),
]


class Command(BaseCommand):
    help = "Create demo data (organisation, owner/editor/instructor users, KAPOS-aligned badges). Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(slug="taitopaja").first()
        if organisation is None:
            organisation = organisation_create(
                slug="taitopaja",
                name="Tampereen Taitopaja ry (demo)",
                url="https://taitopaja.example.fi",
                email="merkit@taitopaja.example.fi",
                description="Kuvitteellinen tamperelainen järjestö, jolla kokeillaan Merkkipajaa.",
            )
            self.stdout.write(f"Created organisation {organisation.slug}")

        network = Organisation.objects.filter(slug="pirkanmaan-jarjestoverkosto").first()
        if network is None:
            network = network_create(
                slug="pirkanmaan-jarjestoverkosto",
                name="Pirkanmaan järjestöverkosto (demo)",
                url="https://jarjestoverkosto.example.fi",
                email="merkit@jarjestoverkosto.example.fi",
                description="Kuvitteellinen verkosto, jonka nimellä jäsenjärjestöt voivat myöntää merkkejä.",
            )
            self.stdout.write(f"Created network {network.slug}")
        if organisation.network_id != network.pk or not organisation.may_issue_as_network:
            network_membership_set(organisation=organisation, network=network, may_issue=True)
            self.stdout.write(f"Allowed {organisation.slug} to issue under {network.slug}")

        User = get_user_model()
        for username, first_name, last_name, role in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first_name, "last_name": last_name}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
                membership_set(user=user, organisation=organisation, role=role)
                self.stdout.write(f"Created user {username} ({role})")

        for code, slug, initials, colour, description in DEMO_BADGES:
            if BadgeClass.objects.filter(organisation=organisation, slug=slug).exists():
                continue
            kapos = load_kapos_badge(code)
            image = image_store(image=clean_image(emblem_svg(initials, colour)))
            translations = {}
            if "sv" in kapos.names:
                translations["sv"] = {
                    "name": kapos.names["sv"],
                    "learning_outcomes": kapos.learning_outcomes.get("sv", []),
                    "assessment_criteria": kapos.assessment_criteria.get("sv", []),
                }
            badge_create(
                organisation=organisation,
                slug=slug,
                status=BadgeStatus.PUBLISHED,
                content=BadgeContent(
                    name=kapos.names["fi"],
                    description=description,
                    image=image,
                    theme=kapos.themes.get("fi", ""),
                    learning_outcomes=kapos.learning_outcomes.get("fi", []),
                    assessment_criteria=kapos.assessment_criteria.get("fi", []),
                    skill_demonstration="Osaaminen osoitetaan ohjaajan kanssa käytännön tehtävissä.",
                    translations=translations,
                    kapos_code=kapos.code,
                ),
            )
            self.stdout.write(f"Created badge {slug} ({code})")

        # The shared template library gets every national badge definition
        # the project ships; importing again changes nothing.
        files = [
            (path.name, path.read_bytes())
            for path in sorted(DATA_DIR.glob("osaamismerkit_*.json"))
        ]
        badge_templates_import(files=files)

        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}): owner, editor, instructor")
