"""Printable forms of a credential: an A4 certificate and a wallet-sized card.

Both are in the earner's language (``Credential.recipient_language``),
which ``?lang=fi|sv|en`` overrides, and carry the QR code of the
verification address so that a paper copy can be checked with a phone.
"""
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import translation

from .. import links, selectors
from ..content import text_languages
from .public import public_recipient_name

LAYOUTS = {
    "certificate": "badges/print/certificate.html",
    "card": "badges/print/card.html",
}


def _print_language(request, credential) -> str:
    supported = dict(settings.LANGUAGES)
    requested = request.GET.get("lang", "")
    if requested in supported:
        return requested
    if credential.recipient_language in supported:
        return credential.recipient_language
    return settings.LANGUAGE_CODE


def credential_print(request, credential_id, layout):
    if layout not in LAYOUTS:
        raise Http404("No such print layout.")
    item = selectors.credential_for_public(credential_id)
    version = item.badge_version
    language = _print_language(request, item)

    with translation.override(language):
        context = {
            "credential": item,
            "version": version,
            "issuer": item.issuer_profile,
            "recipient_name": public_recipient_name(item),
            "print_language": language,
            "other_languages": [code for code, _name in settings.LANGUAGES if code != language],
            "text_languages": text_languages(version, language),
            "badge_name": version.text("name", language),
            "learning_outcomes": version.text("learning_outcomes", language),
            "verification_url": links.credential_url(item.id),
            "layout": layout,
        }
        response = render(request, LAYOUTS[layout], context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Content-Language"] = language
    return response
