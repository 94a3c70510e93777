"""Staff pages of the badge template library: browse, details, copy, import.

Only owners and editors of some organisation see the library; instructors
get 403, because all they could do there is read.
"""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from issuers.models import Organisation

from .. import library
from ..kapos_import import LANGUAGES, MAX_FILE_BYTES, missing_labels, warning_messages

MAX_UPLOAD_FILES = 20
TEXT_HEADINGS = {
    "fi": gettext_lazy("Finnish texts"),
    "sv": gettext_lazy("Swedish texts"),
    "en": gettext_lazy("English texts"),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files and cleans to a list of them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/json,.json"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, (list, tuple)) else [data]) if upload]
        if not uploads:
            # Raises the "required" error.
            return super().clean(None, initial)
        if len(uploads) > MAX_UPLOAD_FILES:
            raise ValidationError(
                _("You chose %(count)d files; the maximum is %(max)d. Import them in parts.")
                % {"count": len(uploads), "max": MAX_UPLOAD_FILES}
            )
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


class ImportForm(forms.Form):
    files = MultipleFileField(label=gettext_lazy("ePerusteet JSON files"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _(
            "Each file contains one badge object or a list of them, at most %(size)d MB. "
            "You can choose up to %(count)d files."
        ) % {"size": MAX_FILE_BYTES // (1024 * 1024), "count": MAX_UPLOAD_FILES}


def _require_library_user(request) -> None:
    if not library.can_use_library(request.user):
        raise PermissionDenied(_("Only owners and editors of an organisation can use the badge template library."))


def _uploaded_contents(uploads):
    """Yield ``(file name, bytes)``; a file over the limit yields only its first bytes, which the importer rejects."""
    for upload in uploads:
        if upload.size > MAX_FILE_BYTES:
            yield upload.name, upload.read(MAX_FILE_BYTES + 1)
        else:
            yield upload.name, upload.read()


@login_required
def library_index(request):
    _require_library_user(request)
    language = translation.get_language()
    query = request.GET.get("q", "").strip()[: library.MAX_SEARCH_LENGTH]
    theme = request.GET.get("theme", "").strip()
    templates = library.templates_search(query=query, theme=theme, language=language)
    cards = [
        {
            "template": template,
            "name": library.localised(template, "name", language),
            "theme": library.localised(template, "theme", language),
            "missing": missing_labels(template.missing),
        }
        for template in templates
    ]
    context = {
        "cards": cards,
        "query": query,
        "theme": theme,
        "themes": library.template_themes(language),
    }
    return render(request, "badges/library/index.html", context)


@login_required
def library_template(request, code):
    _require_library_user(request)
    template = library.template_by_code(code)
    language = translation.get_language()
    sections = [
        {"language": text_language, "heading": TEXT_HEADINGS[text_language], "texts": template.texts(text_language)}
        for text_language in LANGUAGES
    ]
    context = {
        "template": template,
        "name": library.localised(template, "name", language),
        "sections": sections,
        "missing": missing_labels(template.missing),
        "warnings": warning_messages(
            warnings=template.warnings,
            status=template.source_status,
            valid_from=template.source_valid_from,
            valid_until=template.source_valid_until,
        ),
        "organisations": library.copy_target_organisations(request.user),
    }
    return render(request, "badges/library/template.html", context)


@login_required
@require_POST
def library_copy(request, code):
    template = library.template_by_code(code)
    organisation = get_object_or_404(Organisation, slug=request.POST.get("organisation", ""))
    try:
        badge = library.badge_template_copy(template=template, organisation=organisation, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("staff:library_template", code=template.code)
    messages.success(
        request,
        _("The draft badge “%(name)s” was created in %(organisation)s. Upload its image and write a short "
          "description before you publish it.")
        % {"name": badge.latest_version.name, "organisation": organisation.name},
    )
    return redirect("staff:badge_edit", slug=organisation.slug, badge_slug=badge.slug)


@login_required
def library_import(request):
    _require_library_user(request)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    report = None
    if form.is_bound and form.is_valid():
        report = library.badge_templates_import(
            files=_uploaded_contents(form.cleaned_data["files"]), actor=request.user
        )
    return render(request, "badges/library/import.html", {"form": form, "report": report})
