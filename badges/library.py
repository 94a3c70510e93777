"""The network-wide badge template library: importing templates, reading them, copying them.

Templates belong to no organisation. Owners and editors of any
organisation may import ePerusteet files into the library and copy a
template into an organisation where they are an owner or editor. A copy is
a draft badge that is *KAPOS-aligned*: it follows a national basic-skills
badge but is never the official badge, which only adult education
institutions record in Koski.
"""
import functools
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from issuers.images import clean_image
from issuers.models import Membership, Organisation, UploadedImage
from issuers.permissions import ALLOWED_ROLES, Action
from issuers.selectors import user_can
from issuers.services import audit_record, image_store

from .demo_images import emblem_svg
from .kapos_import import (
    LANGUAGES,
    MAX_CODE_LENGTH,
    KaposFormatError,
    is_theme_object,
    missing_labels,
    parse_template,
    read_json_file,
    warning_messages,
)
from .models import BadgeClass, BadgeStatus, BadgeTemplate, BadgeVersion, TemplateSource
from .services import BadgeContent, badge_create

logger = logging.getLogger(__name__)

# The draft made from a template gets this emblem until an editor uploads
# the real image. It is one fixed image, so placeholder_image_sha256()
# recognises it.
PLACEHOLDER_EMBLEM = ("?", "#5f6368")
MAX_SLUG_ATTEMPTS = 100
MAX_SEARCH_LENGTH = 100

# BadgeVersion column sizes that a template's texts must fit.
MAX_NAME_LENGTH = BadgeVersion._meta.get_field("name").max_length
MAX_THEME_LENGTH = BadgeVersion._meta.get_field("theme").max_length


class ImportResult:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass
class ImportOutcome:
    """The result of importing one object, as the command and the import page report it."""

    source: str
    result: str
    code: str = ""
    message: str = ""
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    outcomes: list[ImportOutcome] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = Counter(outcome.result for outcome in self.outcomes)
        return {result: counts.get(result, 0) for result in (
            ImportResult.CREATED, ImportResult.UPDATED, ImportResult.UNCHANGED,
            ImportResult.SKIPPED, ImportResult.FAILED,
        )}

    @property
    def has_failures(self) -> bool:
        return any(outcome.result == ImportResult.FAILED for outcome in self.outcomes)


# Selectors ------------------------------------------------------------------

def can_use_library(user) -> bool:
    """Return whether ``user`` is an owner or editor of at least one organisation."""
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, role__in=ALLOWED_ROLES[Action.MANAGE_BADGES]).exists()


def copy_target_organisations(user) -> list[Organisation]:
    """Return the organisations into which ``user`` may copy templates, by name."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        Organisation.objects.filter(
            memberships__user=user, memberships__role__in=ALLOWED_ROLES[Action.MANAGE_BADGES]
        ).order_by("name")
    )


def template_by_code(code: str) -> BadgeTemplate:
    template = BadgeTemplate.objects.filter(code=code).first()
    if template is None:
        raise Http404("No badge template with this code.")
    return template


@dataclass(frozen=True)
class LocalisedText:
    """A text with the language it is written in, for the ``lang`` attribute."""

    text: str
    language: str


def localised(template: BadgeTemplate, key: str, language: str) -> LocalisedText | None:
    """Return a template's text in ``language``, else in Finnish, else in any language it has."""
    for candidate in (language, "fi", *LANGUAGES):
        value = template.texts(candidate).get(key)
        if value:
            return LocalisedText(text=value, language=candidate)
    return None


def _matches(template: BadgeTemplate, query: str, theme: str) -> bool:
    if theme and theme not in {template.texts(language).get("theme") for language in LANGUAGES}:
        return False
    if not query:
        return True
    folded = query.casefold()
    for language in LANGUAGES:
        texts = template.texts(language)
        if any(folded in (texts.get(key) or "").casefold() for key in ("name", "theme")):
            return True
    return folded in template.code


def templates_search(*, query: str = "", theme: str = "", language: str = "fi") -> list[BadgeTemplate]:
    """Return the templates whose name or theme in any language contains ``query``, by name.

    ``theme`` keeps only templates with exactly that theme in some language.
    """
    # NOTE: filtered in Python because SQLite folds the case of ASCII letters
    # only, so "Ä" would not find "ä". The library has one template per
    # national badge, a few hundred at most.
    query = " ".join(query.split())[:MAX_SEARCH_LENGTH]
    templates = [template for template in BadgeTemplate.objects.all() if _matches(template, query, theme)]
    return sorted(templates, key=lambda template: _sort_key(template, language))


def _sort_key(template: BadgeTemplate, language: str) -> tuple:
    name = localised(template, "name", language)
    return ((name.text if name else "").casefold(), template.code)


