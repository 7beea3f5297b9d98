"""Form fields and helpers the organiser forms share: times on the event's own
clocks, and service refusals turned into form errors."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LOCAL_INPUT = "%Y-%m-%dT%H:%M"
TIME_INPUT = "%H:%M"  # what <input type="time"> holds, in every language


class ColourInput(forms.TextInput):
    """The browser's colour picker. It always holds a colour, so HTML allows it
    neither `required` nor `maxlength` (the field still checks both)."""

    input_type = "color"

    def use_required_attribute(self, initial) -> bool:
        return False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("maxlength", None)
        return context


class ZonedDateTimeField(forms.DateTimeField):
    """A moment read and shown on the clocks of `zone` (the event's), whatever
    zone the server or the browser is in. The browser's own picker is used."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT)

    def __init__(self, *, zone: ZoneInfo | None = None, **kwargs):
        super().__init__(**kwargs)
        self.zone = zone or timezone.get_default_timezone()

    def prepare_value(self, value):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return value.astimezone(self.zone).replace(tzinfo=None)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            moment = value
        else:
            try:
                moment = datetime.fromisoformat(str(value).strip())
            except ValueError:
                raise ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
        if timezone.is_aware(moment):
            return moment.astimezone(self.zone)
        return moment.replace(tzinfo=self.zone)


def add_service_errors(form: forms.Form, error: Exception, renamed=None) -> None:
    """Show a service's refusal on the form: field errors on their fields (model
    field names mapped through `renamed`), the rest above the form."""
    renamed = renamed or {}
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            field = renamed.get(name, name)
            for message in errors:
                text = " ".join(message.messages)
                form.add_error(field if field in form.fields else None, text)
        return
    if isinstance(error, ValidationError):
        for text in error.messages:
            form.add_error(None, text)
        return
    form.add_error(None, str(error))


def positive(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=1, required=False, help_text=_("Empty: no limit.")
    )


def refusal_text(error: Exception) -> str:
    """A service's refusal as one line for a message."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
