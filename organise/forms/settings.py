"""The event's settings, one form per step. Each reads the event's current values
and hands the changed ones to a service; times are on the event's own clocks."""

from zoneinfo import ZoneInfo

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from events.models import Event, Venue, timezone_names
from registrations.models import Question, RegistrationType

from .fields import ZonedDateTimeField


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


class BasicsForm(EventFieldsForm):
    names = ("title", "slug", "summary", "description", "website", "contact_email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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


class RegistrationTypeForm(forms.ModelForm):
    class Meta:
        model = RegistrationType
        fields = [
            "name", "description", "quota", "sale_starts_at", "sale_ends_at",
            "invitation_only", "fee_note", "position",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
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


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For one-choice and several-choice questions: one a line."),
    )

    class Meta:
        model = Question
        fields = [
            "label", "help_text", "kind", "choices_text", "required", "is_sensitive",
            "registration_types", "position",
        ]  # fmt: skip
        widgets = {"registration_types": forms.CheckboxSelectMultiple}

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choices_text"].initial = "\n".join(self.instance.choices or [])
        types = self.fields["registration_types"]
        types.queryset = RegistrationType.objects.filter(event=event)
        types.help_text = _("None ticked: asked of every registration type.")

    def clean(self):
        cleaned = super().clean()
        choices = []
        for line in cleaned.get("choices_text", "").splitlines():
            if line.strip() and line.strip() not in choices:
                choices.append(line.strip())
        if cleaned.get("kind") in Question.CHOICE_KINDS and not choices:
            self.add_error("choices_text", _("Give at least one choice."))
        cleaned["choices"] = choices
        return cleaned

    def question_fields(self) -> dict:
        data = self.cleaned_data
        names = ["label", "help_text", "kind", "required", "is_sensitive", "position"]
        return {name: data[name] for name in names} | {"choices": data["choices"]}
