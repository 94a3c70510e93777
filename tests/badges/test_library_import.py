"""Importing ePerusteet badge JSON into the badge template library."""
import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from badges import kapos_import
from badges.kapos import DATA_DIR
from badges.kapos_import import KaposFormatError, parse_template, read_json_file
from badges.library import ImportResult, badge_template_import, badge_templates_import
from badges.models import BadgeTemplate
from issuers.models import AuditEvent

CODES = [
    "osaamismerkit_1007", "osaamismerkit_1010", "osaamismerkit_1011", "osaamismerkit_1018",
    "osaamismerkit_1022", "osaamismerkit_1024", "osaamismerkit_1025", "osaamismerkit_1026",
    "osaamismerkit_1028",
]
NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.timezone.utc)

# What each real object lacks: every one has fi and sv texts throughout and no English.
EXPECTED_MISSING = {
    "osaamismerkit_1007": ["description", "en_texts"],
    "osaamismerkit_1010": ["description", "en_texts"],
    "osaamismerkit_1011": ["description", "theme", "learning_outcomes", "assessment_criteria", "en_texts"],
    "osaamismerkit_1018": ["description", "en_texts"],
    "osaamismerkit_1022": ["description", "en_texts"],
    "osaamismerkit_1024": ["description", "assessment_criteria", "en_texts"],
    "osaamismerkit_1025": ["description", "en_texts"],
    "osaamismerkit_1026": ["description", "en_texts"],
    "osaamismerkit_1028": ["description", "en_texts"],
}
# kuvaus is null in 1007, 1010, 1026 and 1028 and absent elsewhere; 1010 and
# 1011 give an end date (30.9.2024) that has passed.
EXPECTED_WARNINGS = {
    "osaamismerkit_1007": ["description_null"],
    "osaamismerkit_1010": ["description_null", "end_date_past"],
    "osaamismerkit_1011": ["end_date_past"],
    "osaamismerkit_1018": [],
    "osaamismerkit_1022": [],
    "osaamismerkit_1024": [],
    "osaamismerkit_1025": [],
    "osaamismerkit_1026": ["description_null"],
    "osaamismerkit_1028": ["description_null"],
}


def source_path(code: str) -> Path:
    return DATA_DIR / f"{code}.json"


def source_json(code: str) -> dict:
    return json.loads(source_path(code).read_text(encoding="utf-8"))


def import_bytes(name: str, content: bytes, **kwargs):
    return badge_templates_import(files=[(name, content)], now=NOW, **kwargs)


def import_object(data, name="badge.json"):
    return import_bytes(name, json.dumps(data).encode("utf-8"))


def single_outcome(report):
    assert len(report.outcomes) == 1
    return report.outcomes[0]


def published_list(data: dict, list_key: str, item_key: str, language: str) -> list[str]:
    return [item[item_key][language] for item in data.get(list_key) or []]



@pytest.fixture(autouse=True)
def english_messages():
    """Compare messages with their English source text; the catalogues are tested elsewhere."""
    with translation.override("en"):
        yield

@pytest.mark.django_db
@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_real_object_texts_stored_as_published(code, language):
    data = source_json(code)
    import_bytes(source_path(code).name, source_path(code).read_bytes())

    texts = BadgeTemplate.objects.get(code=code).texts(language)
    assert texts["name"] == data["nimi"][language]
    assert texts.get("theme") == ((data.get("kategoria") or {}).get("nimi") or {}).get(language)
    assert texts.get("learning_outcomes", []) == published_list(
        data, "osaamistavoitteet", "osaamistavoite", language)
    assert texts.get("assessment_criteria", []) == published_list(
        data, "arviointikriteerit", "arviointikriteeri", language)
    assert "description" not in texts


@pytest.mark.django_db
@pytest.mark.parametrize("code", CODES)
def test_real_object_missing_parts_reported(code):
    report = import_bytes(source_path(code).name, source_path(code).read_bytes())

    outcome = single_outcome(report)
    template = BadgeTemplate.objects.get(code=code)
    assert outcome.result == ImportResult.CREATED
    assert outcome.code == code
    assert template.missing == EXPECTED_MISSING[code]
    assert template.warnings == EXPECTED_WARNINGS[code]
    assert outcome.missing == kapos_import.missing_labels(EXPECTED_MISSING[code])
    assert len(outcome.warnings) == len(EXPECTED_WARNINGS[code])


@pytest.mark.django_db
@pytest.mark.parametrize("code", CODES)
def test_real_object_has_no_english(code):
    import_bytes(source_path(code).name, source_path(code).read_bytes())

    assert BadgeTemplate.objects.get(code=code).texts_en == {}


