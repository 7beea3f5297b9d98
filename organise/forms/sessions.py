"""The session form and the session list's filters.

A session's time is a day of the event and two clock times on the event's own
clocks. A new session may have no time yet: it goes to the timetable editor's
tray with a length, and is public only once placed there. A session in the tray
is placed from the editor (or its plain place form), so its form asks for no
time or room.
"""

from datetime import datetime, timedelta

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import ScheduleChange, Session
from events.times import short_date

from .fields import TIME_INPUT
from .translated import TranslatedFieldsMixin, per_language

# The services' field names for the form's own.
RENAMED = {"starts_at": "starts", "ends_at": "ends"}
LENGTHS = (15, 20, 30, 45, 60, 90, 120, 180)
DEFAULT_LENGTH = 60
PLACE_FIELDS = ("day", "starts", "ends", "room")
NO_TIME_MESSAGE = _("Give the day, the start and the end, or tick “No time yet”.")


def _required(name: str) -> bool:
    return not Session._meta.get_field(name).null


def day_choices(event) -> list[tuple[str, str]]:
    return [(day.isoformat(), short_date(day)) for day in event.local_days()]


def room_choices(rooms) -> list:
    """Rooms grouped by their venue, with their size: the select's optgroups."""
    groups: dict[str, list] = {}
    for room in rooms:
        label = room.name
        if room.capacity:
            label = _("%(room)s (%(seats)s seats)") % {
                "room": room.name,
                "seats": room.capacity,
            }
        groups.setdefault(room.venue.name, []).append((str(room.pk), label))
    return [("", "—"), *groups.items()]


