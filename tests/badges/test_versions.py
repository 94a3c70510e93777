from badges.models import BadgeVersion
from badges.services import badge_update, credential_issue
from tests.conftest import make_content


def test_editing_unissued_badge_keeps_version(badge, badge_image):
    version = badge_update(badge=badge, content=make_content(badge_image, name="Uusi nimi"), status="published")

    assert version.number == 1
    assert BadgeVersion.objects.filter(badge=badge).count() == 1


def test_editing_issued_badge_adds_version(badge, badge_image):
    credential = credential_issue(badge=badge, recipient_name="Matti")
    stored_before = credential.document

    version = badge_update(badge=badge, content=make_content(badge_image, name="Uusi nimi"), status="published")
    credential.refresh_from_db()

    assert version.number == 2
    assert credential.badge_version.number == 1
    assert credential.badge_version.name == "Digitaalinen tiedonhaku"
    assert credential.document == stored_before


def test_new_credentials_use_new_version(badge, badge_image):
    credential_issue(badge=badge, recipient_name="Matti")
    badge_update(badge=badge, content=make_content(badge_image, name="Uusi nimi"), status="published")

    later = credential_issue(badge=badge, recipient_name="Maija")

    assert later.badge_version.number == 2
    assert '"name": "Uusi nimi"' in later.document
