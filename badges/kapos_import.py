"""Strict reading of ePerusteet badge JSON for the badge template library.

ePerusteet publishes each national basic-skills badge as one object
(``/eperusteet-service/api/external/osaamismerkki/koodi/{koodiUri}``)::

    {"koodiUri": "osaamismerkit_1024", "tila": "JULKAISTU",
     "nimi": {"_id": "9204271", "fi": "Digitaalinen sisältö", "sv": "Digitalt innehåll"},
     "kuvaus": null,
     "kategoria": {"nimi": {"fi": "Digitaidot", "sv": "Digital kompetens"}, "liite": {...}},
     "osaamistavoitteet": [{"id": 9203079, "osaamistavoite": {"fi": "osaa tuottaa ...", "sv": "..."}}],
     "arviointikriteerit": [{"id": 9203142, "arviointikriteeri": {"fi": "...", "sv": "..."}}],
     "voimassaoloAlkaa": 1704060000000, "voimassaoloLoppuu": null, "muokattu": 1706787411330}

Times are milliseconds since the Unix epoch. A file contains one such object
or a list of them. ``badges.kapos.parse_kapos_badge`` reads the project's own
copies. This module reads untrusted uploads, so it checks the type of every
field it uses and raises ``KaposFormatError`` naming the field and the rule.
Other fields are ignored. Texts are kept exactly as published, trailing
spaces included, and nothing is filled in for a missing language.
"""
import datetime
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .kapos import LANGUAGES

# Limits on untrusted input. The nine real objects are at most 23 kB each
# (one carries its theme's image as base64), so 5 MB leaves room for a list
# of every national badge.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_OBJECTS_PER_FILE = 500
MAX_FILES = 200
MAX_LIST_ITEMS = 100
MAX_TEXT_LENGTH = 5000
MAX_STATUS_LENGTH = 40

# koodiUri of a badge, for example "osaamismerkit_1022". The code is also
# BadgeVersion.kapos_code (40 characters) and part of the library's URLs.
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9]*_[a-z0-9]+$")
MAX_CODE_LENGTH = 40
PUBLISHED_STATUS = "JULKAISTU"

# Timestamps outside these years are typing errors, not dates.
EARLIEST_TIMESTAMP_MS = 946684800000  # 2000-01-01T00:00:00Z
LATEST_TIMESTAMP_MS = 4102444800000  # 2100-01-01T00:00:00Z
UNIX_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)

# Control characters other than tab, line feed and carriage return are
# rejected: PostgreSQL's jsonb cannot store U+0000 at all.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

MISSING_LABELS = {
    "description": gettext_lazy("No description"),
    "theme": gettext_lazy("No theme"),
    "learning_outcomes": gettext_lazy("No learning outcomes"),
    "assessment_criteria": gettext_lazy("No assessment criteria"),
    "fi_texts": gettext_lazy("No Finnish texts"),
    "sv_texts": gettext_lazy("No Swedish texts"),
    "en_texts": gettext_lazy("No English texts"),
    "fi_partial": gettext_lazy("Some Finnish texts are missing"),
    "sv_partial": gettext_lazy("Some Swedish texts are missing"),
    "en_partial": gettext_lazy("Some English texts are missing"),
}
WARNING_CODES = ("description_null", "end_date_past", "end_date_before_start", "not_published")

JSON_TYPE_NAMES = {
    dict: "object", list: "array", str: "string", int: "number", float: "number", bool: "true/false",
    type(None): "null",
}


class KaposFormatError(ValueError):
    """Input that is not an ePerusteet badge object; the message names the field and the fix."""


@dataclass(frozen=True)
class SourceObject:
    """One top-level object read from a file, with a label for reports ("file.json, item 3")."""

    label: str
    data: object


@dataclass(frozen=True)
class TemplateData:
    """The checked content of one badge object, in ``BadgeTemplate``'s field names."""

    code: str
    texts: dict
    source_status: str
    source_valid_from: datetime.datetime | None
    source_valid_until: datetime.datetime | None
    source_modified: datetime.datetime | None
    missing: list
    warnings: list

    def model_fields(self) -> dict:
        fields = {f"texts_{language}": self.texts[language] for language in LANGUAGES}
        fields.update(
            source_status=self.source_status,
            source_valid_from=self.source_valid_from,
            source_valid_until=self.source_valid_until,
            source_modified=self.source_modified,
            missing=self.missing,
            warnings=self.warnings,
        )
        return fields


