"""The public iCalendar feeds: an event's schedule (filtered or whole), one
session for "add to calendar", and all public upcoming events.

What they are cached under is in events/caching.py, how they are served
(conditional GETs, gzip) in events/http.py; the personal feed uses both.
"""

from datetime import datetime

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import ical
from .caching import (
    EventRow,
    SessionRow,
    cached_entries,
    digest,
    first_seen,
    load_events,
    load_sessions,
)
from .http import FeedNotFound, not_found, respond
from .languages import UnknownLanguage, event_fallbacks, feed_language
from .models import Event, Session, Track

# --- the schedule feed ----------------------------------------------------------------


def _filters(request) -> tuple[str | None, int | None, str | None]:
    track = request.GET.get("track") or None
    room = request.GET.get("room") or None
    kind = request.GET.get("kind") or None
    if room is not None:
        # Ids are 64-bit: a longer number would overflow the query, not miss.
        if not (room.isascii() and room.isdigit() and len(room) <= 18):
            raise FeedNotFound(_("There is no room with that id in this event."))
        room = int(room)
    if kind is not None and kind not in Session.Kind.values:
        raise FeedNotFound(_("There is no session kind of that name."))
    return track, room, kind


def _language(request, event) -> str:
    """?lang=fi: the feed's texts in Finnish (falling back through the event's
    languages); by default the event's first language."""
    try:
        return feed_language(event, request.GET.get("lang") or None)
    except UnknownLanguage:
        raise FeedNotFound(_("There is no language of that code here.")) from None


def _published_event(slug: str) -> Event:
    return get_object_or_404(
        Event.objects.published().select_related("venue"), slug=slug
    )


def schedule_bytes(event: Event, filters, *, now: datetime) -> bytes:
    """The schedule feed of `event`, filtered; cancelled entries go once it ended."""
    track_slug, room_id, kind = filters
    sessions = event.sessions.filter(starts_at__isnull=False)  # placed: public
    name_parts = [event.title]
    if track_slug is not None:
        track = Track.objects.filter(event=event, slug=track_slug).first()
        if track is None:
            raise FeedNotFound(_("There is no track of that name in this event."))
        sessions = sessions.filter(track=track)
        name_parts.append(track.name)
    if room_id is not None:
        room = event.sessions.filter(room_id=room_id).select_related("room").first()
        if room is None:
            raise FeedNotFound(_("There is no room with that id in this event."))
        sessions = sessions.filter(room_id=room_id)
        name_parts.append(room.room.name)
    if kind is not None:
        sessions = sessions.filter(kind=kind)
        name_parts.append(str(Session.Kind(kind).label))
    rows = SessionRow.read(sessions.order_by("starts_at", "pk"))
    rows = [row for row in rows if not row.is_dropped(now)]

    entries = cached_entries(
        rows,
        load=lambda pks: load_sessions(pks, event=event),
        build=ical.session_entry,
    )
    calendar = ical.new_calendar(
        name=" – ".join(name_parts),
        description=event.summary
        or _("Schedule of %(title)s") % {"title": event.title},
        tzids=[event.timezone] if rows else [],
        span=ical.span_of((row.starts_at, row.ends_at) for row in rows),
        default_tzid=event.timezone,
    )
    return ical.assemble(calendar, entries)


@require_safe
def schedule_feed(request, slug):
    # The poll path: one narrow query for the version; the event itself is
    # loaded only when the feed has to be built.
    version_row = (
        Event.objects.published()
        .filter(slug=slug)
        .values_list(
            "pk", "schedule_version", "schedule_changed_at", "ends_at", "languages"
        )
        .first()
    )
    if version_row is None:
        return not_found(_("There is no published event at this address."))
    pk, schedule_version, changed_at, ends_at, languages = version_row
    try:
        filters = _filters(request)
        language = _language(request, languages)
    except FeedNotFound as error:
        return not_found(error)
    now = timezone.now()
    ended = now >= ends_at
    # Once the event ends its cancelled entries drop out: a new version, dated then.
    last_modified = max(changed_at, ends_at) if ended else changed_at

    def body():
        event = Event.objects.select_related("venue").get(pk=pk)
        with event_fallbacks(event):
            return schedule_bytes(event, filters, now=now)

    # The language is in every key below (caching.digest reads the active one).
    with translation.override(language):
        return respond(
            request,
            version=digest("schedule", pk, schedule_version, ended, filters),
            last_modified=last_modified,
            body=body,
            filename=f"{slug}.ics",
        )


# --- one session, for "add to calendar" ---------------------------------------------


@require_safe
def session_feed(request, slug, session_uuid):
    event = _published_event(slug)
    rows = SessionRow.read(
        event.sessions.filter(uuid=session_uuid, starts_at__isnull=False)
    )
    if not rows:
        return not_found(_("There is no such session in this event."))
    (row,) = rows  # the uuid is unique
    try:
        language = _language(request, event)
    except FeedNotFound as error:
        return not_found(error)
    with translation.override(language), event_fallbacks(event):
        return _session_response(request, event, rows, session_uuid)


def _session_response(request, event, rows, session_uuid):
    (row,) = rows

    def body():
        entries = cached_entries(
            rows,
            load=lambda pks: load_sessions(pks, event=event),
            build=ical.session_entry,
        )
        calendar = ical.new_calendar(
            name=event.title,
            description=event.summary or event.title,
            tzids=[event.timezone],
            span=ical.span_of([(row.starts_at, row.ends_at)]),
            default_tzid=event.timezone,
        )
        return ical.assemble(calendar, entries)

    return respond(
        request,
        version=digest("session", row, event.changed_at),
        last_modified=max(row.changed_at, event.changed_at),
        body=body,
        filename=f"{event.slug}-{session_uuid}.ics",
        attachment=True,
    )


# --- all public upcoming events ------------------------------------------------------


def events_bytes(rows: list[EventRow]) -> bytes:
    entries = cached_entries(rows, load=load_events, build=_event_entry)
    calendar = ical.new_calendar(
        name=_("Upcoming events"),
        description=_("Public upcoming events at %(site)s")
        % {"site": settings.SITE_URL},
        tzids={row.timezone for row in rows},
        span=ical.span_of((row.starts_at, row.ends_at) for row in rows),
        default_tzid=settings.DEFAULT_EVENT_TIMEZONE,
    )
    return ical.assemble(calendar, entries)


def _event_entry(event: Event):
    """An event's entry, its texts falling back through its own languages."""
    with event_fallbacks(event):
        return ical.event_entry(event)


@require_safe
def all_events_feed(request):
    try:
        language = _language(request, None)
    except FeedNotFound as error:
        return not_found(error)
    # Upcoming includes events in progress; cancelled ones stay until they end.
    rows = EventRow.read(
        Event.objects.listed().upcoming(timezone.now()).order_by("starts_at", "pk")
    )
    with translation.override(language):
        version = digest("events", rows)
        return respond(
            request,
            version=version,
            last_modified=first_seen(version),
            body=lambda: events_bytes(rows),
            filename="events.ics",
        )
