"""The message composer's forms: who receives it, and what it says per language."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from events.models import Session
from notifications.selectors import CHECKED_IN_CHOICES, closed_answer_choices
from notifications.services.broadcast_messages import (
    PLACEHOLDERS,
    unknown_placeholders,
)
from registrations.models import Registration, RegistrationType


class RecipientFilterForm(forms.Form):
    """Who receives the message; only this event's types, sessions and questions."""

    statuses = forms.MultipleChoiceField(
        label=_("Registrations with status"),
        choices=Registration.Status.choices,
        initial=[Registration.Status.CONFIRMED],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    types = forms.ModelMultipleChoiceField(
        label=_("Only these registration types"),
        queryset=RegistrationType.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sessions = forms.ModelMultipleChoiceField(
        label=_("Only people with a seat in these sessions"),
        queryset=Session.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    answers = forms.MultipleChoiceField(
        label=_("Only people who answered"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    checked_in = forms.ChoiceField(
        label=_("Checked in"),
        choices=list(
            zip(
                CHECKED_IN_CHOICES,
                [_("Either"), _("Checked in"), _("Not checked in")],
                strict=True,
            )
        ),
        widget=forms.RadioSelect,
        initial="",
        required=False,
    )
    invited_pending = forms.BooleanField(
        label=_("Also people invited who have not answered yet"), required=False
    )

    def __init__(self, *args, event, include_sensitive: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["types"].queryset = RegistrationType.objects.filter(event=event)
        # a session never placed has nobody to write to
        self.fields["sessions"].queryset = Session.objects.filter(
            event=event, starts_at__isnull=False
        ).order_by("starts_at", "title")
        self.fields["answers"].choices = closed_answer_choices(
            event=event, include_sensitive=include_sensitive
        )

    def audience(self) -> dict:
        """notifications.selectors.recipients' filters from the cleaned data."""
        data = self.cleaned_data
        return {
            "statuses": list(data.get("statuses") or []),
            "types": [t.pk for t in data.get("types") or []],
            "sessions": [s.pk for s in data.get("sessions") or []],
            "answers": list(data.get("answers") or []),
            "checked_in": data.get("checked_in") or "",
            "invited_pending": bool(data.get("invited_pending")),
        }


class MessageForm(forms.Form):
    """The whole message, once per language: a language is written when its
    subject or body is filled in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, _name in settings.LANGUAGES:
            self.fields[f"subject_{code}"] = forms.CharField(
                label=_("Subject"), max_length=200, required=False
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Message"),
                widget=forms.Textarea(attrs={"rows": 10}),
                required=False,
            )

    def languages(self) -> list[dict]:
        """Per language, its name and bound fields (the template's fieldsets)."""
        return [
            {
                "code": code,
                "name": name,
                "subject": self[f"subject_{code}"],
                "body": self[f"body_{code}"],
            }
            for code, name in settings.LANGUAGES
        ]

    def clean(self):
        data = super().clean()
        written = 0
        for code, _name in settings.LANGUAGES:
            subject = data.get(f"subject_{code}", "")
            body = data.get(f"body_{code}", "")
            if not subject and not body:
                continue
            written += 1
            if not subject:
                self.add_error(f"subject_{code}", _("Write a subject too."))
            if not body:
                self.add_error(f"body_{code}", _("Write the message too."))
            for field, text in ((f"subject_{code}", subject), (f"body_{code}", body)):
                if unknown := unknown_placeholders(text):
                    self.add_error(field, unknown_error(unknown))
        if not written:
            raise forms.ValidationError(
                _("Write the message in at least one language.")
            )
        return data

    def texts(self) -> dict[str, dict]:
        """{language: {"subject", "body"}} for the languages written, in order."""
        return {
            code: {
                "subject": self.cleaned_data[f"subject_{code}"],
                "body": self.cleaned_data[f"body_{code}"],
            }
            for code, _name in settings.LANGUAGES
            if self.cleaned_data.get(f"subject_{code}")
        }


def unknown_error(names: list[str]) -> forms.ValidationError:
    return forms.ValidationError(
        _("Unknown placeholder: %(names)s. You can use %(allowed)s."),
        params={
            "names": ", ".join(f"{{{name}}}" for name in names),
            "allowed": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
        },
    )