@pytest.mark.django_db
def test_trailing_space_in_criterion_kept():
    import_bytes("osaamismerkit_1026.json", source_path("osaamismerkit_1026").read_bytes())

    criteria = BadgeTemplate.objects.get(code="osaamismerkit_1026").texts_fi["assessment_criteria"]
    assert criteria[3] == "nimeää tapoja, joilla voi suojata tietoja digitaalisissa ympäristöissä toimiessa\u202f"


@pytest.mark.django_db
def test_source_metadata_stored():
    import_bytes("osaamismerkit_1024.json", source_path("osaamismerkit_1024").read_bytes())

    template = BadgeTemplate.objects.get(code="osaamismerkit_1024")
    assert template.source == "kapos"
    assert template.source_status == "JULKAISTU"
    assert template.source_modified == datetime.datetime(2024, 2, 1, 11, 36, 51, 330000, tzinfo=datetime.timezone.utc)
    assert template.source_valid_from == datetime.datetime(2023, 12, 31, 22, 0, tzinfo=datetime.timezone.utc)
    assert template.source_valid_until is None


@pytest.mark.django_db
def test_import_records_audit_without_texts():
    import_bytes("osaamismerkit_1022.json", source_path("osaamismerkit_1022").read_bytes())

    event = AuditEvent.objects.get(action="badge_template.create")
    assert event.target_id == str(BadgeTemplate.objects.get().pk)
    assert event.details["code"] == "osaamismerkit_1022"
    assert "tiedonhaku" not in json.dumps(event.details).lower()


@pytest.mark.django_db
def test_folder_import_by_command():
    output = io.StringIO()
    call_command("import_kapos", str(DATA_DIR), stdout=output)

    assert sorted(BadgeTemplate.objects.values_list("code", flat=True)) == CODES
    text = output.getvalue()
    assert "9 created, 0 updated, 0 unchanged, 4 skipped, 0 failed" in text
    assert "themes.json, item 1" in text


@pytest.mark.django_db
def test_command_reimport_reports_unchanged():
    call_command("import_kapos", str(DATA_DIR), stdout=io.StringIO())
    output = io.StringIO()
    call_command("import_kapos", str(DATA_DIR), stdout=output)

    assert "0 created, 0 updated, 9 unchanged, 4 skipped, 0 failed" in output.getvalue()


@pytest.mark.django_db
def test_command_exits_1_on_failure(tmp_path):
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "good.json").write_bytes(source_path("osaamismerkit_1022").read_bytes())
    output = io.StringIO()

    with pytest.raises(SystemExit) as exit_status:
        call_command("import_kapos", str(tmp_path), stdout=output)

    assert exit_status.value.code == 1
    assert "broken.json is not valid JSON" in output.getvalue()
    assert BadgeTemplate.objects.filter(code="osaamismerkit_1022").exists()


@pytest.mark.django_db
def test_command_rejects_missing_path(tmp_path):
    with pytest.raises(CommandError, match="is not a file or a folder"):
        call_command("import_kapos", str(tmp_path / "nothing.json"), stdout=io.StringIO())


@pytest.mark.django_db
def test_command_rejects_folder_without_json(tmp_path):
    with pytest.raises(CommandError, match="No \\*.json files"):
        call_command("import_kapos", str(tmp_path), stdout=io.StringIO())


@pytest.mark.django_db
def test_reimport_is_unchanged_without_writes():
    content = source_path("osaamismerkit_1007").read_bytes()
    import_bytes("a.json", content)
    events = AuditEvent.objects.count()
    updated_at = BadgeTemplate.objects.get().updated_at

    outcome = single_outcome(import_bytes("a.json", content))

    assert outcome.result == ImportResult.UNCHANGED
    assert AuditEvent.objects.count() == events
    assert BadgeTemplate.objects.get().updated_at == updated_at


@pytest.mark.django_db
def test_reimport_with_changed_text_updates():
    data = source_json("osaamismerkit_1024")
    import_object(data)
    data["nimi"]["en"] = "Digital content"
    data["muokattu"] += 1000

    outcome = single_outcome(import_object(data))

    template = BadgeTemplate.objects.get()
    assert outcome.result == ImportResult.UPDATED
    assert template.texts_en == {"name": "Digital content"}
    assert "en_partial" in template.missing
    assert BadgeTemplate.objects.count() == 1
    assert AuditEvent.objects.filter(action="badge_template.update").count() == 1


@pytest.mark.django_db
def test_older_version_is_skipped():
    data = source_json("osaamismerkit_1024")
    import_object(data)
    older = json.loads(json.dumps(data))
    older["muokattu"] -= 1000
    older["nimi"]["fi"] = "Vanha nimi"

    outcome = single_outcome(import_object(older))

    assert outcome.result == ImportResult.SKIPPED
    assert BadgeTemplate.objects.get().texts_fi["name"] == "Digitaalinen sisältö"


