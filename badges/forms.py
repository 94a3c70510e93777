"""Staff forms for defining and issuing badges. Validation messages are translated."""
import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from issuers.images import clean_image

from .models import BadgeClass, BadgeStatus

MAX_LIST_ITEMS = 30
MAX_LIST_ITEM_LENGTH = 500
TRANSLATION_LANGUAGES = [("sv", gettext_lazy("Swedish")), ("en", gettext_lazy("English"))]


def split_lines(text: str) -> list[str]:
    """Return one list item per non-empty line, without list bullets a user may have typed."""
    items = []
    for line in (text or "").splitlines():
        item = line.strip().lstrip("-•*").strip()
        if item:
            items.append(item)
    return items


class LinesField(forms.CharField):
    """A textarea whose value is a list of strings, one per line."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(value)
        return value

    def clean(self, value):
        text = super().clean(value)
        items = split_lines(text)
        if self.required and not items:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(items) > MAX_LIST_ITEMS:
            raise ValidationError(
                _("Write at most %(max)d lines; now there are %(count)d.")
                % {"max": MAX_LIST_ITEMS, "count": len(items)}
            )
        for number, item in enumerate(items, start=1):
            if len(item) > MAX_LIST_ITEM_LENGTH:
                raise ValidationError(
                    _("Line %(line)d is %(length)d characters long; the maximum is %(max)d. Shorten the line.")
                    % {"line": number, "length": len(item), "max": MAX_LIST_ITEM_LENGTH}
                )
        return items


class BadgeForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    slug = forms.SlugField(
        label=gettext_lazy("Short name in addresses"),
        max_length=80,
        required=False,
        help_text=gettext_lazy("Letters a–z, numbers and hyphens. Leave empty to make one from the name."),
    )
    description = forms.CharField(
        label=gettext_lazy("Short description"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    image = forms.FileField(
        label=gettext_lazy("Badge image"),
        required=False,
        help_text=gettext_lazy("PNG or SVG, at most 2 MB. A square image works best."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/svg+xml"}),
    )
    theme = forms.CharField(label=gettext_lazy("Theme"), max_length=120, required=False)
    learning_outcomes = LinesField(
        label=gettext_lazy("Learning outcomes"),
        help_text=gettext_lazy("One per line, each completing the sentence “The earner …”, "
                               "for example “can search for information online”."),
    )
    assessment_criteria = LinesField(
        label=gettext_lazy("Assessment criteria"), help_text=gettext_lazy("One per line.")
    )
    skill_demonstration = forms.CharField(
        label=gettext_lazy("How the skill is shown"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    alignment_name = forms.CharField(label=gettext_lazy("Framework or target name"), max_length=200, required=False)
    alignment_url = forms.URLField(label=gettext_lazy("Address (URL)"), max_length=500, required=False, assume_scheme="https")
    alignment_code = forms.CharField(label=gettext_lazy("Code"), max_length=100, required=False)
    validity_months = forms.IntegerField(
        label=gettext_lazy("Validity in months"),
        min_value=1,
        max_value=600,
        required=False,
        help_text=gettext_lazy("Leave empty if the badge does not expire."),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[(BadgeStatus.DRAFT, gettext_lazy("Draft")), (BadgeStatus.PUBLISHED, gettext_lazy("Published"))],
        initial=BadgeStatus.DRAFT,
    )

    def __init__(self, *args, organisation, badge: BadgeClass | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.badge = badge
        self.cleaned_image = None
        if badge is None:
            self.fields["image"].required = True
        else:
            del self.fields["slug"]
            self.fields["status"].choices = BadgeStatus.choices
        for language, language_name in TRANSLATION_LANGUAGES:
            self.fields[f"name_{language}"] = forms.CharField(
                label=_("Name (%(language)s)") % {"language": language_name}, max_length=120, required=False
            )
            self.fields[f"description_{language}"] = forms.CharField(
                label=_("Short description (%(language)s)") % {"language": language_name},
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"learning_outcomes_{language}"] = LinesField(
                label=_("Learning outcomes (%(language)s)") % {"language": language_name}, required=False
            )
            self.fields[f"assessment_criteria_{language}"] = LinesField(
                label=_("Assessment criteria (%(language)s)") % {"language": language_name}, required=False
            )

    def translation_fields(self):
        """Yield (language name, bound fields) for the optional translation sections."""
        for language, language_name in TRANSLATION_LANGUAGES:
            names = ["name", "description", "learning_outcomes", "assessment_criteria"]
            yield language_name, [self[f"{name}_{language}"] for name in names]

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        self.cleaned_image = clean_image(upload.read(), upload.name)
        return upload

    def clean_slug(self):
        return self.cleaned_data.get("slug") or ""

    def clean(self):
        cleaned = super().clean()
        if self.badge is None and not self.errors:
            slug = cleaned.get("slug") or slugify(cleaned.get("name", ""))[:80]
            if not slug:
                self.add_error("slug", _("Write a short name in addresses using letters a–z and numbers."))
            elif BadgeClass.objects.filter(organisation=self.organisation, slug=slug).exists():
                self.add_error(
                    "slug",
                    _("This organisation already has a badge with the address name “%(slug)s”. "
                      "Choose another one.") % {"slug": slug},
                )
            cleaned["slug"] = slug

        has_name = bool(cleaned.get("alignment_name"))
        has_url = bool(cleaned.get("alignment_url"))
        if has_name != has_url or (cleaned.get("alignment_code") and not has_name):
            self.add_error(
                "alignment_url" if has_name else "alignment_name",
                _("An alignment needs both a name and an address. Fill in both, or leave all "
                  "alignment fields empty."),
            )
        return cleaned

    def alignments(self) -> list[dict]:
        data = self.cleaned_data
        if not data.get("alignment_name"):
            return []
        return [
            {
                "target_name": data["alignment_name"],
                "target_url": data["alignment_url"],
                "target_code": data.get("alignment_code", ""),
            }
        ]

    def translations(self) -> dict:
        result = {}
        for language, _language_name in TRANSLATION_LANGUAGES:
            entry = {}
            for name in ("name", "description", "learning_outcomes", "assessment_criteria"):
                value = self.cleaned_data.get(f"{name}_{language}")
                if value:
                    entry[name] = value
            if entry:
                result[language] = entry
        return result

    @classmethod
    def initial_for(cls, badge: BadgeClass) -> dict:
        version = badge.latest_version
        initial = {
            "name": version.name,
            "description": version.description,
            "theme": version.theme,
            "learning_outcomes": version.learning_outcomes,
            "assessment_criteria": version.assessment_criteria,
            "skill_demonstration": version.skill_demonstration,
            "validity_months": version.validity_months,
            "status": badge.status,
        }
        if version.alignments:
            first = version.alignments[0]
            initial.update(
                alignment_name=first.get("target_name", ""),
                alignment_url=first.get("target_url", ""),
                alignment_code=first.get("target_code", ""),
            )
        for language, fields in version.translations.items():
            for name, value in fields.items():
                initial[f"{name}_{language}"] = value
        return initial


ISSUE_AS_ORGANISATION = "organisation"
ISSUE_AS_NETWORK = "network"


def issue_as_field() -> forms.ChoiceField:
    """Return the field that chooses between the organisation's own name and its network's name."""
    return forms.ChoiceField(
        label=gettext_lazy("Issuer name on the badge"),
        widget=forms.RadioSelect,
        required=False,
        help_text=gettext_lazy(
            "The network's name keeps your organisation's name out of the badge, for example when "
            "the organisation's name would reveal something sensitive about the earner. Your "
            "organisation still sees and manages the badge."
        ),
    )


def offer_issue_as(form: forms.Form, organisation) -> None:
    """Fill in the ``issue_as`` choices, or drop the field when there is no network to choose."""
    network = organisation.issuing_network
    if network is None:
        # Without the right to issue under a network, the choice is not shown.
        del form.fields["issue_as"]
        return
    form.fields["issue_as"].choices = [
        (ISSUE_AS_ORGANISATION, organisation.name),
        (ISSUE_AS_NETWORK, network.name),
    ]
    form.fields["issue_as"].initial = ISSUE_AS_ORGANISATION


class IssueForm(forms.Form):
    badge = forms.ModelChoiceField(
        label=gettext_lazy("Badge"),
        queryset=BadgeClass.objects.none(),
        empty_label=gettext_lazy("Choose a badge"),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Choose a published badge of this organisation from the list."
            )
        },
    )
    recipient_name = forms.CharField(label=gettext_lazy("Recipient's name"), max_length=200)
    recipient_email = forms.EmailField(
        label=gettext_lazy("Recipient's email"),
        required=False,
        help_text=gettext_lazy("Optional. Leave empty if the recipient has no email address."),
    )
    recipient_language = forms.ChoiceField(
        label=gettext_lazy("Recipient's language"),
        choices=settings.LANGUAGES,
        initial="fi",
        # Older scripts that post the form without this field get Finnish.
        required=False,
        help_text=gettext_lazy("Emails and printouts for the recipient are in this language."),
    )
    issued_on = forms.DateField(
        label=gettext_lazy("Issue date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"],
        error_messages={"invalid": gettext_lazy("Enter the date as dd.mm.yyyy, for example 4.12.2026.")},
    )
    evidence_narrative = forms.CharField(
        label=gettext_lazy("How the skill was shown (evidence)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evidence_url = forms.URLField(
        label=gettext_lazy("Evidence address (URL)"), max_length=1000, required=False, assume_scheme="https"
    )

    issue_as = issue_as_field()

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        offer_issue_as(self, organisation)
        self.fields["badge"].queryset = BadgeClass.objects.filter(
            organisation=organisation, status=BadgeStatus.PUBLISHED
        ).order_by("slug")
        self.fields["badge"].label_from_instance = lambda badge: badge.latest_version.name
        if not self.is_bound:
            self.initial.setdefault("issued_on", timezone.localdate())

    @property
    def issue_as_network(self) -> bool:
        return self.cleaned_data.get("issue_as") == ISSUE_AS_NETWORK

    def clean_issued_on(self):
        value = self.cleaned_data["issued_on"]
        if value > timezone.localdate():
            raise ValidationError(
                _("The issue date %(date)s is in the future. Use today or an earlier date.")
                % {"date": value.strftime("%d.%m.%Y")}
            )
        if value < datetime.date(2000, 1, 1):
            raise ValidationError(_("The issue date is too far in the past. Use 1 January 2000 or a later date."))
        return value


class RevokeForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Why is the badge revoked? (internal note)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Only your organisation's staff see this note."),
    )
    public_reason = forms.CharField(
        label=gettext_lazy("Public reason (optional)"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("Shown on the badge's verification page. Do not write personal details here."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that the badge stops being valid everywhere and that this cannot be undone."),
        error_messages={"required": gettext_lazy("Tick the box to confirm the revocation.")},
    )
