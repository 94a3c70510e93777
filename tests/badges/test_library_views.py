"""Staff pages of the badge template library: browsing, copying into an organisation, uploading."""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path

from badges import kapos_import
from badges.content import alignment_dicts
from badges.kapos import DATA_DIR
from badges.library import badge_templates_import, placeholder_image_sha256
from badges.models import BadgeClass, BadgeStatus, BadgeTemplate
from issuers.models import AuditEvent, Role
from issuers.services import membership_set
from tests.conftest import PASSWORD


LIBRARY = "/staff/library/"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def real_json(code: str) -> dict:
    return json.loads((DATA_DIR / f"{code}.json").read_text(encoding="utf-8"))


@pytest.fixture
def templates(db):
    files = [(path.name, path.read_bytes()) for path in sorted(DATA_DIR.glob("osaamismerkit_*.json"))]
    badge_templates_import(files=files)
    return BadgeTemplate.objects.all()


@pytest.fixture
def editor_client(client, staff):
    login(client, staff["editor"])
    return client


def copy(client, code, organisation):
    return client.post(f"{LIBRARY}{code}/copy/", {"organisation": organisation.slug})


def test_library_requires_login(client, templates):
    response = client.get(LIBRARY)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", [LIBRARY, f"{LIBRARY}osaamismerkit_1022/", f"{LIBRARY}import/"])
def test_instructor_gets_403(client, staff, templates, url):
    login(client, staff["instructor"])

    assert client.get(url).status_code == 403


def test_index_lists_every_template(editor_client, templates):
    page = editor_client.get(f"{LIBRARY}?lang=en").content.decode()

    assert "9 templates" in page
    for template in templates:
        assert f"{LIBRARY}{template.code}/" in page


def test_index_states_badges_are_not_official(editor_client, templates):
    page = editor_client.get(f"{LIBRARY}?lang=en").content.decode()

    assert "KAPOS-aligned" in page
    assert "only adult education institutions record in Koski" in page


def test_search_by_name_ignores_case(editor_client, templates):
    page = editor_client.get(LIBRARY, {"q": "DIGITAALINEN TIEDON"}).content.decode()

    assert "/osaamismerkit_1022/" in page
    assert "/osaamismerkit_1007/" not in page


def test_search_folds_case_of_finnish_letters(editor_client, templates):
    page = editor_client.get(LIBRARY, {"q": "MITTAYKSIKÖT"}).content.decode()

    assert "/osaamismerkit_1011/" in page
    assert "/osaamismerkit_1022/" not in page


def test_search_by_swedish_name(editor_client, templates):
    page = editor_client.get(LIBRARY, {"q": "läsfärdigheter"}).content.decode()

    assert "/osaamismerkit_1007/" in page


def test_search_by_theme_text(editor_client, templates):
    page = editor_client.get(LIBRARY, {"q": "tekstitaidot"}).content.decode()

    assert "/osaamismerkit_1007/" in page
    assert "/osaamismerkit_1022/" not in page


def test_theme_filter(editor_client, templates):
    page = editor_client.get(LIBRARY, {"theme": "Digitaidot"}).content.decode()

    for code in ("1022", "1024", "1025", "1026", "1028"):
        assert f"/osaamismerkit_{code}/" in page
    for code in ("1007", "1010", "1011", "1018"):
        assert f"/osaamismerkit_{code}/" not in page


def test_search_without_match(editor_client, templates):
    page = editor_client.get(LIBRARY, {"q": "kvanttifysiikka", "lang": "en"}).content.decode()

    assert "No template matches your search" in page


def test_swedish_page_shows_swedish_texts(editor_client, templates):
    page = editor_client.get(f"{LIBRARY}?lang=sv").content.decode()

    assert '<a href="/staff/library/osaamismerkit_1022/" lang="sv">Digital informationssökning</a>' in page
    assert '<p lang="sv">Digital kompetens</p>' in page


def test_english_page_falls_back_to_finnish(editor_client, templates):
    page = editor_client.get(f"{LIBRARY}?lang=en").content.decode()

    assert '<a href="/staff/library/osaamismerkit_1022/" lang="fi">Digitaalinen tiedonhaku</a>' in page


def test_detail_shows_texts_per_language(editor_client, templates):
    page = editor_client.get(f"{LIBRARY}osaamismerkit_1026/?lang=en").content.decode()

    assert '<dd lang="fi">Digitaalinen turvallisuus</dd>' in page
    assert '<dd lang="sv">Digital säkerhet</dd>' in page
    assert '<ul lang="sv"><li>kan handla tryggt i digitala verksamhetsmiljöer</li>' in page
    assert "The source has no texts in this language." in page


