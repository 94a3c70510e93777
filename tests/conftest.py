"""Shared fixtures: an organisation with staff in every role, badges and an issued credential."""
import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.backends.signals import connection_created
from django.utils import translation

from badges.demo_images import emblem_svg
from badges.models import BadgeStatus
from badges.services import BadgeContent, badge_create, credential_issue
from issuers.images import clean_image
from issuers.models import Role
from issuers.services import image_store, membership_set, organisation_create

PASSWORD = "test-password-123"


@pytest.fixture(autouse=True)
def default_language():
    """Start every test in Finnish.

    Django keeps the active language per thread, and a request with
    ``?lang=en`` leaves English active in the test process afterwards.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def make_user(db):
    def make(username: str):
        return get_user_model().objects.create_user(username=username, password=PASSWORD)

    return make


@pytest.fixture
def organisation(db):
    return organisation_create(
        slug="taitopaja",
        name="Taitopaja ry",
        url="https://taitopaja.example.fi",
        email="info@taitopaja.example.fi",
        description="Testijärjestö",
    )


@pytest.fixture
def other_organisation(db):
    return organisation_create(
        slug="toinen",
        name="Toinen yhdistys ry",
        url="https://toinen.example.fi",
        email="info@toinen.example.fi",
    )


@pytest.fixture
def staff(organisation, make_user):
    """One user per role in ``organisation``: {"owner": user, "editor": user, "instructor": user}."""
    users = {}
    for role in (Role.OWNER, Role.EDITOR, Role.INSTRUCTOR):
        user = make_user(f"{role}-user")
        membership_set(user=user, organisation=organisation, role=role)
        users[str(role)] = user
    return users


@pytest.fixture
def badge_image(db):
    return image_store(image=clean_image(emblem_svg("DT", "#0b4f8a")))


def make_content(image, **overrides) -> BadgeContent:
    fields = dict(
        name="Digitaalinen tiedonhaku",
        description="Tiedon hakeminen verkosta.",
        image=image,
        theme="Digitaidot",
        learning_outcomes=["osaa hakea tietoa digitaalisista ympäristöistä"],
        assessment_criteria=["nimeää erilaisia hakulähteitä", "kertoo tiedon luotettavuudesta"],
        skill_demonstration="Tehtävä ohjaajan kanssa.",
        alignments=[{"target_name": "DigComp 1.1", "target_url": "https://example.org/digcomp", "target_code": "1.1"}],
        kapos_code="osaamismerkit_1022",
        translations={"sv": {"name": "Digital informationssökning"}},
    )
    fields.update(overrides)
    return BadgeContent(**fields)


@pytest.fixture
def badge(organisation, badge_image):
    return badge_create(
        organisation=organisation,
        slug="tiedonhaku",
        content=make_content(badge_image),
        status=BadgeStatus.PUBLISHED,
    )


@pytest.fixture
def draft_badge(organisation, badge_image):
    return badge_create(
        organisation=organisation,
        slug="luonnos",
        content=make_content(badge_image, name="Luonnosmerkki", kapos_code=""),
        status=BadgeStatus.DRAFT,
    )


@pytest.fixture
def expiring_badge(organisation, badge_image):
    return badge_create(
        organisation=organisation,
        slug="vanhenee",
        content=make_content(badge_image, name="Vanheneva merkki", validity_months=12),
        status=BadgeStatus.PUBLISHED,
    )


@pytest.fixture
def credential(badge, staff):
    return credential_issue(
        badge=badge,
        recipient_name="Maija Meikäläinen",
        recipient_email="Maija.Meikalainen@Example.fi",
        issued_on=None,
        evidence_narrative="Haki tietoa kirjaston verkkopalvelusta.",
        evidence_url="https://example.org/evidence/1",
        actor=staff["instructor"],
    )


@pytest.fixture
def yesterday():
    return datetime.date.today() - datetime.timedelta(days=1)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """Put SQLite's test database in a file when a test marked shared_database runs.

    Such a test starts other processes (a worker) that must see the test's
    data; SQLite's default in-memory test database is private to one process.
    """
    database = settings.DATABASES["default"]
    shared = any(item.get_closest_marker("shared_database") for item in request.session.items)
    if shared and database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("shared-db") / "test.sqlite3")
        connection_created.connect(_skip_sqlite_fsync)


def _skip_sqlite_fsync(sender, connection, **kwargs):
    # A test database need not survive a power cut, and skipping the fsync
    # of every commit keeps the transactional tests' many commits cheap.
    # Only the test process does this: the workers it starts keep the default.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
