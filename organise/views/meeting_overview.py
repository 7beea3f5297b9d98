"""One-to-one meetings, followed: the grid of blocks by tables, open and expired
requests, people without a meeting (and a nudge to them), a table map to print
and the report after the event."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events import access
from events.access import Capability
from meetings import selectors_organiser as overview
from meetings.models import MeetingRequest
from meetings.services.setup import settings_for
from notifications.services.meeting_nudges import CAMPAIGN, new_campaign, send_nudges
from registrations.qr import checkin_qr_svg

from ..pages import organiser_page, page

Status = MeetingRequest.Status


def _home(event):
    return reverse("organise:meetings", args=[event.slug])


@organiser_page(Capability.VIEW_REGISTRATIONS)
def meetings(request, event):
    tables, blocks = overview.grid(event)
    return page(
        request,
        event,
        "organise/meetings.html",
        crumbs=[(_("Meetings"), None)],
        settings=settings_for(event),
        tables=tables,
        blocks=blocks,
        pending=overview.requests_in(event, Status.PENDING),
        expired=overview.requests_in(event, Status.EXPIRED),
        lonely=overview.without_meetings(event),
        may_send=access.may(request, Capability.SEND_MESSAGES, event.pk),
        may_edit=access.may(request, Capability.EDIT_PROGRAMME, event.pk),
    )


def _first_name(profile) -> str:
    name = profile.registration.attendee.name.split()
    return name[0] if name else "…"


@organiser_page(Capability.SEND_MESSAGES)
def nudge(request, event):
    people = overview.without_meetings(event)
    if request.method == "POST":
        campaign = request.POST.get("campaign", "")
        if not CAMPAIGN.fullmatch(campaign):
            messages.error(request, _("That form is out of date: confirm again."))
            return redirect(request.path)
        sent = send_nudges(
            event=event, profiles=people, campaign=campaign, actor=request.user
        )
        messages.success(
            request,
            ngettext(
                "A nudge is on its way to %(count)d person.",
                "A nudge is on its way to %(count)d people.",
                sent,
            )
            % {"count": sent},
        )
        return redirect(_home(event))
    return page(
        request,
        event,
        "organise/meeting_nudge.html",
        crumbs=[(_("Meetings"), _home(event)), (_("Nudge"), None)],
        people=people,
        first_names=[_first_name(p) for p in people[:20]],
        campaign=new_campaign(),
        cancel_url=_home(event),
    )


def _arrival_link(request, event, table) -> str:
    path = reverse("meetings:arrive", kwargs={"slug": event.slug, "token": table.token})
    return request.build_absolute_uri(path)


@organiser_page(Capability.VIEW_REGISTRATIONS)
def table_map(request, event):
    """Each table with its meetings and the QR code its people scan on arrival."""
    tables = [
        (table, rows, checkin_qr_svg(_arrival_link(request, event, table)))
        for table, rows in overview.table_map(event)
    ]
    return page(
        request,
        event,
        "organise/meeting_map.html",
        crumbs=[(_("Meetings"), _home(event)), (_("Table map"), None)],
        tables=tables,
    )


@organiser_page(Capability.VIEW_REGISTRATIONS)
def report(request, event):
    return page(
        request,
        event,
        "organise/meeting_report.html",
        crumbs=[(_("Meetings"), _home(event)), (_("Report"), None)],
        report=overview.report(event),
        statuses=Status,
    )
