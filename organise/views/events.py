"""The organiser area's entry: the events a person organises, and each one's home."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from events import access
from events.access import Capability, Role

from .. import dashboard
from ..pages import layout, organiser_page


@login_required
def index(request):
    """Every event the person has a role in, newest first, with that role."""
    if not access.may_somewhere(request, Capability.VIEW_EVENT):
        raise PermissionDenied(_("You organise no events."))
    context = layout(request, None)
    context["rows"] = [
        (event, Role(access.role_for(request, event.pk)).label)
        for event in context["organised_events"]
    ]
    context["may_create"] = access.may_somewhere(request, Capability.CREATE_EVENTS)
    return render(request, "organise/event_list.html", context)


@organiser_page(Capability.VIEW_EVENT)
def home(request, event):
    """The event's home: what an events office checks each morning."""
    figures = dashboard.home_figures(
        event,
        now=timezone.now(),
        registrations=access.may(request, Capability.VIEW_REGISTRATIONS, event.pk),
        messages=access.may(request, Capability.VIEW_MESSAGES, event.pk),
    )
    return render(
        request, "organise/event_home.html", layout(request, event, home=figures)
    )