def test_detail_keeps_trailing_space(editor_client, templates):
    page = editor_client.get(f"{LIBRARY}osaamismerkit_1026/").content.decode()

    assert "digitaalisissa ympäristöissä toimiessa\u202f</li>" in page


def test_detail_lists_missing_parts(editor_client, templates):
    page = editor_client.get(f"{LIBRARY}osaamismerkit_1011/?lang=en").content.decode()

    for label in ("No theme", "No learning outcomes", "No assessment criteria", "No English texts", "No description"):
        assert f"<li>{label}</li>" in page
    assert "which has passed" in page


def test_detail_of_unknown_code_is_404(editor_client, templates):
    assert editor_client.get(f"{LIBRARY}osaamismerkit_9999/").status_code == 404


def test_copy_creates_draft_badge(editor_client, staff, organisation, templates):
    response = copy(editor_client, "osaamismerkit_1022", organisation)

    badge = BadgeClass.objects.get(organisation=organisation)
    assert response.status_code == 302
    assert response["Location"] == f"/staff/{organisation.slug}/badges/{badge.slug}/edit/"
    assert badge.slug == "digitaalinen-tiedonhaku"
    assert badge.status == BadgeStatus.DRAFT


def test_copied_content_matches_source(editor_client, organisation, templates):
    data = real_json("osaamismerkit_1022")
    copy(editor_client, "osaamismerkit_1022", organisation)

    version = BadgeClass.objects.get(organisation=organisation).latest_version
    assert version.language == "fi"
    assert version.name == data["nimi"]["fi"]
    assert version.description == ""
    assert version.theme == data["kategoria"]["nimi"]["fi"]
    assert version.learning_outcomes == [item["osaamistavoite"]["fi"] for item in data["osaamistavoitteet"]]
    assert version.assessment_criteria == [item["arviointikriteeri"]["fi"] for item in data["arviointikriteerit"]]
    assert version.skill_demonstration == ""
    assert version.translations == {
        "sv": {
            "name": data["nimi"]["sv"],
            "theme": data["kategoria"]["nimi"]["sv"],
            "learning_outcomes": [item["osaamistavoite"]["sv"] for item in data["osaamistavoitteet"]],
            "assessment_criteria": [item["arviointikriteeri"]["sv"] for item in data["arviointikriteerit"]],
        }
    }


def test_copy_is_kapos_aligned(editor_client, organisation, templates):
    copy(editor_client, "osaamismerkit_1022", organisation)

    version = BadgeClass.objects.get(organisation=organisation).latest_version
    alignment = alignment_dicts(version)[0]
    assert version.kapos_code == "osaamismerkit_1022"
    assert alignment["target_code"] == "osaamismerkit_1022"
    assert alignment["target_framework"] == "Kansalliset perustaitojen osaamismerkit (KAPOS)"


def test_copy_gets_placeholder_image(editor_client, organisation, templates):
    copy(editor_client, "osaamismerkit_1022", organisation)

    version = BadgeClass.objects.get(organisation=organisation).latest_version
    assert version.image.sha256 == placeholder_image_sha256()
    assert version.image.content_type == "image/svg+xml"


def test_copy_keeps_trailing_space(editor_client, organisation, templates):
    copy(editor_client, "osaamismerkit_1026", organisation)

    criteria = BadgeClass.objects.get(organisation=organisation).latest_version.assessment_criteria
    assert criteria[3].endswith("toimiessa\u202f")


def test_copy_of_template_without_outcomes(editor_client, organisation, templates):
    copy(editor_client, "osaamismerkit_1011", organisation)

    version = BadgeClass.objects.get(organisation=organisation).latest_version
    assert version.name == "Mittayksiköt"
    assert version.learning_outcomes == []
    assert version.assessment_criteria == []
    assert version.theme == ""
    assert version.translations == {"sv": {"name": "Måttenheter"}}


def test_copy_twice_gets_new_slug(editor_client, organisation, templates):
    copy(editor_client, "osaamismerkit_1022", organisation)
    copy(editor_client, "osaamismerkit_1022", organisation)

    slugs = sorted(BadgeClass.objects.filter(organisation=organisation).values_list("slug", flat=True))
    assert slugs == ["digitaalinen-tiedonhaku", "digitaalinen-tiedonhaku-2"]


def test_copy_records_audit(editor_client, staff, organisation, templates):
    copy(editor_client, "osaamismerkit_1022", organisation)

    event = AuditEvent.objects.get(action="badge_template.copy")
    assert event.organisation == organisation
    assert event.actor == staff["editor"]
    assert event.details["template_code"] == "osaamismerkit_1022"


