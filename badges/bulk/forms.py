"""Forms of the bulk issuing pages."""
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..forms import ISSUE_AS_NETWORK, issue_as_field, offer_issue_as
from ..models import BadgeClass, BadgeStatus


class _BadgeChoiceForm(forms.Form):
    badge = forms.ModelChoiceField(
        label=gettext_lazy("Badge"),
        queryset=BadgeClass.objects.none(),
        empty_label=gettext_lazy("Choose a badge"),
        error_messages={"invalid_choice": gettext_lazy("Choose a published badge of this organisation from the list.")},
    )
    default_language = forms.ChoiceField(
        label=gettext_lazy("Recipients' language"),
        choices=settings.LANGUAGES,
        initial="fi",
        help_text=gettext_lazy("Used for rows that do not give a language."),
    )
    issue_as = issue_as_field()

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        offer_issue_as(self, organisation)
        self.fields["badge"].queryset = BadgeClass.objects.filter(
            organisation=organisation, status=BadgeStatus.PUBLISHED
        ).order_by("slug")
        self.fields["badge"].label_from_instance = lambda badge: badge.latest_version.name

    @property
    def issue_as_network(self) -> bool:
        return self.cleaned_data.get("issue_as") == ISSUE_AS_NETWORK


class UploadForm(_BadgeChoiceForm):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV or Excel (.xlsx), one recipient per row, column names on the first row."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        error_messages={
            "required": gettext_lazy("Choose the file to upload."),
            "empty": gettext_lazy("The file is empty. Choose the file that has your list of recipients."),
        },
    )
    # The preview that a corrected file replaces.
    replaces = forms.UUIDField(required=False, widget=forms.HiddenInput)


class TypedListForm(_BadgeChoiceForm):
    recipients = forms.CharField(
        label=gettext_lazy("Recipients"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy("One recipient per line: name; email. The email is optional. "
                               "Example: Maija Meikäläinen; maija@example.fi"),
        error_messages={"required": gettext_lazy("Write at least one recipient.")},
    )
    issued_on = forms.DateField(
        label=gettext_lazy("Issue date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"],
        error_messages={"invalid": gettext_lazy("Enter the date as dd.mm.yyyy, for example 4.12.2026.")},
    )
    evidence_narrative = forms.CharField(
        label=gettext_lazy("How the skill was shown (evidence)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The same text for every recipient. Optional."),
    )
    evidence_url = forms.CharField(label=gettext_lazy("Evidence address (URL)"), required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("issued_on", timezone.localdate())
