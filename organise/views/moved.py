"""Where the organiser pages the admin used to host went: each old address
answers with a redirect to its place under /organise/<event>/.

Old links name the event by id; the redirect names it by slug, so only people
with a role in the event are told where it went (others: 404, as for an event
that does not exist). The page they land on checks their role as usual.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from events import access
from events.access import Capability
from events.models import Session


def _event(request, event_id):
    event, _role = access.get_event_or_404(request, event_id, Capability.VIEW_EVENT)
    return event


def _to(name: str, event, query: str = "") -> str:
    url = reverse(f"organise:{name}", kwargs={"event": event.slug})
    return f"{url}?{query}" if query else url


@login_required
def summary(request, event_id):
    # The counts are on the event's home now.
    return redirect(_to("home", _event(request, event_id)))


@login_required
def session_attendees(request, event_id, session_id):
    event = _event(request, event_id)
    session = get_object_or_404(Session, pk=session_id, event=event)
    return redirect(_to("registrations", event, f"session={session.pk}"))


@login_required
def export(request, event_id, file_format):
    event = _event(request, event_id)
    url = reverse(
        "organise:registrations_export",
        kwargs={"event": event.slug, "file_format": file_format},
    )
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{url}?{query}" if query else url)


@login_required
def checkin(request, event_id):
    event = _event(request, event_id)
    return redirect(_to("checkin", event))


@login_required
def register_someone(request, event_id):
    return redirect(_to("registration_new", _event(request, event_id)))


@login_required
def invite(request, event_id):
    return redirect(_to("invitation_new", _event(request, event_id)))
