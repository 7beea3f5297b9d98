"""Registration texts with a column per language (django-modeltranslation): the
type's name and description, the question's label, help and choices. Empty ones
fall back through the event's languages (events/languages.py). Type names may be
empty per language: NULL then, so per-language uniqueness holds between names
actually given."""

from modeltranslation.translator import TranslationOptions, register

from events.languages import FALLBACKS

from .models import Question, RegistrationType


@register(RegistrationType)
class RegistrationTypeTranslation(TranslationOptions):
    fields = ("name", "description")
    empty_values = {"name": None}
    fallback_languages = FALLBACKS


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("label", "help_text", "choices")
    fallback_languages = FALLBACKS