@pytest.mark.django_db
def test_list_file_imports_each_object():
    objects = [source_json(code) for code in ("osaamismerkit_1007", "osaamismerkit_1022", "osaamismerkit_1026")]

    report = import_bytes("list.json", json.dumps(objects).encode("utf-8"))

    assert [outcome.result for outcome in report.outcomes] == [ImportResult.CREATED] * 3
    assert report.outcomes[1].source == "list.json, item 2"
    assert BadgeTemplate.objects.count() == 3


@pytest.mark.django_db
def test_bad_object_in_list_does_not_stop_others():
    objects = [source_json("osaamismerkit_1007"), {"nimi": {"fi": "Ei koodia"}}, 42]

    report = import_bytes("mixed.json", json.dumps(objects).encode("utf-8"))

    assert [outcome.result for outcome in report.outcomes] == [
        ImportResult.CREATED, ImportResult.FAILED, ImportResult.FAILED]
    assert "koodiUri" in report.outcomes[1].message
    assert report.outcomes[2].message == "A badge must be a JSON object, not a JSON number."
    assert report.has_failures
    assert BadgeTemplate.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", "bad.json is not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2."),
        (b"\xff\xfe{}", "bad.json is not UTF-8 text"),
        (b'"osaamismerkit_1022"', "bad.json contains a JSON string. It must contain one badge object or a list of them."),
        (b"12", "bad.json contains a JSON number."),
        (b"null", "bad.json contains a JSON null."),
        (b"[" * 100000 + b"]" * 100000, "bad.json is not a file of badge objects"),
    ],
    ids=["broken-json", "not-utf8", "string", "number", "null", "deep-nesting"],
)
def test_unusable_file_fails_with_file_name(content, expected):
    outcome = single_outcome(import_bytes("bad.json", content))

    assert outcome.result == ImportResult.FAILED
    assert outcome.source == "bad.json"
    assert expected in outcome.message


@pytest.mark.django_db
def test_huge_file_rejected_before_parsing():
    content = b" " * (kapos_import.MAX_FILE_BYTES + 1)

    outcome = single_outcome(import_bytes("huge.json", content))

    assert outcome.result == ImportResult.FAILED
    assert "huge.json is 5120 kB; the maximum is 5120 kB" in outcome.message


@pytest.mark.django_db
def test_too_many_objects_rejected():
    content = json.dumps([{}] * (kapos_import.MAX_OBJECTS_PER_FILE + 1)).encode("utf-8")

    outcome = single_outcome(import_bytes("many.json", content))

    assert outcome.result == ImportResult.FAILED
    assert "contains 501 objects; the maximum is 500" in outcome.message


def with_changes(code: str, **changes) -> dict:
    data = source_json(code)
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"nimi": {"fi": "Nimi"}}, "The object has no koodiUri"),
        (with_changes("osaamismerkit_1022", koodiUri=1022), "koodiUri must be a string, not a JSON number."),
        (with_changes("osaamismerkit_1022", koodiUri="../../etc"), "koodiUri “../../etc” is not a badge code"),
        (with_changes("osaamismerkit_1022", nimi="Digitaalinen tiedonhaku"),
         "nimi must be an object with fi, sv and en texts, not a JSON string."),
        (with_changes("osaamismerkit_1022", nimi={"fi": 5}), "nimi.fi must be a string, not a JSON number."),
        (with_changes("osaamismerkit_1022", nimi={"_id": "1"}), "has no name (nimi)"),
        (with_changes("osaamismerkit_1022", kuvaus=["a"]), "kuvaus must be an object"),
        (with_changes("osaamismerkit_1022", kategoria="Digitaidot"), "kategoria must be an object, not a JSON string."),
        (with_changes("osaamismerkit_1022", osaamistavoitteet={"fi": "x"}),
         "osaamistavoitteet must be a list, not a JSON object."),
        (with_changes("osaamismerkit_1022", osaamistavoitteet=["osaa hakea"]),
         "osaamistavoitteet[1] must be an object, not a JSON string."),
        (with_changes("osaamismerkit_1022", arviointikriteerit=[{"arviointikriteeri": {"sv": True}}]),
         "arviointikriteerit[1].arviointikriteeri.sv must be a string, not a JSON true/false."),
        (with_changes("osaamismerkit_1022", muokattu="2024-02-01"),
         "muokattu must be a number of milliseconds since 1970, not a JSON string."),
        (with_changes("osaamismerkit_1022", voimassaoloLoppuu=True),
         "voimassaoloLoppuu must be a number of milliseconds since 1970, not a JSON true/false."),
        (with_changes("osaamismerkit_1022", voimassaoloAlkaa=1704060000),
         "voimassaoloAlkaa is 1704060000, which is not a time between the years 2000 and 2100"),
        (with_changes("osaamismerkit_1022", tila=["JULKAISTU"]), "tila must be a status string"),
        (with_changes("osaamismerkit_1022", nimi={"fi": "Nimi\x00"}), "nimi.fi contains control characters."),
        (with_changes("osaamismerkit_1022", nimi={"fi": "x" * 5001}),
         "nimi.fi is 5001 characters long; the maximum is 5000."),
        (with_changes("osaamismerkit_1022", osaamistavoitteet=[{"osaamistavoite": {"fi": "a"}}] * 101),
         "osaamistavoitteet has 101 items; the maximum is 100."),
    ],
    ids=[
        "no-code", "code-number", "code-pattern", "name-string", "name-number", "name-empty", "description-list",
        "theme-string", "outcomes-object", "outcome-string", "criterion-bool", "modified-string", "end-bool",
        "start-seconds", "status-list", "nul-character", "long-text", "many-items",
    ],
)
def test_invalid_object_rejected(data, expected):
    with pytest.raises(KaposFormatError) as error:
        parse_template(data, now=NOW)

    assert expected in str(error.value)


