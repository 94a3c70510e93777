"""Middleware of our own."""
from django.conf import settings
from django.utils import translation


class QueryLanguageMiddleware:
    """Let a ``?lang=sv`` query parameter choose the page language.

    Verification links are shared as plain URLs (a QR code, a CV), so the
    language must be choosable in the link itself as well as by the browser's
    Accept-Language header and the language cookie. Runs before Django's
    LocaleMiddleware, which then takes the language stored here.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.GET.get("lang", "")
        if language in self.supported:
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = language
            translation.activate(language)
        return self.get_response(request)
