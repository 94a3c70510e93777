import io

import pytest
from PIL import Image

from badges.models import BadgeClass, Credential
from tests.conftest import PASSWORD


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def issue_data(chosen_badge, /, **overrides):
    data = {
        "badge": chosen_badge.pk,
        "recipient_name": "Maija Meikäläinen",
        "recipient_email": "maija@example.fi",
        "issued_on": "2026-01-15",
        "evidence_narrative": "Teki tehtävät.",
        "evidence_url": "",
    }
    data.update(overrides)
    return data


def png_upload(name="badge.png"):
    output = io.BytesIO()
    Image.new("RGBA", (32, 32), (200, 30, 30, 255)).save(output, format="PNG")
    output.seek(0)
    output.name = name
    return output


def badge_form_data(**overrides):
    data = {
        "name": "Ryhmätyö",
        "slug": "",
        "description": "Toimii ryhmässä.",
        "theme": "Vuorovaikutus",
        "learning_outcomes": "osaa toimia ryhmässä\n- osaa antaa palautetta\n",
        "assessment_criteria": "kuuntelee muita",
        "skill_demonstration": "",
        "alignment_name": "",
        "alignment_url": "",
        "alignment_code": "",
        "validity_months": "",
        "status": "published",
    }
    data.update(overrides)
    return data


def test_login_required(client, organisation):
    response = client.get(f"/staff/{organisation.slug}/issue/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_instructor_issues_from_form(client, staff, badge, organisation):
    login(client, staff["instructor"])

    response = client.post(f"/staff/{organisation.slug}/issue/", issue_data(badge))

    credential = Credential.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/{organisation.slug}/credentials/{credential.id}/"
    assert credential.issued_by == staff["instructor"]
    result = client.get(response["Location"])
    assert result.status_code == 200
    assert f"http://127.0.0.1:8000/credentials/{credential.id}" in result.content.decode()
    assert f"/credentials/{credential.id}/qr.svg" in result.content.decode()


def test_issue_form_defaults_to_today(client, staff, badge, organisation):
    from django.utils import timezone

    login(client, staff["instructor"])
    response = client.get(f"/staff/{organisation.slug}/issue/")

    assert response.status_code == 200
    assert timezone.localdate().isoformat() in response.content.decode()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"recipient_name": ""}, "recipient_name"),
        ({"recipient_name": "x" * 300}, "recipient_name"),
        ({"recipient_email": "maija@"}, "recipient_email"),
        ({"issued_on": "2999-01-01"}, "issued_on"),
        ({"issued_on": "31.02.2026"}, "issued_on"),
        ({"issued_on": "eilen"}, "issued_on"),
        ({"evidence_url": "ftp://example.org/x"}, "evidence_url"),
        ({"badge": "999999"}, "badge"),
    ],
)
def test_issue_form_bad_input(client, staff, badge, organisation, overrides, field):
    login(client, staff["instructor"])

    response = client.post(f"/staff/{organisation.slug}/issue/", issue_data(badge, **overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Credential.objects.count() == 0


def test_draft_badge_not_offered(client, staff, badge, draft_badge, organisation):
    login(client, staff["instructor"])

    response = client.post(f"/staff/{organisation.slug}/issue/", issue_data(draft_badge))

    assert "badge" in response.context["form"].errors
    assert Credential.objects.count() == 0


def test_other_organisations_badge_rejected(client, staff, organisation, other_organisation, badge_image):
    from badges.services import badge_create
    from tests.conftest import make_content

    foreign = badge_create(organisation=other_organisation, slug="vieras", content=make_content(badge_image), status="published")
    login(client, staff["instructor"])

    response = client.post(f"/staff/{organisation.slug}/issue/", issue_data(foreign))

    assert "badge" in response.context["form"].errors
    assert Credential.objects.count() == 0


def test_instructor_of_other_organisation_gets_403(client, make_user, organisation, other_organisation, badge):
    from issuers.services import membership_set

    outsider = make_user("outsider")
    membership_set(user=outsider, organisation=other_organisation, role="owner")
    login(client, outsider)

    response = client.post(f"/staff/{organisation.slug}/issue/", issue_data(badge))

    assert response.status_code == 403
    assert Credential.objects.count() == 0


def test_instructor_cannot_define_badges(client, staff, organisation):
    login(client, staff["instructor"])

    assert client.get(f"/staff/{organisation.slug}/badges/new/").status_code == 403


def test_editor_creates_badge_with_png(client, staff, organisation):
    login(client, staff["editor"])

    response = client.post(
        f"/staff/{organisation.slug}/badges/new/", badge_form_data(image=png_upload())
    )

    assert response.status_code == 302
    badge = BadgeClass.objects.get(slug="ryhmatyo")
    version = badge.latest_version
    assert version.learning_outcomes == ["osaa toimia ryhmässä", "osaa antaa palautetta"]
    assert version.image.content_type == "image/png"


def test_badge_form_rejects_svg_with_script(client, staff, organisation):
    login(client, staff["editor"])
    upload = io.BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    upload.name = "evil.svg"

    response = client.post(f"/staff/{organisation.slug}/badges/new/", badge_form_data(image=upload))

    assert response.status_code == 200
    assert "image" in response.context["form"].errors
    assert not BadgeClass.objects.exists()


def test_badge_form_rejects_non_image(client, staff, organisation):
    login(client, staff["editor"])
    upload = io.BytesIO(b"%PDF-1.4 not an image")
    upload.name = "merkki.png"

    response = client.post(f"/staff/{organisation.slug}/badges/new/", badge_form_data(image=upload))

    assert "image" in response.context["form"].errors
    assert not BadgeClass.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"name": ""}, "name"),
        ({"learning_outcomes": "  \n "}, "learning_outcomes"),
        ({"alignment_name": "DigComp"}, "alignment_url"),
        ({"validity_months": "0"}, "validity_months"),
        ({"slug": "Ä ö"}, "slug"),
    ],
)
def test_badge_form_bad_input(client, staff, organisation, overrides, field):
    login(client, staff["editor"])

    response = client.post(f"/staff/{organisation.slug}/badges/new/", badge_form_data(image=png_upload(), **overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not BadgeClass.objects.exists()


def test_duplicate_slug_rejected(client, staff, organisation, badge):
    login(client, staff["editor"])

    response = client.post(
        f"/staff/{organisation.slug}/badges/new/", badge_form_data(slug=badge.slug, image=png_upload())
    )

    assert "slug" in response.context["form"].errors


def test_editor_edits_badge(client, staff, organisation, badge):
    login(client, staff["editor"])

    response = client.post(
        f"/staff/{organisation.slug}/badges/{badge.slug}/edit/",
        badge_form_data(name="Tiedonhaku 2", learning_outcomes="osaa hakea", assessment_criteria="hakee"),
    )

    assert response.status_code == 302
    badge.refresh_from_db()
    assert badge.latest_version.name == "Tiedonhaku 2"


def test_organisation_page_owner_role(client, staff, organisation):
    login(client, staff["owner"])

    page = client.get(f"/staff/{organisation.slug}/").content.decode()

    assert "Roolisi: Omistaja" in page
    assert f"/staff/{organisation.slug}/members/" in page
