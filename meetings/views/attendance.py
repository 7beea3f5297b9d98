"""Arriving at a table (its QR code), confirming afterwards that a meeting took
place, and the printable meeting sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from ..models import Table
from ..selectors import sheet_of
from ..services import MeetingError
from ..services.attendance import confirm_met, meeting_now, record_arrival
from .base import back_to_hub, meeting_of, refuse, visit


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def arrive(request, slug, token):
    """The page a table's QR code opens: the person's meeting there now, and a
    button to record their arrival."""
    seen = visit(request, slug)
    table = get_object_or_404(Table, token=token, event=seen.event)
    if seen.profile is None:
        return refuse(request, seen)
    if request.method == "POST":
        try:
            record_arrival(table=table, person=request.user, actor=request.user)
            messages.success(
                request, _("Your arrival is recorded. Have a good meeting!")
            )
        except MeetingError as error:
            messages.error(request, str(error))
        return redirect("meetings:arrive", slug=slug, token=token)
    meeting = meeting_now(table, request.user, timezone.now())
    arrived = meeting is not None and (
        meeting.requester_arrived_at
        if meeting.request.requester_id == seen.profile.pk
        else meeting.recipient_arrived_at
    )
    context = {
        "event": seen.event,
        "table": table,
        "meeting": meeting,
        "arrived": arrived,
        "profile": seen.profile,
    }
    return render(request, "meetings/arrive.html", context)


@login_required
@require_POST
def met(request, slug, meeting_uuid):
    seen = visit(request, slug)
    if seen.profile is None:
        return refuse(request, seen)
    meeting = meeting_of(seen, meeting_uuid)
    try:
        confirm_met(meeting=meeting, person=request.user, actor=request.user)
        messages.success(request, _("Thank you: the meeting is confirmed."))
    except MeetingError as error:
        messages.error(request, str(error))
    return back_to_hub(slug)


@login_required
@require_safe
@cache_control(private=True)
def sheet(request, slug):
    """The person's meetings with their times and tables, to print."""
    seen = visit(request, slug)
    if seen.profile is None:
        return refuse(request, seen)
    context = {
        "event": seen.event,
        "profile": seen.profile,
        "person": request.user,
        "days": sheet_of(seen.profile, seen.event),
    }
    return render(request, "meetings/sheet.html", context)
