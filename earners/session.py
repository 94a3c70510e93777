"""Earner sign-in state in Django's session, separate from staff logins.

The session holds only the earner's id under ``SESSION_KEY``. Staff use
``django.contrib.auth``; the two never share a key, so signing in as an
earner neither logs a staff member in nor out.
"""
from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from .models import Earner

SESSION_KEY = "earner_id"


def current_earner(request) -> Earner | None:
    """Return the signed-in earner, caching it on the request; forget an id whose account is gone."""
    if not hasattr(request, "_earner"):
        earner_id = request.session.get(SESSION_KEY)
        earner = Earner.objects.filter(pk=earner_id).first() if earner_id else None
        if earner_id and earner is None:
            request.session.pop(SESSION_KEY, None)
        request._earner = earner
    return request._earner


def sign_in(request, earner: Earner) -> None:
    # A new session key on sign-in: a key planted before sign-in (session
    # fixation) does not carry the earner's access.
    request.session.cycle_key()
    request.session[SESSION_KEY] = str(earner.pk)
    request._earner = earner


def sign_out(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    request._earner = None


def set_language_cookie(response, language: str):
    from django.conf import settings

    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE)
    translation.activate(language)
    return response


def earner_required(view):
    """Send a visitor who is not signed in as an earner to the sign-in page, then back."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        earner = current_earner(request)
        if earner is None:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('earners:sign_in')}?{query}")
        return view(request, earner, *args, **kwargs)

    return wrapper
