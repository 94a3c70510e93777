"""Forms of the earner pages."""
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy

from badges.models import NameDisplay


class AddressForm(forms.Form):
    address = forms.EmailField(
        label=gettext_lazy("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": gettext_lazy("Enter a valid email address, for example name@example.fi."),
                        "required": gettext_lazy("Enter your email address.")},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Claim code"),
        max_length=30,
        help_text=gettext_lazy("The code on your claim card, for example ABCD-EFGH-JK."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": gettext_lazy("Enter the code on your claim card.")},
    )


class PrivacyForm(forms.Form):
    name_display = forms.ChoiceField(
        label=gettext_lazy("Your name on the public page"),
        choices=NameDisplay.choices,
        widget=forms.RadioSelect,
    )
    link_enabled = forms.BooleanField(
        label=gettext_lazy("The public link works"),
        required=False,
        help_text=gettext_lazy("When the link is off, the page only says that you have withdrawn it. "
                               "The badge files you saved still verify."),
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language of your pages and emails"), choices=settings.LANGUAGES)


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that my passport and my data are deleted for good."),
        error_messages={"required": gettext_lazy("Tick the box to confirm the deletion.")},
    )
