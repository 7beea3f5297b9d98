"""The timetable editor's one form: where a session goes, from which version.

The editor's script posts the same fields as the plain form a block opens:
`starts_at` and `ends_at` as ISO 8601 (with an offset, or on the event's clocks
without one), the room's id (empty: no room), the edit count the change started
from, and a reason when a warning is overridden.
"""

from datetime import datetime, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from .sessions import room_choices


class PlaceForm(forms.Form):
    starts_at = forms.CharField(
        label=_("Starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("On the event's clocks."),
    )
    ends_at = forms.CharField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    room = forms.TypedChoiceField(label=_("Room"), required=False, empty_value=None)
    reason = forms.CharField(
        label=_("Reason for moving despite the warnings"),
        max_length=500,
        required=False,
        help_text=_("Goes into the change log."),
    )
    edit_count = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, event, rooms, length=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        # A session without a time yet may leave its end to its length.
        self.length = length
        if length:
            self.fields["ends_at"].required = False
            self.fields["ends_at"].help_text = _(
                "Empty: %(n)s minutes after the start, its length."
            ) % {"n": length}
        self._rooms = {room.pk: room for room in rooms}
        self.fields["room"].choices = room_choices(rooms)
        self.fields["room"].coerce = self._room

    def _room(self, pk):
        try:
            return self._rooms[int(pk)]
        except (KeyError, ValueError) as error:
            raise forms.ValidationError(
                _("Choose one of the event's rooms.")
            ) from error

    def _moment(self, name: str) -> datetime:
        text = self.cleaned_data.get(name, "")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError as error:
            raise forms.ValidationError(
                _("Enter a date and time like 2026-05-12T09:30.")
            ) from error
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.event.tzinfo)
        return moment

    def clean_starts_at(self):
        return self._moment("starts_at")

    def clean_ends_at(self):
        if self.length and not self.cleaned_data.get("ends_at"):
            return None  # from the start and the length (clean)
        return self._moment("ends_at")

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends is None and self.length:
            ends = data["ends_at"] = starts + timedelta(minutes=self.length)
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The session must end after it starts."))
        return data


def initial_of(session, event) -> dict:
    """Where the session is now; a session without a time yet starts empty."""
    initial = {"room": session.room_id, "edit_count": session.edit_count}
    if session.is_placed:
        tz = event.tzinfo
        initial["starts_at"] = session.starts_at.astimezone(tz).strftime(
            "%Y-%m-%dT%H:%M"
        )
        initial["ends_at"] = session.ends_at.astimezone(tz).strftime("%Y-%m-%dT%H:%M")
    return initial