@pytest.mark.django_db
def test_invalid_object_reported_per_object():
    outcome = single_outcome(import_object(with_changes("osaamismerkit_1022", nimi="Nimi"), name="one.json"))

    assert outcome.result == ImportResult.FAILED
    assert outcome.source == "one.json"
    assert outcome.code == "osaamismerkit_1022"
    assert BadgeTemplate.objects.count() == 0


def test_missing_language_stays_missing():
    data = with_changes(
        "osaamismerkit_1022",
        nimi={"fi": "Digitaalinen tiedonhaku", "sv": "", "en": None},
        osaamistavoitteet=[
            {"osaamistavoite": {"fi": "osaa hakea", "sv": "kan söka"}},
            {"osaamistavoite": {"fi": "osaa arvioida"}},
        ],
    )

    parsed = parse_template(data, now=NOW)

    assert parsed.texts["sv"]["learning_outcomes"] == ["kan söka"]
    assert "name" not in parsed.texts["sv"]
    assert parsed.texts["en"] == {}
    assert parsed.missing == ["description", "sv_partial", "en_texts"]


def test_end_date_before_start_warned():
    data = with_changes("osaamismerkit_1022", voimassaoloAlkaa=1727643600000, voimassaoloLoppuu=1704060000000)

    parsed = parse_template(data, now=NOW)

    assert parsed.warnings == ["end_date_past", "end_date_before_start"]


def test_unpublished_status_warned():
    parsed = parse_template(with_changes("osaamismerkit_1022", tila="LUONNOS"), now=NOW)

    assert parsed.warnings == ["not_published"]


def test_end_date_message_uses_local_date():
    parsed = parse_template(source_json("osaamismerkit_1011"), now=NOW)

    with translation.override("fi"):
        messages = kapos_import.warning_messages(
            warnings=parsed.warnings, status=parsed.source_status,
            valid_from=parsed.source_valid_from, valid_until=parsed.source_valid_until,
        )

    # 1727643600000 ms is 2024-09-29T21:00Z, which is midnight of 30 September in Helsinki.
    assert "30.9.2024" in messages[0]


def test_theme_file_objects_recognised():
    themes = read_json_file("themes.json", (DATA_DIR / "themes.json").read_bytes())

    assert len(themes) == 4
    assert all(kapos_import.is_theme_object(source.data) for source in themes)
    assert not kapos_import.is_theme_object(source_json("osaamismerkit_1007"))


def test_byte_order_mark_accepted():
    sources = read_json_file("bom.json", b"\xef\xbb\xbf" + source_path("osaamismerkit_1022").read_bytes())

    assert sources[0].data["koodiUri"] == "osaamismerkit_1022"


@pytest.mark.django_db
def test_import_requires_owner_or_editor(staff):
    with pytest.raises(PermissionDenied):
        badge_template_import(data=source_json("osaamismerkit_1022"), actor=staff["instructor"], now=NOW)


@pytest.mark.django_db
def test_editor_may_import(staff):
    template, result = badge_template_import(data=source_json("osaamismerkit_1022"), actor=staff["editor"], now=NOW)

    assert result == ImportResult.CREATED
    assert AuditEvent.objects.get(action="badge_template.create").actor == staff["editor"]


@pytest.mark.django_db
def test_custom_template_never_overwritten():
    BadgeTemplate.objects.create(code="osaamismerkit_1022", source="custom", texts_fi={"name": "Oma merkki"})

    outcome = single_outcome(import_object(source_json("osaamismerkit_1022")))

    assert outcome.result == ImportResult.FAILED
    assert "custom template with the code osaamismerkit_1022" in outcome.message
    assert BadgeTemplate.objects.get().texts_fi == {"name": "Oma merkki"}
