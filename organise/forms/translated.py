"""Texts written in each of the site's languages: one field per language,
shown grouped under the text's name (Title: English, Finnish, Swedish), the
event's own languages first.

The fields are the model's translated columns (title_en, title_fi, ...), so the
cleaned data goes to the services under those names. A required text needs at
least one language; pages fall back to the languages that have it.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from events.languages import event_languages

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def per_language(name: str, languages=None) -> list[str]:
    """ "title" -> ["title_en", "title_fi", "title_sv"] (in `languages` order first)."""
    codes = dict.fromkeys([*(languages or ()), *settings.MODELTRANSLATION_LANGUAGES])
    return [f"{name}_{code}" for code in codes]


def expand(names, translated) -> list[str]:
    """`names` with each translated one replaced by its per-language names."""
    return [
        part
        for name in names
        for part in (per_language(name) if name in translated else [name])
    ]


class TranslatedFieldsMixin:
    """For forms whose fields include per-language ones (see `expand`).

    `translated` names the texts, `required_texts` those that need at least one
    language, `legends` the group names of texts that are not model fields."""

    translated: tuple[str, ...] = ()
    required_texts: tuple[str, ...] = ()
    legends: dict = {}

    def setup_languages(self, event) -> None:
        """Label each per-language field by its language, mark its text's
        language for assistive technology and spelling, the event's first."""
        order = event_languages(event) if event is not None else []
        self._groups: dict[str, str] = {}
        for text in self.translated:
            names = per_language(text, order)
            for name in names:
                field = self.fields.get(name)
                if field is None:
                    continue
                code = name.rsplit("_", 1)[1]
                self._groups[name] = text
                field.label = LANGUAGE_NAMES.get(code, code)
                field.required = False
                field.widget.attrs["lang"] = code
            self.order_fields(self._ordered_with(text, names))

    def _ordered_with(self, text: str, names: list[str]) -> list[str]:
        ordered: list[str] = []
        for name in self.fields:
            if self._groups.get(name) == text:
                if names[0] not in ordered:
                    ordered.extend(n for n in names if n in self.fields)
            else:
                ordered.append(name)
        return ordered

    def legend(self, text: str) -> str:
        if text in self.legends:
            return self.legends[text]
        model = getattr(getattr(self, "_meta", None), "model", None) or getattr(
            self, "model", None
        )
        label = model._meta.get_field(text).verbose_name if model else text
        return str(label)[:1].upper() + str(label)[1:]

    def field_groups(self) -> list[tuple[str, list]]:
        """[(legend or "", [bound fields])] in the form's order: each text's
        languages together under its legend, other fields one by one."""
        groups: list[tuple[str, list]] = []
        current = None
        for bound in self:
            text = self._groups.get(bound.name)
            if text is not None and text == current:
                groups[-1][1].append(bound)
                continue
            current = text
            groups.append((self.legend(text) if text else "", [bound]))
        return groups

    def render(self, template_name=None, context=None, renderer=None):
        """{{ form }}: the groups as fieldsets (a project template, which the
        default form renderer does not look for)."""
        if template_name is not None or context is not None:
            return super().render(template_name, context, renderer)
        return render_to_string("organise/_translated_form.html", {"form": self})

    # Django binds these to its own render when the class is made.
    __str__ = render
    __html__ = render

    def clean(self):
        cleaned = super().clean()
        for text in self.required_texts:
            names = [n for n in per_language(text) if n in self.fields]
            if names and not any(cleaned.get(name) for name in names):
                first = [n for n in self.fields if self._groups.get(n) == text][0]
                self.add_error(first, _("Write this in at least one language."))
        return cleaned

    def texts(self, *texts: str) -> dict:
        """The cleaned per-language values of `texts`, empty ones as None (as
        the columns hold a language never written)."""
        return {
            name: self.cleaned_data.get(name) or None
            for text in texts
            for name in per_language(text)
            if name in self.fields
        }
