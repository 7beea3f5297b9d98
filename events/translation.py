"""Which event texts have a column per language (django-modeltranslation).

The columns sit on the same rows as the original field, so pages and feeds read
them in the same queries; an empty one falls back through the event's languages
(events/languages.py). Room names may be empty per language: NULL then, so the
per-language uniqueness in a venue holds only between names actually given.
"""

from modeltranslation.translator import TranslationOptions, register

from .languages import FALLBACKS
from .models import Event, Room, Session, Track


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "summary", "description")
    fallback_languages = FALLBACKS


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("title", "abstract")
    fallback_languages = FALLBACKS


@register(Track)
class TrackTranslation(TranslationOptions):
    fields = ("name",)
    fallback_languages = FALLBACKS


@register(Room)
class RoomTranslation(TranslationOptions):
    fields = ("name",)
    empty_values = {"name": None}
    fallback_languages = FALLBACKS