def template_themes(language: str) -> list[LocalisedText]:
    """Return each distinct theme once, in ``language`` when the template has it, by name."""
    themes = {}
    for template in BadgeTemplate.objects.all():
        theme = localised(template, "theme", language)
        if theme is not None:
            themes.setdefault(theme.text, theme)
    return sorted(themes.values(), key=lambda theme: theme.text.casefold())


@functools.cache
def placeholder_image_sha256() -> str:
    """Return the SHA-256 of the stored placeholder emblem, to tell it from a real image."""
    return clean_image(emblem_svg(*PLACEHOLDER_EMBLEM)).sha256


# Services -------------------------------------------------------------------

def _require_library_user(actor) -> None:
    if actor is None:
        return
    if not can_use_library(actor):
        raise PermissionDenied(_("Only owners and editors of an organisation can change the badge template library."))


def _outcome_details(template_data) -> dict:
    return {
        "missing": missing_labels(template_data.missing),
        "warnings": warning_messages(
            warnings=template_data.warnings,
            status=template_data.source_status,
            valid_from=template_data.source_valid_from,
            valid_until=template_data.source_valid_until,
        ),
    }


@transaction.atomic
def badge_template_import(*, data, actor=None, now=None) -> tuple[BadgeTemplate, str]:
    """Create or update one template from an ePerusteet badge object.

    Returns the template and ``ImportResult.CREATED``, ``UPDATED``,
    ``UNCHANGED``, or ``SKIPPED`` when the library has a version with a
    later ``muokattu`` time (the stored template is returned then). Raises
    ``KaposFormatError`` for an invalid object and ``PermissionDenied`` for
    an ``actor`` who is no owner or editor.
    """
    _require_library_user(actor)
    now = now or timezone.now()
    parsed = parse_template(data, now=now)
    fields = parsed.model_fields()

    template = BadgeTemplate.objects.select_for_update().filter(code=parsed.code).first()
    if template is not None and template.source != TemplateSource.KAPOS:
        raise KaposFormatError(
            _("The library has a custom template with the code %(code)s, and an import never overwrites "
              "a custom template. Rename the custom template first.") % {"code": parsed.code}
        )
    if template is None:
        template = BadgeTemplate.objects.create(code=parsed.code, source=TemplateSource.KAPOS, **fields)
        result = ImportResult.CREATED
    elif _is_older(parsed, template):
        return template, ImportResult.SKIPPED
    elif all(getattr(template, name) == value for name, value in fields.items()):
        return template, ImportResult.UNCHANGED
    else:
        for name, value in fields.items():
            setattr(template, name, value)
        template.save()
        result = ImportResult.UPDATED

    audit_record(
        action=f"badge_template.{'create' if result == ImportResult.CREATED else 'update'}",
        actor=actor,
        target=template,
        details={"code": template.code, "missing": parsed.missing, "warnings": parsed.warnings},
    )
    logger.info("Imported badge template %s (%s)", template.code, result)
    return template, result


def _import_object(source, *, actor, now) -> ImportOutcome:
    if is_theme_object(source.data):
        return ImportOutcome(
            source=source.label,
            result=ImportResult.SKIPPED,
            message=_("This is a theme (kategoria) object, not a badge, so it was skipped."),
        )
    try:
        parsed = parse_template(source.data, now=now)
        try:
            template, result = badge_template_import(data=source.data, actor=actor, now=now)
        except IntegrityError:
            # Another import created the same code between our read and our
            # insert; the second attempt finds that row and updates it.
            logger.info("Retrying the import of badge template %s after a concurrent insert", parsed.code)
            template, result = badge_template_import(data=source.data, actor=actor, now=now)
    except KaposFormatError as error:
        logger.info("Rejected %s in a badge template import: %s", source.label, error)
        code = source.data.get("koodiUri") if isinstance(source.data, dict) else ""
        return ImportOutcome(
            source=source.label,
            result=ImportResult.FAILED,
            code=code[:MAX_CODE_LENGTH] if isinstance(code, str) else "",
            message=str(error),
        )
    message = ""
    if result == ImportResult.SKIPPED:
        message = _("The library already has a later version of this badge (by its muokattu time), "
                    "so this one was not imported.")
    return ImportOutcome(
        source=source.label, result=result, code=template.code, message=message, **_outcome_details(parsed)
    )


def _is_older(parsed, stored: BadgeTemplate | None) -> bool:
    return (
        stored is not None
        and stored.source_modified is not None
        and parsed.source_modified is not None
        and parsed.source_modified < stored.source_modified
    )