def _json_type(value) -> str:
    return JSON_TYPE_NAMES.get(type(value), type(value).__name__)


def read_json_file(name: str, content: bytes) -> list[SourceObject]:
    """Decode a file holding one badge object or a list of them.

    Raises ``KaposFormatError`` when the whole file is unusable: too large,
    not UTF-8, not JSON, or neither an object nor a list of at most
    ``MAX_OBJECTS_PER_FILE`` items.
    """
    if len(content) > MAX_FILE_BYTES:
        raise KaposFormatError(
            _("%(file)s is %(size)d kB; the maximum is %(limit)d kB. Split the list into smaller files.")
            % {"file": name, "size": len(content) // 1024, "limit": MAX_FILE_BYTES // 1024}
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise KaposFormatError(
            _("%(file)s is not UTF-8 text (invalid byte at position %(position)d). "
              "Save the file as UTF-8 JSON.") % {"file": name, "position": error.start}
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise KaposFormatError(
            _("%(file)s is not valid JSON: %(error)s at line %(line)d, column %(column)d. "
              "Download the file from ePerusteet again.")
            % {"file": name, "error": error.msg, "line": error.lineno, "column": error.colno}
        ) from None
    except (ValueError, RecursionError):
        # Python's own limits: integers of over 4,300 digits, very deep nesting.
        raise KaposFormatError(
            _("%(file)s is not a file of badge objects: its numbers are too long or it is nested too "
              "deeply. Download the file from ePerusteet again.") % {"file": name}
        ) from None

    if isinstance(data, dict):
        return [SourceObject(label=name, data=data)]
    if not isinstance(data, list):
        raise KaposFormatError(
            _("%(file)s contains a JSON %(type)s. It must contain one badge object or a list of them.")
            % {"file": name, "type": _json_type(data)}
        )
    if len(data) > MAX_OBJECTS_PER_FILE:
        raise KaposFormatError(
            _("%(file)s contains %(count)d objects; the maximum is %(max)d. Split the list into smaller files.")
            % {"file": name, "count": len(data), "max": MAX_OBJECTS_PER_FILE}
        )
    return [
        SourceObject(label=_("%(file)s, item %(number)d") % {"file": name, "number": number}, data=item)
        for number, item in enumerate(data, start=1)
    ]


def json_files(paths: list[Path]) -> list[Path]:
    """Expand folders into their ``*.json`` files (not recursively), in name order.

    A file named on its own is read whatever its suffix. Raises
    ``KaposFormatError`` for a path that does not exist or when there are
    more than ``MAX_FILES`` files.
    """
    files = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(child for child in path.glob("*.json") if child.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise KaposFormatError(
                _("%(path)s is not a file or a folder. Check the path.") % {"path": path}
            )
    if len(files) > MAX_FILES:
        raise KaposFormatError(
            _("There are %(count)d files to import; the maximum is %(max)d. Import the folder in parts.")
            % {"count": len(files), "max": MAX_FILES}
        )
    return files


def read_file_limited(path: Path) -> bytes:
    """Return a file's bytes, reading at most one byte past ``MAX_FILE_BYTES``."""
    with open(path, "rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)


def is_theme_object(data) -> bool:
    """Return whether ``data`` is a theme (``kategoria``) object rather than a badge.

    ePerusteet publishes the themes as a separate list of objects with a
    name and an image (``liite``) but no ``koodiUri``.
    """
    return (
        isinstance(data, dict)
        and "koodiUri" not in data
        and "liite" in data
        and "osaamistavoitteet" not in data
    )


def _check_text(text: str, field: str) -> None:
    if len(text) > MAX_TEXT_LENGTH:
        raise KaposFormatError(
            _("%(field)s is %(length)d characters long; the maximum is %(max)d.")
            % {"field": field, "length": len(text), "max": MAX_TEXT_LENGTH}
        )
    if CONTROL_CHARACTERS.search(text):
        raise KaposFormatError(
            _("%(field)s contains control characters. Remove them from the file.") % {"field": field}
        )


def _localised(value, field: str) -> dict[str, str]:
    """Return the non-empty fi/sv/en strings of a localised object; ``_id`` and ``_tunniste`` are ignored."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise KaposFormatError(
            _("%(field)s must be an object with fi, sv and en texts, not a JSON %(type)s.")
            % {"field": field, "type": _json_type(value)}
        )
    texts = {}
    for language in LANGUAGES:
        text = value.get(language)
        if text is None:
            continue
        if not isinstance(text, str):
            raise KaposFormatError(
                _("%(field)s must be a string, not a JSON %(type)s.")
                % {"field": f"{field}.{language}", "type": _json_type(text)}
            )
        _check_text(text, f"{field}.{language}")
        # A blank string is no text; a non-blank one is stored unchanged.
        if text.strip():
            texts[language] = text
    return texts


def _localised_list(value, field: str, item_key: str) -> list[dict[str, str]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise KaposFormatError(
            _("%(field)s must be a list, not a JSON %(type)s.") % {"field": field, "type": _json_type(value)}
        )
    if len(value) > MAX_LIST_ITEMS:
        raise KaposFormatError(
            _("%(field)s has %(count)d items; the maximum is %(max)d.")
            % {"field": field, "count": len(value), "max": MAX_LIST_ITEMS}
        )
    items = []
    for number, item in enumerate(value, start=1):
        item_field = f"{field}[{number}]"
        if not isinstance(item, dict):
            raise KaposFormatError(
                _("%(field)s must be an object, not a JSON %(type)s.")
                % {"field": item_field, "type": _json_type(item)}
            )
        texts = _localised(item.get(item_key), f"{item_field}.{item_key}")
        if texts:
            items.append(texts)
    return items


def _timestamp(data: dict, key: str) -> datetime.datetime | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise KaposFormatError(
            _("%(field)s must be a number of milliseconds since 1970, not a JSON %(type)s.")
            % {"field": key, "type": _json_type(value)}
        )
    if not EARLIEST_TIMESTAMP_MS <= value < LATEST_TIMESTAMP_MS:
        raise KaposFormatError(
            _("%(field)s is %(value)d, which is not a time between the years 2000 and 2100 in "
              "milliseconds since 1970.") % {"field": key, "value": value}
        )
    return UNIX_EPOCH + datetime.timedelta(milliseconds=value)


def _code(data: dict) -> str:
    code = data.get("koodiUri")
    if code is None:
        raise KaposFormatError(
            _("The object has no koodiUri, so it cannot be identified. Use the badge objects that "
              "ePerusteet publishes, which all have one.")
        )
    if not isinstance(code, str):
        raise KaposFormatError(
            _("koodiUri must be a string, not a JSON %(type)s.") % {"type": _json_type(code)}
        )
    if len(code) > MAX_CODE_LENGTH or not CODE_PATTERN.match(code):
        raise KaposFormatError(
            _("koodiUri “%(code)s” is not a badge code such as “osaamismerkit_1022”: use lower-case "
              "letters, digits and one underscore, at most %(max)d characters.")
            % {"code": code[:80], "max": MAX_CODE_LENGTH}
        )
    return code


def _status(data: dict) -> str:
    status = data.get("tila")
    if status is None:
        return ""
    if not isinstance(status, str) or len(status) > MAX_STATUS_LENGTH:
        raise KaposFormatError(
            _("tila must be a status string such as “JULKAISTU” of at most %(max)d characters.")
            % {"max": MAX_STATUS_LENGTH}
        )
    return status


def _missing(names, descriptions, themes, outcomes, criteria) -> list[str]:
    missing = []
    if not descriptions:
        missing.append("description")
    if not themes:
        missing.append("theme")
    if not outcomes:
        missing.append("learning_outcomes")
    if not criteria:
        missing.append("assessment_criteria")

    # Every text the source has in some language; each language is checked against them all.
    parts = [names, descriptions, themes, *outcomes, *criteria]
    parts = [part for part in parts if part]
    for language in LANGUAGES:
        present = sum(1 for part in parts if language in part)
        if present == 0:
            missing.append(f"{language}_texts")
        elif present < len(parts):
            missing.append(f"{language}_partial")
    return missing


def _warnings(data: dict, status: str, valid_from, valid_until, now: datetime.datetime) -> list[str]:
    warnings = []
    if "kuvaus" in data and data["kuvaus"] is None:
        warnings.append("description_null")
    if valid_until is not None and valid_until <= now:
        warnings.append("end_date_past")
    if valid_until is not None and valid_from is not None and valid_until < valid_from:
        warnings.append("end_date_before_start")
    if status and status != PUBLISHED_STATUS:
        warnings.append("not_published")
    return warnings


def _texts_by_language(names, descriptions, themes, outcomes, criteria) -> dict[str, dict]:
    texts = {}
    for language in LANGUAGES:
        entry = {}
        for key, values in (("name", names), ("description", descriptions), ("theme", themes)):
            if language in values:
                entry[key] = values[language]
        for key, items in (("learning_outcomes", outcomes), ("assessment_criteria", criteria)):
            in_language = [item[language] for item in items if language in item]
            if in_language:
                entry[key] = in_language
        texts[language] = entry
    return texts


def parse_template(data, *, now: datetime.datetime) -> TemplateData:
    """Check one ePerusteet badge object and return its content.

    ``now`` decides whether an end date has passed. Raises
    ``KaposFormatError`` for anything that is not a usable badge object.
    """
    if not isinstance(data, dict):
        raise KaposFormatError(
            _("A badge must be a JSON object, not a JSON %(type)s.") % {"type": _json_type(data)}
        )
    code = _code(data)
    names = _localised(data.get("nimi"), "nimi")
    if not names:
        raise KaposFormatError(
            _("The badge %(code)s has no name (nimi) in Finnish, Swedish or English.") % {"code": code}
        )
    descriptions = _localised(data.get("kuvaus"), "kuvaus")
    category = data.get("kategoria")
    if category is not None and not isinstance(category, dict):
        raise KaposFormatError(
            _("kategoria must be an object, not a JSON %(type)s.") % {"type": _json_type(category)}
        )
    themes = _localised((category or {}).get("nimi"), "kategoria.nimi")
    outcomes = _localised_list(data.get("osaamistavoitteet"), "osaamistavoitteet", "osaamistavoite")
    criteria = _localised_list(data.get("arviointikriteerit"), "arviointikriteerit", "arviointikriteeri")
    status = _status(data)
    valid_from = _timestamp(data, "voimassaoloAlkaa")
    valid_until = _timestamp(data, "voimassaoloLoppuu")

    return TemplateData(
        code=code,
        texts=_texts_by_language(names, descriptions, themes, outcomes, criteria),
        source_status=status,
        source_valid_from=valid_from,
        source_valid_until=valid_until,
        source_modified=_timestamp(data, "muokattu"),
        missing=_missing(names, descriptions, themes, outcomes, criteria),
        warnings=_warnings(data, status, valid_from, valid_until, now),
    )


def missing_labels(codes) -> list[str]:
    """Return the translated label of each code in a template's ``missing`` list."""
    return [str(MISSING_LABELS.get(code, code)) for code in codes]


def _date(value: datetime.datetime | None) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATE_FORMAT") if value else ""


def warning_messages(*, warnings, status: str, valid_from, valid_until) -> list[str]:
    """Return a translated sentence for each code in a template's ``warnings`` list."""
    messages = []
    for code in warnings:
        if code == "description_null":
            messages.append(_("The source's description (kuvaus) is null."))
        elif code == "end_date_past":
            messages.append(
                _("The source gives the end date %(date)s, which has passed. ePerusteet end dates are "
                  "not always reliable: check on ePerusteet whether the badge is still in use.")
                % {"date": _date(valid_until)}
            )
        elif code == "end_date_before_start":
            messages.append(
                _("The source's end date %(end)s is before its start date %(start)s, so neither date "
                  "can be relied on.") % {"end": _date(valid_until), "start": _date(valid_from)}
            )
        elif code == "not_published":
            messages.append(
                _("The source's status is “%(status)s”, not published (JULKAISTU).") % {"status": status}
            )
        else:
            messages.append(code)
    return messages
