"""Public pages: upcoming events, event page, schedule, session page."""

from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from . import selectors, timetable
from .models import Event, Session


def event_list(request):
    events = Event.objects.listed().upcoming().select_related("venue")
    return render(request, "events/event_list.html", {"events": events})


def event_detail(request, slug):
    event = selectors.visible_event(slug, request.user)
    return render(request, "events/event_detail.html", {"event": event})


def schedule(request, slug):
    event = selectors.visible_event(slug, request.user)
    tracks = list(event.tracks.all())
    rooms = selectors.schedule_rooms(event)
    filters = selectors.parse_filters(event, request.GET, tracks, rooms)
    context = {
        "event": event,
        "filters": filters,
        "tracks": tracks,
        "rooms": rooms,
        "kinds": Session.Kind.choices,
        "event_days": event.local_days(),
        "schedule_body": _schedule_body(event, filters),
    }
    return render(request, "events/schedule.html", context)


def _schedule_body(event, filters) -> str:
    """The timetable, rendered once per schedule version, filter set and language.

    The schedule version changes with anything the timetable shows (sessions,
    rooms, venue, speakers, tracks, the event), so a cached body is never stale.
    """
    key = selectors.schedule_cache_key(event, filters, get_language())
    body = cache.get(key)
    if body is None:
        sessions = selectors.timetable_rows(event, filters)
        card = timetable.card_builder(event)
        for session in sessions:
            session.card = card(session)
        body = render_to_string(
            "events/schedule_body.html",
            {
                "event": event,
                "days": selectors.by_day_and_slot(event, sessions),
                "count": len(sessions),
            },
        )
        cache.set(key, body, 24 * 3600)
    return mark_safe(body)  # noqa: S308 - our own template's autoescaped output


def session_detail(request, slug, session_uuid):
    event = selectors.visible_event(slug, request.user)
    session = selectors.session_detail(event, session_uuid)
    return render(
        request, "events/session_detail.html", {"event": event, "session": session}
    )
