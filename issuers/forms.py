"""Staff forms of the organisation settings."""
from django import forms
from django.utils.translation import gettext_lazy


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
