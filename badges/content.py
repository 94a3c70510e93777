"""Texts built from a badge definition, in the badge's own language."""
from django.utils import translation
from django.utils.translation import gettext as _

# Framework name and address used in the alignment of KAPOS-aligned badges.
KAPOS_FRAMEWORK = "Kansalliset perustaitojen osaamismerkit (KAPOS)"
KAPOS_URL = "https://eperusteet.opintopolku.fi/#/fi/osaamismerkit"


def criteria_narrative(version) -> str:
    """Build the Achievement's ``criteria.narrative`` (Markdown) from outcomes and criteria.

    The headings are written in the badge's language, not the issuing
    instructor's, because the narrative is signed into the credential.
    """
    with translation.override(version.language):
        sections = []
        if version.learning_outcomes:
            lines = [_("Learning outcomes. The earner:")]
            lines += [f"- {item}" for item in version.learning_outcomes]
            sections.append("\n".join(lines))
        if version.assessment_criteria:
            lines = [_("Assessment criteria. The earner:")]
            lines += [f"- {item}" for item in version.assessment_criteria]
            sections.append("\n".join(lines))
        if version.skill_demonstration:
            sections.append(_("How the skill is shown:") + "\n" + version.skill_demonstration)
    return "\n\n".join(sections)


def alignment_dicts(version) -> list[dict]:
    """Return the version's alignments, with the KAPOS alignment first when it has one."""
    alignments = []
    if version.kapos_code:
        alignments.append(
            {
                "target_name": version.name,
                "target_url": KAPOS_URL,
                "target_code": version.kapos_code,
                "target_framework": KAPOS_FRAMEWORK,
            }
        )
    alignments.extend(version.alignments)
    return alignments


TRANSLATABLE_FIELDS = ("name", "description", "learning_outcomes", "assessment_criteria")


def text_languages(version, language: str) -> dict[str, str]:
    """Return, for each translatable field, the language that ``version.text(field, language)`` is in.

    Pages put it in a ``lang`` attribute, so that screen readers read a
    Swedish badge name on a Finnish page with Swedish pronunciation.
    """
    translated = version.translations.get(language, {})
    return {field: language if translated.get(field) else version.language for field in TRANSLATABLE_FIELDS}
