"""Staff forms of the organisation settings."""
from django import forms
from django.utils.translation import gettext_lazy

from .images import clean_image


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