def test_instructor_cannot_copy(client, staff, organisation, templates):
    login(client, staff["instructor"])

    response = copy(client, "osaamismerkit_1022", organisation)

    assert response.status_code == 403
    assert not BadgeClass.objects.exists()


def test_copy_into_other_organisation_is_403(editor_client, other_organisation, templates):
    response = copy(editor_client, "osaamismerkit_1022", other_organisation)

    assert response.status_code == 403
    assert not BadgeClass.objects.exists()


def test_instructor_elsewhere_cannot_copy_there(editor_client, staff, other_organisation, templates):
    membership_set(user=staff["editor"], organisation=other_organisation, role=Role.INSTRUCTOR)

    response = copy(editor_client, "osaamismerkit_1022", other_organisation)

    assert response.status_code == 403


def test_copy_page_offers_each_organisation(editor_client, staff, other_organisation, templates):
    membership_set(user=staff["editor"], organisation=other_organisation, role=Role.OWNER)

    page = editor_client.get(f"{LIBRARY}osaamismerkit_1022/").content.decode()

    assert '<select id="copy-organisation" name="organisation">' in page
    assert f'<option value="{other_organisation.slug}">' in page


def test_copy_into_chosen_organisation(editor_client, staff, organisation, other_organisation, templates):
    membership_set(user=staff["editor"], organisation=other_organisation, role=Role.OWNER)

    copy(editor_client, "osaamismerkit_1022", other_organisation)

    assert BadgeClass.objects.get().organisation == other_organisation


def test_copy_requires_post(editor_client, templates):
    assert editor_client.get(f"{LIBRARY}osaamismerkit_1022/copy/").status_code == 405


def test_copied_draft_opens_in_badge_form(editor_client, organisation, templates):
    response = copy(editor_client, "osaamismerkit_1022", organisation)

    page = editor_client.get(response["Location"]).content.decode()
    assert "Digitaalinen tiedonhaku" in page
    assert "Digital informationssökning" in page


def upload(client, *files):
    return client.post(f"{LIBRARY}import/?lang=en", {"files": list(files)})


def json_upload(name: str, data) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, json.dumps(data).encode("utf-8"), content_type="application/json")


def test_upload_list_file_shows_report(editor_client, db):
    data = [real_json("osaamismerkit_1022"), real_json("osaamismerkit_1024")]

    page = upload(editor_client, json_upload("kaksi.json", data)).content.decode()

    assert BadgeTemplate.objects.count() == 2
    assert "2 created, 0 updated, 0 unchanged, 0 skipped, 0 failed." in page
    assert "kaksi.json, item 2" in page
    assert "No assessment criteria" in page


def test_upload_several_files(editor_client, db):
    page = upload(
        editor_client,
        json_upload("a.json", real_json("osaamismerkit_1007")),
        json_upload("b.json", real_json("osaamismerkit_1026")),
    ).content.decode()

    assert "2 created" in page
    assert BadgeTemplate.objects.count() == 2


def test_upload_broken_file_names_it(editor_client, db):
    broken = SimpleUploadedFile("rikki.json", b'{"koodiUri": ', content_type="application/json")

    response = upload(editor_client, broken)

    page = response.content.decode()
    assert response.status_code == 200
    assert "rikki.json is not valid JSON" in page
    assert "1 failed" in page


def test_upload_huge_file_rejected(editor_client, db):
    huge = SimpleUploadedFile("iso.json", b" " * (kapos_import.MAX_FILE_BYTES + 1), content_type="application/json")

    page = upload(editor_client, huge).content.decode()

    assert "iso.json is 5120 kB; the maximum is 5120 kB" in page
    assert not BadgeTemplate.objects.exists()


def test_upload_too_many_files_rejected(editor_client, db):
    files = [json_upload(f"{number}.json", {}) for number in range(21)]

    page = upload(editor_client, *files).content.decode()

    assert "You chose 21 files; the maximum is 20." in page


def test_upload_without_file(editor_client, db):
    response = editor_client.post(f"{LIBRARY}import/?lang=en", {})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_instructor_cannot_upload(client, staff, db):
    login(client, staff["instructor"])

    response = upload(client, json_upload("a.json", real_json("osaamismerkit_1022")))

    assert response.status_code == 403
    assert not BadgeTemplate.objects.exists()


def test_owner_can_upload(client, staff, db):
    login(client, staff["owner"])

    response = upload(client, json_upload("a.json", real_json("osaamismerkit_1022")))

    assert response.status_code == 200
    assert BadgeTemplate.objects.filter(code="osaamismerkit_1022").exists()
