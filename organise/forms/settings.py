"""The event's settings, one form per step. Each reads the event's current values
and hands the changed ones to a service; times are on the event's own clocks."""

from zoneinfo import ZoneInfo

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from events.models import Event, Venue, timezone_names
from registrations.models import Question, RegistrationType

from .fields import ZonedDateTimeField
from .translated import TranslatedFieldsMixin, expand


class EventFieldsForm(forms.Form):
    """The named fields of the event, as the model defines them."""

    names: tuple[str, ...] = ()

    def __init__(self, *args, event: Event, **kwargs):
        initial = {name: getattr(event, name) for name in self.names}
        if "venue" in self.names:
            initial["venue"] = event.venue_id
        super().__init__(*args, initial=initial, **kwargs)
        self.event = event
        self.fields.update(fields_for_model(Event, fields=self.names))
        self.order_fields(self.names)
        for name in self.names:
            field = self.fields[name]
            if isinstance(field, forms.DateTimeField):
                self.fields[name] = ZonedDateTimeField(
                    zone=self.zone(),
                    label=field.label,
                    required=field.required,
                    help_text=field.help_text,
                )

    def zone(self):
        return self.event.tzinfo

    def changed_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data}


class BasicsForm(TranslatedFieldsMixin, EventFieldsForm):
    model = Event
    translated = ("title", "summary", "description")
    required_texts = ("title",)
    names = tuple(
        expand(
            ("title", "languages", "slug", "summary", "description", "website",
             "contact_email"),
            translated,
        )
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_languages(self.event)
        # The model's default is a callable, which would add a hidden copy of the
        # initial value; the form always has the event's value, so none is needed.
        self.fields["languages"].show_hidden_initial = False
        if self.event.status != Event.Status.DRAFT:
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = _(
                "Fixed once the event is published: links to it must keep working."
            )


def timezone_choices():
    return [(name, name) for name in sorted(timezone_names())]


class TimeAndPlaceForm(EventFieldsForm):
    names = ("starts_at", "ends_at", "timezone", "venue")

    def __init__(self, *args, venues=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"] = forms.ChoiceField(
            label=_("time zone"),
            choices=timezone_choices,
            help_text=_("The times above are on this zone's clocks."),
        )
        self.fields["venue"].queryset = venues if venues is not None else Venue.objects
        self.order_fields(self.names)

    def zone(self):
        # Times are read on the clocks of the zone chosen on this same form.
        chosen = self.data.get("timezone") if self.is_bound else None
        if chosen in timezone_names():
            return ZoneInfo(chosen)
        return self.event.tzinfo


class RegistrationRulesForm(EventFieldsForm):
    names = (
        "registration_opens_at", "registration_closes_at", "modification_deadline",
        "capacity", "waitlist_enabled", "waitlist_mode", "offer_hours",
        "approval_required", "substitutes_need_approval", "reminder_hours_before",
        "session_reminder_minutes",
    )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        opens = cleaned.get("registration_opens_at")
        closes = cleaned.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "registration_closes_at", _("Registration must close after it opens.")
            )
        return cleaned


class PrivacyForm(EventFieldsForm):
    names = ("visibility", "privacy_notice", "participant_list_public")


class RegistrationTypeForm(TranslatedFieldsMixin, forms.ModelForm):
    translated = ("name", "description")
    required_texts = ("name",)

    class Meta:
        model = RegistrationType
        fields = expand(
            ["name", "description", "quota", "sale_starts_at", "sale_ends_at",
             "invitation_only", "fee_note", "position"],
            ("name", "description"),
        )  # fmt: skip
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in expand(["description"], ("description",))
        }

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_languages(event)
        for name in ("sale_starts_at", "sale_ends_at"):
            field = self.fields[name]
            self.fields[name] = ZonedDateTimeField(
                zone=event.tzinfo, label=field.label, required=False
            )
        self.fields["quota"].min_value = 1
        self.fields["quota"].widget.attrs["min"] = 1
        self.fields["quota"].help_text = _("Empty: no limit of its own.")

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("sale_starts_at"), cleaned.get("sale_ends_at")
        if starts and ends and ends <= starts:
            self.add_error("sale_ends_at", _("The end must come after the start."))
        return cleaned


CHOICE_TEXTS = expand(["choices_text"], ("choices_text",))


def choice_lines(text: str) -> list[str]:
    choices: list[str] = []
    for line in (text or "").splitlines():
        if line.strip() and line.strip() not in choices:
            choices.append(line.strip())
    return choices


class QuestionForm(TranslatedFieldsMixin, forms.ModelForm):
    """Label, help and choices in each language. Answers store the choice as
    written in the first language that has choices (Question.choice_pairs), so
    each language's list gives the same choices in the same order."""

    translated = ("label", "help_text", "choices_text")
    required_texts = ("label",)
    legends = {"choices_text": _("Choices")}

    class Meta:
        model = Question
        fields = expand(
            ["label", "help_text", "kind", "required", "is_sensitive",
             "registration_types", "position"],
            ("label", "help_text"),
        )  # fmt: skip
        widgets = {"registration_types": forms.CheckboxSelectMultiple}

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        for name in CHOICE_TEXTS:
            code = name.rsplit("_", 1)[1]
            self.fields[name] = forms.CharField(
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial="\n".join(getattr(self.instance, f"choices_{code}") or []),
            )
        self.fields[CHOICE_TEXTS[-1]].help_text = _(
            "For one-choice and several-choice questions: one a line, in the same "
            "order in each language."
        )
        self.order_fields(
            expand(["label", "help_text", "kind"], ("label", "help_text"))
            + CHOICE_TEXTS
        )
        self.setup_languages(event)
        types = self.fields["registration_types"]
        types.queryset = RegistrationType.objects.filter(event=event)
        types.help_text = _("None ticked: asked of every registration type.")

    def clean(self):
        cleaned = super().clean()
        lists = {name: choice_lines(cleaned.get(name, "")) for name in CHOICE_TEXTS}
        given = [choices for choices in lists.values() if choices]
        if cleaned.get("kind") in Question.CHOICE_KINDS:
            if not given:
                self.add_error(CHOICE_TEXTS[0], _("Give at least one choice."))
            elif len({len(choices) for choices in given}) > 1:
                self.add_error(
                    CHOICE_TEXTS[0],
                    _("Give the same number of choices in each language."),
                )
        cleaned["choices"] = {
            "choices_" + name.rsplit("_", 1)[1]: choices
            for name, choices in lists.items()
        }
        return cleaned

    def question_fields(self) -> dict:
        data = self.cleaned_data
        names = ["kind", "required", "is_sensitive", "position"]
        return (
            {name: data[name] for name in names}
            | self.texts("label", "help_text")
            | data["choices"]
        )
