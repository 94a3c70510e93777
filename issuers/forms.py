"""Staff forms of the organisation settings, the staff members and the audit trail."""
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy

from .images import clean_image
from .models import Role


class RotateKeysForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I want to replace the signing keys. Badges already issued stay valid."),
        error_messages={"required": gettext_lazy("Tick the box to confirm the key change.")},
    )


class RevokeKeyForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the key revoked?"),
        max_length=500,
        help_text=gettext_lazy("For example: the server or a backup was broken into."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that every badge signed with this key stops being valid."),
        error_messages={"required": gettext_lazy("Tick the box to confirm the revocation.")},
    )


class OrganisationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    url = forms.URLField(label=gettext_lazy("Web site"), max_length=500, assume_scheme="https")
    email = forms.EmailField(label=gettext_lazy("Contact email"))
    description = forms.CharField(
        label=gettext_lazy("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    logo = forms.FileField(
        label=gettext_lazy("Logo"),
        required=False,
        help_text=gettext_lazy("PNG or SVG, at most 2 MB. Leave empty to keep the current logo."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/svg+xml"}),
    )

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        return clean_image(upload.read(), upload.name)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email address"), max_length=254)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices, initial=Role.INSTRUCTOR)
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the invitation email"), choices=settings.LANGUAGES
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)


class RemoveMemberForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I want to remove this person from the organisation's staff."),
        error_messages={"required": gettext_lazy("Tick the box to confirm the removal.")},
    )


class AcceptAccountForm(UserCreationForm):
    """A new staff account for an invited person: a username and a password checked by Django's validators."""

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username",)


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    person = forms.TypedChoiceField(label=gettext_lazy("Person"), required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, action_choices, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", gettext_lazy("All actions")), *action_choices]
        self.fields["person"].choices = [("", gettext_lazy("Everyone")),
                                         *[(person.pk, person.get_username()) for person in people]]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", gettext_lazy("The end date is before the start date. Check the dates."))
        return data
