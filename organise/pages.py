"""What every organiser page shares: the event from its slug, checked against
the access policy, and the layout's context (event switcher and navigation).

An organiser page is a plain function view wrapped in `organiser_page(capability)`:
it receives the event, and answers 404 for an event the person has no role in
and 403 for a role that does not allow the page (events.access decides both).
Anonymous visitors go to the sign-in page first.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events import access
from events.access import Capability
from events.languages import use_event
from events.models import Event


@dataclass(frozen=True, slots=True)
class NavItem:
    """One entry of the organiser area's left navigation."""

    url_name: str
    label: str
    capability: Capability


# In the order an events office works through an event. Pages add themselves here.
NAVIGATION: list[NavItem] = [
    NavItem("organise:home", _("Home"), Capability.VIEW_EVENT),
    NavItem(
        "organise:registrations", _("Registrations"), Capability.VIEW_REGISTRATIONS
    ),
    NavItem("organise:checkin", _("Check-in"), Capability.CHECK_IN),
    NavItem("organise:invitations", _("Invitations"), Capability.MANAGE_REGISTRATIONS),
    NavItem("organise:sessions", _("Sessions"), Capability.VIEW_EVENT),
    NavItem("organise:schedule", _("Timetable"), Capability.EDIT_PROGRAMME),
    NavItem("organise:rooms", _("Rooms and venues"), Capability.VIEW_EVENT),
    NavItem("organise:tracks", _("Tracks"), Capability.VIEW_EVENT),
    NavItem("organise:speakers", _("Speakers"), Capability.VIEW_EVENT),
    NavItem("organise:meetings", _("Meetings"), Capability.VIEW_REGISTRATIONS),
    NavItem("organise:changes", _("Change log"), Capability.VIEW_EVENT),
    NavItem("organise:messages", _("Messages"), Capability.VIEW_MESSAGES),
    NavItem("organise:settings", _("Settings"), Capability.MANAGE_SETTINGS),
    NavItem("organise:team", _("Team"), Capability.MANAGE_ROLES),
]


def organiser_page(capability: Capability) -> Callable:
    """Wrap a view `view(request, event, ...)` reached at `<slug:event>/...`."""

    def decorate(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, event: str, **kwargs) -> HttpResponse:
            found = Event.objects.select_related("venue").filter(slug=event).first()
            if found is None:
                raise Http404(_("No such event."))
            found, role = access.get_event_or_404(request, found, capability)
            request.organiser_event = found
            request.organiser_role = role
            use_event(found)  # its texts fall back through its languages
            return view(request, found, **kwargs)

        return wrapped

    return decorate


def _is_within(request: HttpRequest, item: NavItem) -> bool:
    # Pages below an entry (a session's form below Sessions) are named after it:
    # "organise:sessions_edit" is within "organise:sessions".
    return request.resolver_match.view_name.startswith(f"{item.url_name}_")


def layout(request: HttpRequest, event: Event | None, **context) -> dict:
    """The context every organiser template extends `organise/base.html` with."""
    navigation = []
    if event is not None:
        navigation = [
            {
                "url": reverse(item.url_name, kwargs={"event": event.slug}),
                "label": item.label,
                "current": request.resolver_match.view_name == item.url_name,
                "within": _is_within(request, item),
            }
            for item in NAVIGATION
            if access.may(request, item.capability, event.pk)
        ]
    return {
        "event": event,
        "organised_events": access.events(request, Capability.VIEW_EVENT).order_by(
            "-starts_at"
        ),
        "navigation": navigation,
        **context,
    }


def page(
    request: HttpRequest, event: Event | None, template: str, *, crumbs=(), **context
) -> HttpResponse:
    """Render an organiser template in the layout, with its breadcrumbs
    [(label, url or None for the page itself), ...]."""
    return render(request, template, layout(request, event, crumbs=crumbs, **context))
