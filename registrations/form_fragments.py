"""The registration form's fields as HTML, rendered once per event, language and
everything they show, then served from the cache.

An unbound form is the same for everyone who opens it: its fields hold no
person's data, no CSRF token and no nonce (those stay in the page around it),
so one rendering serves every visitor in that language until something it
shows changes: the key is a digest of each registration type, question and
session with limited seats it shows, the privacy notice and the time zone.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .selectors import places

FIELDS_TIMEOUT = 24 * 3600
# Raise when the fields' markup changes in a way the key cannot see.
FIELDS_FORMAT = "1"
FIELDS_TEMPLATE = "registrations/register.html#registration-fields"


def _key(event, types, questions, sessions) -> str:
    shown = (
        FIELDS_FORMAT,
        get_language(),
        event.pk,
        event.timezone,
        event.privacy_notice,
        [(t.pk, t.name, t.description, t.fee_note) for t in types],
        [
            (q.pk, q.kind, q.label, q.help_text, q.choices, q.required)
            for q in questions
        ],
        sessions,
    )
    return "regform:" + hashlib.sha256(repr(shown).encode()).hexdigest()[:32]


def registration_fields(event, types, questions, make_form: Callable) -> SafeString:
    """The fields of the unbound registration form; `make_form()` builds the
    form when they have to be rendered."""
    sessions = list(
        places.seat_sessions(event).values_list("pk", "title", "starts_at", "ends_at")
    )
    key = _key(event, types, questions, sessions)
    html = cache.get(key)
    if html is None:
        html = render_to_string(FIELDS_TEMPLATE, {"form": make_form(), "event": event})
        cache.set(key, str(html), FIELDS_TIMEOUT)
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped
