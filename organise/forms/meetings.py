"""Meeting settings, blocks and tables: plain forms; meetings.services saves."""

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import ZonedDateTimeField, positive


class MeetingSettingsForm(forms.Form):
    enabled = forms.BooleanField(
        label=_("One-to-one meetings on"),
        required=False,
        help_text=_(
            "Participants can opt in, look for each other and request meetings."
        ),
    )
    expiry_hours = forms.IntegerField(
        label=_("Requests expire after (hours)"),
        min_value=1,
        max_value=7 * 24,
        help_text=_("Between 1 hour and 7 days (168 hours)."),
    )
    open_requests_limit = forms.IntegerField(
        label=_("Open requests per person"), min_value=1, max_value=1000
    )
    meetings_per_block_limit = positive(_("Meetings per person per block"))
    interest_choices = forms.CharField(
        label=_("Interests to choose from"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line; participants pick theirs in their profile."),
    )

    @staticmethod
    def initial_from(settings) -> dict:
        return {
            "enabled": settings.enabled,
            "expiry_hours": int(settings.request_expiry.total_seconds() // 3600),
            "open_requests_limit": settings.open_requests_limit,
            "meetings_per_block_limit": settings.meetings_per_block_limit,
            "interest_choices": settings.interest_choices,
        }

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["request_expiry"] = timedelta(hours=data.pop("expiry_hours"))
        return data


class BlockForm(forms.Form):
    starts_at = ZonedDateTimeField(label=_("Starts"))
    ends_at = ZonedDateTimeField(label=_("Ends"))
    slot_minutes = forms.IntegerField(
        label=_("Slot length (minutes)"), min_value=10, max_value=60, initial=20
    )

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].zone = zone
        self.fields["ends_at"].zone = zone


class TableForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    capacity = forms.IntegerField(
        label=_("Seats"), min_value=2, max_value=100, initial=2
    )


class TypeLimitsForm(forms.Form):
    """Two limits per registration type; empty: the event's own."""

    def __init__(self, *args, types=(), settings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.types = list(types)
        for kind in self.types:
            self.fields[f"open_{kind.pk}"] = forms.IntegerField(
                label=_("%(type)s: open requests per person") % {"type": kind.name},
                min_value=1,
                max_value=1000,
                required=False,
                help_text=_("Empty: the event's limit (%(limit)s).")
                % {"limit": settings.open_requests_limit},
            )
            self.fields[f"block_{kind.pk}"] = forms.IntegerField(
                label=_("%(type)s: meetings per person per block")
                % {"type": kind.name},
                min_value=0,
                max_value=1000,
                required=False,
                help_text=_("Empty: the event's limit (%(limit)s).")
                % {"limit": settings.meetings_per_block_limit or _("none")},
            )

    @staticmethod
    def initial_from(rows) -> dict:
        initial = {}
        for row in rows:
            initial[f"open_{row.registration_type_id}"] = row.open_requests_limit
            initial[f"block_{row.registration_type_id}"] = row.meetings_per_block_limit
        return initial

    def limits(self) -> dict[int, tuple[int | None, int | None]]:
        data = self.cleaned_data
        return {
            kind.pk: (data[f"open_{kind.pk}"], data[f"block_{kind.pk}"])
            for kind in self.types
        }


class MoveForm(forms.Form):
    """Another slot of the meeting's block, or another table, or both."""

    slot = forms.ChoiceField(label=_("Time"))
    table = forms.ChoiceField(label=_("Table"))

    def __init__(self, *args, slots=(), tables=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = list(slots)
        self.fields["table"].choices = [(str(t.pk), t.name) for t in tables]
