"""Participants' forms: the profile, the directory's filters, a request, an answer.

A slot travels as "<block pk>-<unix time>"; `slot_field` lists the ones offered.
"""

from datetime import UTC, datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from events.times import show_day_time

from .models import MeetingBlock
from .services.rules import MESSAGE_LIMIT


def slot_value(block: MeetingBlock, start: datetime) -> str:
    return f"{block.pk}-{int(start.timestamp())}"


def parse_slot(value: str) -> tuple[int, datetime]:
    block_id, stamp = value.split("-", 1)
    return int(block_id), datetime.fromtimestamp(int(stamp), tz=UTC)


def slot_field(slots, event, **kwargs) -> forms.ChoiceField:
    choices = [
        (slot_value(block, start), show_day_time(start, event))
        for block, start in slots
    ]
    return forms.ChoiceField(choices=choices, **kwargs)


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line]


class ProfileForm(forms.Form):
    opted_in = forms.BooleanField(label=_("Open to meetings"), required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    role = forms.CharField(label=_("Role"), max_length=200, required=False)
    country = forms.RegexField(
        label=_("Country"),
        regex=r"^[A-Za-z]{2}$",
        required=False,
        help_text=_("Two letters, e.g. FI"),
        error_messages={"invalid": _("Enter the country's two-letter code.")},
    )
    interests = forms.MultipleChoiceField(
        label=_("Interests"), required=False, widget=forms.CheckboxSelectMultiple
    )
    text = forms.CharField(
        label=_("About you"), max_length=1000, required=False, widget=forms.Textarea
    )
    partners = forms.CharField(
        label=_("Partner organisations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    unavailable = forms.MultipleChoiceField(
        label=_("Times I am not available"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reminders = forms.BooleanField(
        label=_("Email me a short reminder before each meeting"), required=False
    )

    def __init__(self, *args, interests=(), slots=(), event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interests"].choices = [(i, i) for i in interests]
        self.fields["unavailable"].choices = slot_field(slots, event).choices

    def profile_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "opted_in": data["opted_in"],
            "organisation": data["organisation"],
            "role": data["role"],
            "country": data["country"],
            "interests": data["interests"],
            "text": data["text"],
            "partner_organisations": lines(data["partners"]),
            "unavailable": [parse_slot(v)[1] for v in data["unavailable"]],
            "reminders": data["reminders"],
        }


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Organisation"), required=False, max_length=200)
    country = forms.CharField(label=_("Country"), required=False, max_length=2)
    interest = forms.ChoiceField(label=_("Interest"), required=False)
    partner = forms.CharField(
        label=_("Partner organisation"), required=False, max_length=200
    )

    def __init__(self, *args, interests=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interest"].choices = [("", _("Any"))] + [(i, i) for i in interests]


class RequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At most 300 characters."),
    )

    def __init__(self, *args, slots=(), event=None, grid=None, **kwargs):
        """`slots` are offered (free for both); any slot of the `grid` is
        accepted, so that one taken meanwhile gets the service's reason."""
        super().__init__(*args, **kwargs)
        field = slot_field(grid if grid is not None else slots, event, label=_("Time"))
        field.widget.choices = slot_field(slots, event).choices
        self.fields["slot"] = field
        self.order_fields(["slot", "message"])


class AnswerForm(forms.Form):
    ACTIONS = [
        ("accept", _("Accept")),
        ("decline", _("Decline")),
        ("counter", _("Propose another time")),
    ]
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    slot = forms.CharField(required=False)
