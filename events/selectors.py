"""Reads that the public pages share, each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace

from django.db.models import F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils.translation import gettext as _

from . import access
from .access import Capability
from .languages import translated, use_event
from .models import Event, Room, Session, Speaker, Track, Venue


def visible_event(slug: str, user) -> Event:
    """A published (or cancelled) event, or a draft its organisers may preview."""
    event = Event.objects.select_related("venue").filter(slug=slug).first()
    if event is None:
        raise Http404(_("No such event."))
    if event.status == Event.Status.DRAFT and not access.user_may(
        user, Capability.VIEW_EVENT, event.pk
    ):
        raise Http404(_("No such event."))
    use_event(event)  # its texts fall back through its languages
    return event


@dataclass(frozen=True)
class ScheduleFilters:
    day: date | None = None
    track: Track | None = None
    room: Room | None = None
    kind: str | None = None

    @property
    def active(self) -> bool:
        # The day is a tab, not a filter.
        return any((self.track, self.room, self.kind))


def parse_filters(event: Event, params, tracks, rooms) -> ScheduleFilters:
    """Read ?day=&track=&room=&kind=; an unknown value is a 404 (as in the feeds)."""
    day = track = room = kind = None
    if params.get("day"):
        try:
            day = date.fromisoformat(params["day"])
        except ValueError:
            raise Http404(_("Unknown day.")) from None
        if day not in event.local_days():
            raise Http404(_("Unknown day."))
    if params.get("track"):
        track = next((t for t in tracks if t.slug == params["track"]), None)
        if track is None:
            raise Http404(_("Unknown track."))
    if params.get("room"):
        room = next((r for r in rooms if str(r.pk) == params["room"]), None)
        if room is None:
            raise Http404(_("Unknown room."))
    if params.get("kind"):
        kind = params["kind"]
        if kind not in Session.Kind.values:
            raise Http404(_("Unknown kind of session."))
    return ScheduleFilters(day, track, room, kind)


def schedule_cache_key(event: Event, filters: ScheduleFilters, language: str) -> str:
    # The event's UUID, not its pk: a pk can come back (SQLite after a rollback).
    parts = [
        filters.day.isoformat() if filters.day else "",
        filters.track.slug if filters.track else "",
        str(filters.room.pk) if filters.room else "",
        filters.kind or "",
    ]
    return (
        f"schedule-page:{event.uuid}:{event.schedule_version}:{language}:"
        + ":".join(parts)
    )


def schedule_rooms(event: Event) -> list[Room]:
    return list(Room.objects.filter(sessions__event=event).distinct().order_by("name"))


def timetable_rows(event: Event, filters: ScheduleFilters | None = None) -> list:
    """What the timetable shows of each session, as light rows: two queries, no
    model instances (thousands of them cost more than the page's HTML)."""
    # Texts in the active language, falling back through the event's languages,
    # coalesced in SQL (modeltranslation's own rewriting would redo it per row).
    sessions = (
        Session.objects.rewrite(False)
        .filter(event=event, starts_at__isnull=False)  # never placed: not public
        .annotate(
            shown_title=translated("title"),
            room_name=translated("room__name"),
            track_name=translated("track__name"),
        )
        .order_by("starts_at", "room_name", "shown_title")
    )
    if filters:
        if filters.track:
            sessions = sessions.filter(track=filters.track)
        if filters.room:
            sessions = sessions.filter(room=filters.room)
        if filters.kind:
            sessions = sessions.filter(kind=filters.kind)
    rows = [
        SimpleNamespace(**row, title=row.pop("shown_title"), speakers=[])
        for row in sessions.values(
            "pk", "uuid", "kind", "status", "starts_at", "ends_at",
            "signup_required", "capacity", "room_id", "shown_title", "room_name",
            "track_name", track_colour=F("track__colour"),
        )
    ]  # fmt: skip
    if filters and filters.day:
        tz = event.tzinfo
        rows = [r for r in rows if r.starts_at.astimezone(tz).date() == filters.day]
    by_pk = {row.pk: row for row in rows}
    through = Session.speakers.through.objects.filter(session__event=event)
    for session_id, name in through.order_by("speaker__name").values_list(
        "session_id", "speaker__name"
    ):
        if session_id in by_pk:
            by_pk[session_id].speakers.append(name)
    return rows


def schedule_day(event: Event, requested: date | None, today: date) -> date:
    """The day the timetable shows: the one asked for, else today while the event
    runs, else its first day."""
    if requested:
        return requested
    days = event.local_days()
    return today if today in days else days[0]


def session_detail(event: Event, session_uuid) -> Session:
    session = (
        Session.objects.select_related("room__venue", "track")
        .prefetch_related(
            Prefetch("speakers", queryset=Speaker.objects.order_by("name"))
        )
        .filter(event=event, uuid=session_uuid, starts_at__isnull=False)
        .first()
    )
    if session is None:
        raise Http404(_("No such session."))
    return session


def event_venues(event: Event):
    """The event's venues: where it is held, and those its sessions' rooms are in.
    The rooms an organiser may place its sessions in are theirs (`event_rooms`)."""
    return Venue.objects.filter(
        Q(pk=event.venue_id)
        | Q(pk__in=Room.objects.filter(sessions__event=event).values("venue_id"))
    )


def event_rooms(event: Event):
    return Room.objects.filter(venue__in=event_venues(event)).select_related("venue")


def event_room(event: Event, pk: int) -> Room | None:
    """The room with this pk if it is one of `event_rooms(event)`, else None: one
    small query when it is in the event's own venue."""
    room = Room.objects.select_related("venue").filter(pk=pk).order_by().first()
    if room is None or room.venue_id == event.venue_id:
        return room
    others = Session.objects.filter(event=event, room__venue_id=room.venue_id)
    return room if others.exists() else None


@dataclass(frozen=True)
class RoomNowNext:
    room: Room | None  # None: sessions without a room
    now: Session | None  # under way at the moment asked about
    next: Session | None  # the room's next session to start after that moment


def now_and_next(event: Event, *, now: datetime) -> list[RoomNowNext]:
    """For each room with a session still to end, what is on at `now` and what
    starts next there; rooms by name, then sessions without a room.

    One query: each room's first two sessions that end after `now`, ranked in
    the database, so the rows stay two per room however long the programme.
    """
    ranked = (
        Session.objects.filter(
            event=event, status=Session.Status.SCHEDULED, ends_at__gt=now
        )
        .select_related("room")
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("room_id")],
                order_by=[F("starts_at"), F("pk")],
            )
        )
        .filter(place__lte=2)
        .order_by("room__name", "room_id", "starts_at", "pk")
    )
    by_room: dict[int | None, list[Session]] = {}
    for session in ranked:
        by_room.setdefault(session.room_id, []).append(session)
    rows = []
    for sessions in by_room.values():
        first = sessions[0]
        # placed sessions only: the query asks for an end after `now`
        on_now = first if first.starts_at and first.starts_at <= now else None
        upcoming = [s for s in sessions if s is not on_now]
        rows.append(RoomNowNext(first.room, on_now, upcoming[0] if upcoming else None))
    return sorted(
        rows, key=lambda row: (row.room is None, row.room.name if row.room else "")
    )