def badge_templates_import(*, files: Iterable[tuple[str, bytes]], actor=None, now=None) -> ImportReport:
    """Import every badge object of the given ``(file name, content)`` pairs.

    Each object is imported in its own transaction, so one invalid object
    never stops the others; the report lists every object with its result.
    """
    _require_library_user(actor)
    now = now or timezone.now()
    report = ImportReport()
    for name, content in files:
        try:
            sources = read_json_file(name, content)
        except KaposFormatError as error:
            logger.info("Rejected the file %s in a badge template import: %s", name, error)
            report.outcomes.append(ImportOutcome(source=name, result=ImportResult.FAILED, message=str(error)))
            continue
        for source in sources:
            report.outcomes.append(_import_object(source, actor=actor, now=now))
    counts = report.counts
    logger.info(
        "Badge template import: %s created, %s updated, %s unchanged, %s skipped, %s failed",
        counts["created"], counts["updated"], counts["unchanged"], counts["skipped"], counts["failed"],
    )
    return report


def _placeholder_image() -> UploadedImage:
    return image_store(image=clean_image(emblem_svg(*PLACEHOLDER_EMBLEM)))


def _free_slug(organisation: Organisation, name: str, code: str) -> str:
    base = (slugify(name) or slugify(code))[:72] or "badge"
    used_slugs = set(
        BadgeClass.objects.filter(organisation=organisation, slug__startswith=base).values_list("slug", flat=True)
    )
    for number in range(1, MAX_SLUG_ATTEMPTS + 1):
        slug = base if number == 1 else f"{base}-{number}"
        if slug not in used_slugs:
            return slug
    raise ValidationError(
        _("%(organisation)s already has %(count)d badges whose address name starts with “%(slug)s”. "
          "Rename some of them and copy again.")
        % {"organisation": organisation.name, "count": MAX_SLUG_ATTEMPTS, "slug": base}
    )


def _translation(template: BadgeTemplate, language: str, main: dict) -> dict:
    """Return a language's texts for ``BadgeVersion.translations``.

    A list is taken only when it has as many items as the Finnish one, so
    that items never pair up with the wrong Finnish item.
    """
    texts = template.texts(language)
    entry = {key: texts[key] for key in ("name", "description", "theme") if texts.get(key)}
    for key in ("learning_outcomes", "assessment_criteria"):
        items = texts.get(key) or []
        if items and len(items) == len(main.get(key) or []):
            entry[key] = list(items)
    return entry


def _content(template: BadgeTemplate, image: UploadedImage) -> BadgeContent:
    main = template.texts("fi")
    name = main.get("name", "")
    if not name:
        raise ValidationError(
            _("The template %(code)s has no Finnish name, and Finnish is the main language of a badge. "
              "It cannot be copied until its source has a Finnish name.") % {"code": template.code}
        )
    if len(name) > MAX_NAME_LENGTH or len(main.get("theme", "")) > MAX_THEME_LENGTH:
        raise ValidationError(
            _("The name or theme of template %(code)s is longer than a badge allows (%(name_max)d and "
              "%(theme_max)d characters). Create the badge by hand with shorter texts.")
            % {"code": template.code, "name_max": MAX_NAME_LENGTH, "theme_max": MAX_THEME_LENGTH}
        )
    translations = {}
    for language in ("sv", "en"):
        entry = _translation(template, language, main)
        if entry:
            translations[language] = entry
    return BadgeContent(
        name=name,
        # Left empty when the source has none. The badge form requires one before the draft is saved again.
        description=main.get("description", ""),
        image=image,
        theme=main.get("theme", ""),
        learning_outcomes=list(main.get("learning_outcomes", [])),
        assessment_criteria=list(main.get("assessment_criteria", [])),
        translations=translations,
        kapos_code=template.code if template.source == TemplateSource.KAPOS else "",
        language="fi",
    )


@transaction.atomic
def badge_template_copy(*, template: BadgeTemplate, organisation: Organisation, actor=None) -> BadgeClass:
    """Create a draft badge in ``organisation`` from a template.

    The Finnish texts become the badge's content and the Swedish and
    English ones its translations. The image is the placeholder emblem,
    which the editor replaces before publishing. Raises
    ``PermissionDenied`` unless ``actor`` is an owner or editor of
    ``organisation``.
    """
    if actor is not None and not user_can(user=actor, organisation=organisation, action=Action.MANAGE_BADGES):
        raise PermissionDenied(
            _("Only owners and editors of %(organisation)s can copy templates into it.")
            % {"organisation": organisation.name}
        )
    content = _content(template, _placeholder_image())
    badge = badge_create(
        organisation=organisation,
        slug=_free_slug(organisation, content.name, template.code),
        content=content,
        status=BadgeStatus.DRAFT,
        actor=actor,
    )
    audit_record(
        action="badge_template.copy",
        organisation=organisation,
        actor=actor,
        target=badge,
        details={"template_code": template.code, "template_id": template.pk},
    )
    logger.info("Copied badge template %s into badge %s of organisation %s", template.code, badge.pk, organisation.pk)
    return badge
