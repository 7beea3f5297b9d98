"""The site header's navigation, rendered once per process for each language and
set of links, with the request's own parts put in afterwards.

The navigation differs only by language, by whether the person is signed in,
organises or is a superuser, by the CSRF token of its two forms and by the
page's path (the sign-in link's and the language form's `next`). The rest is
the same on every page, so its rendering (URL reversals, translations, the
language menu) is kept and only those values are filled in per request.
"""

from functools import lru_cache
from urllib.parse import quote

from django import template
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

# Placeholders that no rendered navigation contains otherwise (letters only, so
# escaping leaves them as they are).
CSRF = "kokousnavcsrftoken"
LOGIN_NEXT = "kokousnavloginnext"
LANGUAGE_NEXT = "kokousnavlanguagenext"


class _Person:
    """What the navigation template asks of `user`."""

    def __init__(self, authenticated: bool, superuser: bool):
        self.is_authenticated = authenticated
        self.is_superuser = superuser


@lru_cache(maxsize=64)
def _rendered(language: str, authenticated: bool, organiser: bool, superuser: bool):
    html = render_to_string(
        "site_nav.html",
        {
            "user": _Person(authenticated, superuser),
            "may_organise": organiser,
            "csrf_token": CSRF,
            "login_next": LOGIN_NEXT,
            "language_next": LANGUAGE_NEXT,
        },
    )
    return str(html)


@register.simple_tag(takes_context=True)
def site_nav(context) -> SafeString:
    request = context.get("request")
    user = context.get("user")
    authenticated = bool(user is not None and user.is_authenticated)
    may_organise = context.get("may_organise")
    organiser = bool(authenticated and may_organise and may_organise())
    superuser = bool(authenticated and user.is_superuser)
    html = _rendered(get_language() or "", authenticated, organiser, superuser)
    path = request.get_full_path() if request is not None else "/"
    # The page's own token (one masking per page, as its forms use), else a new one.
    token = context.get("csrf_token") or (get_token(request) if request else "")
    html = (
        html.replace(CSRF, str(token))
        .replace(LOGIN_NEXT, escape(quote(path, safe="/")))
        .replace(LANGUAGE_NEXT, escape(path))
    )
    return mark_safe(html)  # noqa: S308 - a rendered template; the values escaped
