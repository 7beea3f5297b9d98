"""The registration form's fields as HTML, rendered once per event, language and
everything they show, then served from the cache.

An unbound form is the same for everyone who opens it: its fields hold no
person's data, no CSRF token and no nonce (those stay in the page around it),
so one rendering serves every visitor in that language until something it
shows changes. The key is made from the event's row alone, which the page reads
anyway, so a visit costs no query for the fields:
- `registration_form_version`, raised in the same transaction as every change
  to a registration type or question (`form_changed`);
- `schedule_version`, raised by every change to a session (the sessions with
  limited seats are offered by title and time);
- the privacy notice, the time zone, the languages and the event's own change
  stamp.
Which types are on sale depends on the hour as well: the entry keeps every
type's sale window and one rendering for each set of types on sale.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import F
from django.forms import Form
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from events.models import Event

from .models.types import open_on_the_form

FIELDS_TIMEOUT = 24 * 3600
# Raise when the fields' markup changes in a way the key cannot see.
FIELDS_FORMAT = "2"
FIELDS_TEMPLATE = "registrations/register.html#registration-fields"


def _key(event: Event) -> str:
    shown = (
        FIELDS_FORMAT,
        get_language(),
        event.pk,
        event.registration_form_version,
        event.schedule_version,
        event.changed_at,
        event.timezone,
        event.languages,
        event.privacy_notice,
    )
    return "regform:" + hashlib.sha256(repr(shown).encode()).hexdigest()[:32]


def registration_fields(event: Event, make_form: Callable[[list], Form]) -> SafeString:
    """The fields of the unbound registration form. `make_form(types)` builds
    the form for the types on sale when the fields have to be rendered."""
    key, now = _key(event), timezone.now()
    entry = cache.get(key)
    if entry is not None:
        html = entry["fields"].get(open_on_the_form(entry["windows"], now))
        if html is not None:
            return mark_safe(html)  # noqa: S308 - rendered below, escaped
    types = list(event.registration_types.all())
    windows = [t.sale_window() for t in types]
    open_ids = open_on_the_form(windows, now)
    on_sale = [t for t in types if t.pk in open_ids]
    html = str(
        render_to_string(FIELDS_TEMPLATE, {"form": make_form(on_sale), "event": event})
    )
    if entry is None or entry["windows"] != windows:
        entry = {"windows": windows, "fields": {}}
    entry["fields"][open_ids] = html
    cache.set(key, entry, FIELDS_TIMEOUT)
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped


def form_changed(sender, instance, **kwargs) -> None:
    """post_save and post_delete of a RegistrationType or Question: the event's
    form shows something new. (Which types a question is asked of is not shown:
    the POST checks it, from the database.)"""
    Event.objects.filter(pk=instance.event_id).update(
        registration_form_version=F("registration_form_version") + 1
    )
