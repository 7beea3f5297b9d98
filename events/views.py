"""Public pages: upcoming events, event page, schedule, session page."""

from django.shortcuts import render

from . import selectors
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
    sessions = selectors.schedule_sessions(event, filters)
    context = {
        "event": event,
        "days": selectors.by_day_and_slot(event, sessions),
        "filters": filters,
        "tracks": tracks,
        "rooms": rooms,
        "kinds": Session.Kind.choices,
        "event_days": event.local_days(),
        "count": len(sessions),
    }
    return render(request, "events/schedule.html", context)


def session_detail(request, slug, session_uuid):
    event = selectors.visible_event(slug, request.user)
    session = selectors.session_detail(event, session_uuid)
    return render(
        request, "events/session_detail.html", {"event": event, "session": session}
    )
