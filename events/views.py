"""Public pages: upcoming events, event page, schedule, session page."""

from dataclasses import replace
from urllib.parse import urlencode

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from . import selectors, timetable
from .models import Event, Session
from .signals import personal_links
from .timetable_marks import Stars, apply_marks, collect_marks


def event_list(request):
    events = Event.objects.listed().upcoming().select_related("venue")
    return render(request, "events/event_list.html", {"events": events})


def event_detail(request, slug):
    event = selectors.visible_event(slug, request.user)
    context = {"event": event, "personal_links": _personal_links(event, request.user)}
    return render(request, "events/event_detail.html", context)


def _personal_links(event, user) -> list[tuple[str, str]]:
    """What the apps above offer this person here; nothing for an anonymous
    visitor, at no query."""
    if not user.is_authenticated:
        return []
    answers = personal_links.send(sender=Event, event=event, user=user)
    return [link for _receiver, links in answers for link in links or []]


def schedule(request, slug):
    """One day of the timetable. The day's grid is cached and shared; seats left
    and the person's stars and seats are filled in by one pass over it."""
    event = selectors.visible_event(slug, request.user)
    tracks = list(event.tracks.all())
    rooms = selectors.schedule_rooms(event)
    filters = selectors.parse_filters(event, request.GET, tracks, rooms)
    now = timezone.now()
    today = timezone.localtime(now, event.tzinfo).date()
    filters = replace(filters, day=selectors.schedule_day(event, filters.day, today))
    cached = _schedule_day(event, filters)
    marks = collect_marks(event=event, user=request.user)
    body = apply_marks(cached["body"], marks, _stars(request, event))
    other_filters = _filter_params(filters)
    day_tabs = [
        (day, "?" + urlencode({"day": day.isoformat(), **other_filters}))
        for day in event.local_days()
    ]
    context = {
        "event": event,
        "filters": filters,
        "tracks": tracks,
        "rooms": rooms,
        "kinds": Session.Kind.choices,
        "day_tabs": day_tabs,
        "now_link": _now_link(event, filters, today, now, cached["slots"], day_tabs),
        "schedule_body": mark_safe(BODY_SLOT),  # noqa: S308 - a constant
    }
    # The day's megabytes go in after rendering: through the template engine's
    # nested blocks they would be copied once per level.
    response = render(request, "events/schedule.html", context)
    head, tail = response.content.split(BODY_SLOT.encode(), 1)
    response.content = b"".join((head, body.encode(), tail))
    return response


BODY_SLOT = "<!--tt:body-->"


def _stars(request, event) -> Stars:
    return Stars(
        event=event,
        csrf_token=get_token(request),
        next_url=request.get_full_path(),
        signed_in=request.user.is_authenticated,
    )


def _filter_params(filters) -> dict:
    params = {}
    if filters.track:
        params["track"] = filters.track.slug
    if filters.room:
        params["room"] = str(filters.room.pk)
    if filters.kind:
        params["kind"] = filters.kind
    return params


def _now_link(event, filters, today, now, slots, day_tabs) -> str:
    """While the event runs: the current time's slot on today's tab."""
    if not event.starts_at <= now < event.ends_at:
        return ""
    url = next((url for day, url in day_tabs if day == today), "")
    if filters.day != today or not slots:
        return url
    clock = "t-" + timezone.localtime(now, event.tzinfo).strftime("%H%M")
    current = [slot for slot in slots if slot <= clock]
    return f"{url}#{current[-1] if current else slots[0]}"


def _schedule_day(event, filters) -> dict:
    """One day's timetable, rendered once per schedule version, filter set and
    language: {"body": html with markers, "slots": [anchors], "count": n}.

    The schedule version changes with anything the timetable shows (sessions,
    rooms, venue, speakers, tracks, the event), so a cached body is never stale.
    """
    key = selectors.schedule_cache_key(event, filters, get_language())
    cached = _recent_days.get(key) or cache.get(key)
    if cached is None:
        sessions = selectors.timetable_rows(event, filters)
        grid = timetable.build_day(event, sessions)
        body = render_to_string(
            "events/schedule_body.html",
            {
                "event": event,
                "day": filters.day,
                "grid": grid,
                "sessions": sessions,
                "count": len(sessions),
            },
        )
        cached = {"body": body, "slots": grid.slots, "count": len(sessions)}
        cache.set(key, cached, 24 * 3600)
    _remember(key, cached)
    return cached


# The last few days served by this process, by their cache key. The key holds the
# schedule version, so an entry is never stale: a change makes a new key. It
# spares each request reading megabytes from the shared cache.
_recent_days: dict[str, dict] = {}
RECENT_DAYS = 8


def _remember(key: str, day: dict) -> None:
    _recent_days.pop(key, None)
    _recent_days[key] = day  # the newest last
    while len(_recent_days) > RECENT_DAYS:
        _recent_days.pop(next(iter(_recent_days)), None)


def session_detail(request, slug, session_uuid):
    event = selectors.visible_event(slug, request.user)
    session = selectors.session_detail(event, session_uuid)
    uuid = str(session.uuid)
    marks = collect_marks(event=event, user=request.user, session_uuids=[uuid])
    stars = _stars(request, event)
    context = {
        "event": event,
        "session": session,
        "star": mark_safe(  # noqa: S308 - escaped when built
            stars.html(uuid, uuid in marks.starred, described_by="session-title")
        ),
        "seats_left": marks.seats_left.get(uuid),
        "my_seat": marks.seats.get(uuid),
    }
    return render(request, "events/session_detail.html", context)
