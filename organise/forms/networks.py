"""A network and its meeting; a member added by hand. meetings.services saves."""

from django import forms
from django.db.models import Case, Q, When
from django.utils.translation import gettext_lazy as _

from events.models import Event, Room, Session
from meetings.models import Network
from registrations.models import Question, Registration

from .fields import ZonedDateTimeField

ANSWER_SEPARATOR = "|"


def _rooms(event: Event):
    rooms = Room.objects.filter(sessions__event=event)
    if event.venue_id:
        rooms = Room.objects.filter(Q(venue_id=event.venue_id) | Q(pk__in=rooms))
    return rooms.distinct().order_by("name")


def _answer_choices(event: Event) -> list[tuple[str, str]]:
    questions = Question.objects.filter(event=event, kind__in=Question.CHOICE_KINDS)
    return [("", _("No answer: members are added by hand or by request"))] + [
        (f"{question.pk}{ANSWER_SEPARATOR}{value}", f"{question.label}: {label}")
        for question in questions
        for value, label in question.choice_pairs()
    ]


class NetworkForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    join_policy = forms.ChoiceField(
        label=_("Joining"), choices=Network.JoinPolicy.choices
    )
    answer = forms.ChoiceField(
        label=_("Members from a registration answer"),
        required=False,
        help_text=_(
            "Everyone who picks this answer joins; who takes it back leaves. "
            "Members added by hand stay."
        ),
    )
    session = forms.ModelChoiceField(
        label=_("Meets at the session"),
        queryset=Session.objects.none(),
        required=False,
        help_text=_(
            "Its time and room are the session's and follow it. Or leave it empty "
            "and give a time and room below."
        ),
    )
    starts_at = ZonedDateTimeField(label=_("Starts"), required=False)
    ends_at = ZonedDateTimeField(label=_("Ends"), required=False)
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=Room.objects.none(), required=False
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["answer"].choices = _answer_choices(event)
        network_first = Case(When(kind=Session.Kind.NETWORK_MEETING, then=0), default=1)
        self.fields["session"].queryset = Session.objects.filter(event=event).order_by(
            network_first, "starts_at"
        )
        self.fields["room"].queryset = _rooms(event)
        for name in ("starts_at", "ends_at"):
            self.fields[name].zone = event.tzinfo

    @staticmethod
    def initial_from(network: Network) -> dict:
        answer = ""
        if network.question_id:
            answer = f"{network.question_id}{ANSWER_SEPARATOR}{network.choice}"
        return {
            "name": network.name,
            "description": network.description,
            "join_policy": network.join_policy,
            "answer": answer,
            "session": network.session_id,
            "starts_at": None if network.session_id else network.starts_at,
            "ends_at": None if network.session_id else network.ends_at,
            "room": None if network.session_id else network.room_id,
        }

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        answer = data.pop("answer") or ""
        question_id, _sep, choice = answer.partition(ANSWER_SEPARATOR)
        data["question"] = (
            Question.objects.filter(pk=question_id, event=self.event).first()
            if question_id
            else None
        )
        data["choice"] = choice
        if data["session"] is not None:
            data.update(starts_at=None, ends_at=None, room=None)
        return data


class MemberForm(forms.Form):
    registration = forms.ModelChoiceField(
        label=_("Participant"), queryset=Registration.objects.none()
    )

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = (
            Registration.objects.filter(
                event_id=network.event_id, status=Registration.Status.CONFIRMED
            )
            .exclude(
                network_memberships__network=network,
                network_memberships__status="member",
            )
            .select_related("attendee")
            .order_by("attendee__name", "pk")
        )
        self.fields["registration"].label_from_instance = lambda r: (
            f"{r.attendee.get_full_name() or r.attendee.email}"
        )