class SessionForm(TranslatedFieldsMixin, forms.Form):
    model = Session
    translated = ("title", "abstract")
    required_texts = ("title",)
    legends = {"title": _("Title"), "abstract": _("Abstract")}
    kind = forms.ChoiceField(label=_("Kind"), choices=Session.Kind.choices)
    track = forms.TypedChoiceField(label=_("Track"), required=False, empty_value=None)
    day = forms.ChoiceField(label=_("Day"))
    starts = forms.TimeField(
        label=_("Starts"),
        widget=forms.TimeInput(attrs={"type": "time"}, format=TIME_INPUT),
    )
    ends = forms.TimeField(
        label=_("Ends"),
        widget=forms.TimeInput(attrs={"type": "time"}, format=TIME_INPUT),
        help_text=_("On the same day, on the event's clocks."),
    )
    room = forms.TypedChoiceField(label=_("Room"), empty_value=None)
    unplaced = forms.BooleanField(
        label=_("No time yet: put it in the timetable's tray"),
        required=False,
        help_text=_(
            "Not public until it is placed on the timetable; the day, times and "
            "room above are then left out."
        ),
    )
    length = forms.TypedChoiceField(
        label=_("Length"),
        coerce=int,
        required=False,
        empty_value=DEFAULT_LENGTH,
        initial=DEFAULT_LENGTH,
        help_text=_("For a session without a time: its block when placed."),
    )
    speakers = forms.TypedMultipleChoiceField(
        label=_("Speakers"), required=False, widget=forms.CheckboxSelectMultiple
    )
    capacity = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        required=False,
        help_text=_("For sessions people sign up for. Empty: no limit."),
    )
    signup_required = forms.BooleanField(
        label=_("People sign up for a seat"), required=False
    )

    def __init__(self, *args, event, rooms, tracks, speakers, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        texts = {
            name: forms.CharField(max_length=200, required=False)
            for name in per_language("title")
        } | {
            name: forms.CharField(
                required=False, widget=forms.Textarea(attrs={"rows": 5})
            )
            for name in per_language("abstract")
        }
        self.fields = texts | self.fields
        self.setup_languages(event)
        self._rooms = {room.pk: room for room in rooms}
        self._tracks = {track.pk: track for track in tracks}
        self._speakers = {speaker.pk: speaker for speaker in speakers}
        fields = self.fields
        fields["track"].choices = [("", "—")] + [
            (str(pk), track.name) for pk, track in self._tracks.items()
        ]
        fields["track"].coerce = lambda pk: self._tracks[int(pk)]
        fields["room"].choices = room_choices(rooms)
        fields["room"].coerce = lambda pk: self._rooms[int(pk)]
        fields["speakers"].choices = [
            (str(pk), str(speaker)) for pk, speaker in self._speakers.items()
        ]
        fields["speakers"].coerce = lambda pk: self._speakers[int(pk)]
        fields["day"].choices = [("", "—"), *day_choices(event)]
        fields["length"].choices = [
            (str(n), _("%(n)s minutes") % {"n": n}) for n in LENGTHS
        ]
        for name in ("day", "starts", "ends"):
            fields[name].required = False  # unless it is placed (clean)
        fields["room"].required = _required("room")
        self.session = session
        if session is not None and session.in_tray:
            for name in (*PLACE_FIELDS, "unplaced"):
                del fields[name]  # placed from the timetable editor
            if session.is_placed:
                del fields["length"]
        elif session is not None:
            del fields["unplaced"], fields["length"]
        if session is not None:
            self.initial.update(self._initial_of(session))

    def _initial_of(self, session) -> dict:
        initial = {
            name: getattr(session, name)
            for name in per_language("title") + per_language("abstract")
        } | {
            "kind": session.kind,
            "track": session.track_id,
            "room": session.room_id,
            "speakers": [str(s.pk) for s in session.speakers.all()],
            "capacity": session.capacity,
            "signup_required": session.signup_required,
            "length": session.length or DEFAULT_LENGTH,
        }
        if session.starts_at and session.ends_at:
            starts = session.starts_at.astimezone(self.event.tzinfo)
            ends = session.ends_at.astimezone(self.event.tzinfo)
            initial.update(
                day=starts.date().isoformat(),
                starts=starts.time().replace(tzinfo=None),
                ends=ends.time().replace(tzinfo=None),
            )
        return initial

    @property
    def is_unplaced(self) -> bool:
        """Whether the session saved from this form has no time (is in the tray)."""
        if "unplaced" in self.fields:
            return bool(self.cleaned_data.get("unplaced"))
        return self.session is not None and not self.session.is_placed

    def clean(self):
        cleaned = super().clean()
        if "day" not in self.fields or cleaned.get("unplaced"):
            for name in PLACE_FIELDS:
                self.errors.pop(name, None)
            return cleaned
        parts = [cleaned.get(name) for name in ("day", "starts", "ends")]
        if any(name in self.errors for name in ("day", "starts", "ends")):
            return cleaned
        if not all(parts):
            for name, part in zip(("day", "starts", "ends"), parts, strict=True):
                if not part:
                    self.add_error(name, NO_TIME_MESSAGE)
            return cleaned
        day = datetime.fromisoformat(parts[0]).date()
        zone = self.event.tzinfo
        cleaned["starts_at"] = datetime.combine(day, parts[1], tzinfo=zone)
        cleaned["ends_at"] = datetime.combine(day, parts[2], tzinfo=zone)
        if cleaned["ends_at"] <= cleaned["starts_at"]:
            self.add_error("ends", _("The session must end after it starts."))
        return cleaned

    def session_fields(self) -> dict:
        """The cleaned input as events.services' session fields (speakers apart):
        no time or room for a session without a time, but its length."""
        data = self.cleaned_data
        fields = self.texts("title", "abstract") | {
            "kind": data["kind"],
            "track": data["track"],
            "capacity": data["capacity"],
            "signup_required": data["signup_required"],
        }
        if self.is_unplaced:
            fields["length"] = data["length"]
        elif "day" in self.fields:
            fields |= {name: data[name] for name in ("room", "starts_at", "ends_at")}
        return fields


class SessionFilterForm(forms.Form):
    """The session list's filters, from the query string. A value that is not
    one of the choices is reported on the form and that filter left out."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    day = forms.ChoiceField(label=_("Day"), required=False)
    room = forms.TypedChoiceField(label=_("Room"), required=False, coerce=int)
    track = forms.TypedChoiceField(label=_("Track"), required=False, coerce=int)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *Session.Kind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *Session.Status.choices],
    )

    def __init__(self, *args, event, rooms, tracks, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        everything = [("", _("All"))]
        self.fields["day"].choices = everything + day_choices(event)
        self.fields["room"].choices = everything + room_choices(rooms)[1:]
        self.fields["track"].choices = everything + [
            (str(t.pk), t.name) for t in tracks
        ]

    def filter(self, sessions):
        """`sessions` narrowed by every filter that was given and valid."""
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}
        if "day" in data:
            day = datetime.fromisoformat(data["day"]).date()
            start = datetime.combine(day, datetime.min.time(), tzinfo=self.event.tzinfo)
            sessions = sessions.filter(
                starts_at__gte=start, starts_at__lt=start + timedelta(days=1)
            )
        if "room" in data:
            sessions = sessions.filter(room_id=data["room"])
        if "track" in data:
            sessions = sessions.filter(track_id=data["track"])
        if "kind" in data:
            sessions = sessions.filter(kind=data["kind"])
        if "status" in data:
            sessions = sessions.filter(status=data["status"])
        if "q" in data:
            sessions = sessions.filter(_matching(data["q"].strip()))
        return sessions

    @property
    def active(self) -> bool:
        return any(self.data.get(name) for name in self.fields)


def _matching(text: str) -> Q:
    speakers = Session.speakers.through.objects.filter(
        speaker__name__icontains=text
    ).values("session_id")
    return Q(title__icontains=text) | Q(abstract__icontains=text) | Q(pk__in=speakers)


class ChangeFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of change"),
        required=False,
        choices=[("", _("All")), *ScheduleChange.Kind.choices],
    )
