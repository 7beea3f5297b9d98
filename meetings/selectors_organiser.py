"""Reading meetings for the organisers: the grid, open requests, people without
meetings and the report after the event."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from events.models import Event
from registrations.models import Registration

from .models import Meeting, MeetingBlock, MeetingRequest, Profile, Table

PEOPLE = (
    "requester__registration__attendee",
    "recipient__registration__attendee",
)


def _meetings(event: Event) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        request__block__event=event, status=Meeting.Status.ACTIVE
    ).select_related("table", *(f"request__{p}" for p in PEOPLE))


@dataclass
class GridBlock:
    block: MeetingBlock
    # One row per slot start: the meeting at each table, or None.
    rows: list[tuple[datetime, list[Meeting | None]]] = field(default_factory=list)


def grid(event: Event) -> tuple[list[Table], list[GridBlock]]:
    """Every block's slots by the event's tables, with the meetings in them."""
    tables = list(Table.objects.filter(event=event))
    at = {(m.table_id, m.starts_at): m for m in _meetings(event)}
    blocks = []
    for block in MeetingBlock.objects.filter(event=event):
        shown = GridBlock(block)
        for start in block.slot_starts():
            shown.rows.append((start, [at.get((t.pk, start)) for t in tables]))
        blocks.append(shown)
    return tables, blocks


def table_map(event: Event) -> list[tuple[Table, list[Meeting]]]:
    """Each table with its meetings in time order."""
    by_table: dict[int, list[Meeting]] = {}
    for meeting in _meetings(event).order_by("starts_at"):
        by_table.setdefault(meeting.table_id, []).append(meeting)
    return [(t, by_table.get(t.pk, [])) for t in Table.objects.filter(event=event)]


def requests_in(event: Event, status: str) -> list[MeetingRequest]:
    return list(
        MeetingRequest.objects.filter(block__event=event, status=status)
        .select_related("block", *PEOPLE)
        .order_by("slot_start", "pk")
    )


def without_meetings(event: Event) -> list[Profile]:
    """Opted-in confirmed participants with no active meeting."""
    busy = _meetings(event).values_list("request__requester", "request__recipient")
    taken = {pk for pair in busy for pk in pair}
    return list(
        Profile.objects.filter(
            opted_in=True,
            registration__event=event,
            registration__status=Registration.Status.CONFIRMED,
        )
        .exclude(pk__in=taken)
        .select_related("registration__attendee")
        .order_by("registration__attendee__name", "pk")
    )


@dataclass(frozen=True)
class NoShow:
    meeting: Meeting
    # Who did not come, where the arrivals tell (one arrived, the other not);
    # empty when neither recorded anything, or only one confirmed afterwards.
    absent: list[Profile]


@dataclass(frozen=True)
class Report:
    requests_sent: int
    answered: int
    accepted: int
    meetings: int
    cancelled: int
    participants: int
    with_meetings: int
    by_status: dict[str, int]
    held: int = 0  # active meetings whose slot has passed
    kept: int = 0
    no_shows: list[NoShow] = field(default_factory=list)

    @property
    def acceptance_rate(self) -> float | None:
        """Accepted of the requests answered (accepted, declined, countered)."""
        return self.accepted / self.answered if self.answered else None

    @property
    def meetings_per_participant(self) -> float | None:
        return 2 * self.meetings / self.participants if self.participants else None


def _absent(meeting: Meeting) -> list[Profile]:
    request = meeting.request
    came = (meeting.requester_arrived_at, meeting.recipient_arrived_at)
    if all(came) or not any(came):
        return []
    return [request.recipient] if came[0] else [request.requester]


def attendance(event: Event, now: datetime) -> tuple[int, int, list[NoShow]]:
    """Of the active meetings whose slot has passed: how many, how many kept,
    and the no-shows."""
    past = list(_meetings(event).filter(ends_at__lte=now).order_by("starts_at"))
    kept = [m for m in past if m.kept]
    no_shows = [NoShow(m, _absent(m)) for m in past if not m.kept]
    return len(past), len(kept), no_shows


def report(event: Event, now: datetime | None = None) -> Report:
    requests = MeetingRequest.objects.filter(block__event=event)
    by_status = dict.fromkeys(MeetingRequest.Status.values, 0)
    for status in requests.values_list("status", flat=True):
        by_status[status] += 1
    ever_accepted = requests.filter(
        Q(status=MeetingRequest.Status.ACCEPTED) | Q(meeting__isnull=False)
    ).count()
    answered = ever_accepted + sum(
        by_status[s]
        for s in (MeetingRequest.Status.DECLINED, MeetingRequest.Status.COUNTERED)
    )
    meetings = Meeting.objects.filter(request__block__event=event)
    active = meetings.filter(status=Meeting.Status.ACTIVE)
    opted_in = Profile.objects.filter(
        opted_in=True,
        registration__event=event,
        registration__status=Registration.Status.CONFIRMED,
    ).count()
    held, kept, no_shows = attendance(event, now or timezone.now())
    return Report(
        held=held,
        kept=kept,
        no_shows=no_shows,
        requests_sent=len(requests),
        answered=answered,
        accepted=ever_accepted,
        meetings=active.count(),
        cancelled=meetings.filter(status=Meeting.Status.CANCELLED).count(),
        participants=opted_in,
        with_meetings=opted_in - len(without_meetings(event)),
        by_status=by_status,
    )
