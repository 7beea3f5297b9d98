"""The languages of an event's content, and which one a page or feed shows.

Translatable text (titles, abstracts, names, questions) has a column per
language beside the original one (django-modeltranslation; the registrations in
events/translation.py and registrations/translation.py). An attribute such as
`session.title` reads the active language's column and, when it is empty, the
next language in the fallback order. That order is the event's own languages
(`Event.languages`, its default first) while a request or feed is about one
event (`use_event`), else settings.MODELTRANSLATION_FALLBACK_LANGUAGES.

Light rows read with values() name their columns through `translated()`, which
coalesces the same order in SQL: one column per row, no extra query.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

_order: ContextVar[tuple[str, ...] | None] = ContextVar("event_languages", default=None)


def site_languages() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


def default_event_languages() -> str:
    return ",".join(site_languages())


def languages_starting_with(language: str | None) -> str:
    """The site's languages with `language` (one of them) first: a new event's,
    whose title was written in the organiser's language."""
    codes = site_languages()
    first = (language or "").split("-")[0]
    return ",".join(dict.fromkeys([first, *codes] if first in codes else codes))


def parse_languages(value: str) -> list[str]:
    """ "fi, sv" -> ["fi", "sv"]: the codes in order, without blanks."""
    return [code.strip().lower() for code in (value or "").split(",") if code.strip()]


def validate_languages(value: str) -> None:
    codes = parse_languages(value)
    known = site_languages()
    unknown = [code for code in codes if code not in known]
    if not codes:
        raise ValidationError(_("Give at least one language."))
    if unknown:
        raise ValidationError(
            _("Unknown language code: %(codes)s. Use %(known)s."),
            params={"codes": ", ".join(unknown), "known": ", ".join(known)},
        )
    if len(set(codes)) != len(codes):
        raise ValidationError(_("Give each language once."))


def event_languages(event) -> list[str]:
    """The event's languages in order, the default first; never empty (none
    given: the site's fallback order). `event` may be its `languages` text."""
    text = event if isinstance(event, str) else event.languages
    known = site_languages()
    codes = [code for code in parse_languages(text) if code in known]
    return codes or list(settings.MODELTRANSLATION_FALLBACK_LANGUAGES)


def fallback_order(language: str | None = None) -> tuple[str, ...]:
    """The columns to try for `language` (the active one by default), in order."""
    language = (language or get_language() or "").split("-")[0]
    rest = _order.get() or tuple(settings.MODELTRANSLATION_FALLBACK_LANGUAGES)
    order = (language, *rest, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES)
    known = site_languages()
    return tuple(dict.fromkeys(code for code in order if code in known))


class EventFallbacks(dict):
    """modeltranslation's `fallback_languages` option for every translated field:
    while `use_event` is in force, any language falls back to the event's
    languages in order; otherwise to the settings' order."""

    def get(self, key, default=None):
        order = _order.get()
        return order if order is not None else default


FALLBACKS = EventFallbacks()


def use_event(event) -> None:
    """Fall back through `event`'s languages for the rest of this request
    (EventLanguagesMiddleware clears it after the response)."""
    _order.set(tuple(event_languages(event)))


@contextmanager
def event_fallbacks(event) -> Iterator[None]:
    """Fall back through `event`'s languages inside the block (feeds, tasks)."""
    token = _order.set(tuple(event_languages(event)))
    try:
        yield
    finally:
        _order.reset(token)


class EventLanguagesMiddleware:
    """Each request starts without an event's fallback order (threads are reused)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _order.set(None)
        try:
            return self.get_response(request)
        finally:
            _order.reset(token)


def translated(field: str, language: str | None = None) -> Coalesce:
    """An expression for the text `field` (e.g. "title" or "room__name") in
    `language` with the fallback order: the first non-empty translated column,
    else the original column."""
    order = fallback_order(language)
    columns = [NullIf(F(f"{field}_{code}"), Value("")) for code in order]
    return Coalesce(*columns, F(field), output_field=CharField())


class UnknownLanguage(ValueError):
    pass


def feed_language(event, requested: str | None) -> str:
    """The language a feed is written in: `?lang=` (one of the site's
    languages), else the event's first. `event` may be its `languages` text;
    None for feeds of several events (the site's default language then)."""
    if requested:
        if requested not in site_languages():
            raise UnknownLanguage(requested)
        return requested
    if event is None:
        return settings.LANGUAGE_CODE
    return event_languages(event)[0]
