"""Reading KAPOS badge definitions in the ePerusteet API's JSON shape.

Example (trimmed)::

    {"koodiUri": "osaamismerkit_1022",
     "nimi": {"fi": "Digitaalinen tiedonhaku", "sv": "Digital informationssökning"},
     "kategoria": {"nimi": {"fi": "Digitaidot", "sv": "Digital kompetens"}},
     "osaamistavoitteet": [{"id": 9203075, "osaamistavoite": {"fi": "osaa hakea ...", "sv": "..."}}],
     "arviointikriteerit": [{"id": 9203078, "arviointikriteeri": {"fi": "...", "sv": "..."}}]}

Texts are returned exactly as published, including stray spaces: they are
official wording, and nothing is invented for a missing language.
"""
import json
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data" / "kapos"
LANGUAGES = ("fi", "sv", "en")


@dataclass
class KaposBadge:
    code: str
    names: dict[str, str]
    themes: dict[str, str] = field(default_factory=dict)
    learning_outcomes: dict[str, list[str]] = field(default_factory=dict)
    assessment_criteria: dict[str, list[str]] = field(default_factory=dict)


def _texts(value) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {language: value[language] for language in LANGUAGES if isinstance(value.get(language), str)}


def _list_texts(items, key: str) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for item in items or []:
        for language, text in _texts((item or {}).get(key)).items():
            result.setdefault(language, []).append(text)
    return result


def parse_kapos_badge(data: dict) -> KaposBadge:
    return KaposBadge(
        code=data["koodiUri"],
        names=_texts(data.get("nimi")),
        themes=_texts((data.get("kategoria") or {}).get("nimi")),
        learning_outcomes=_list_texts(data.get("osaamistavoitteet"), "osaamistavoite"),
        assessment_criteria=_list_texts(data.get("arviointikriteerit"), "arviointikriteeri"),
    )


def load_kapos_badge(code: str) -> KaposBadge:
    with open(DATA_DIR / f"{code}.json", encoding="utf-8") as handle:
        return parse_kapos_badge(json.load(handle))
