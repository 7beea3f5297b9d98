"""The meetings page: my meetings, requests received and sent, and their answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ..forms import AnswerForm, parse_slot, slot_field
from ..models import MeetingBlock, MeetingRequest
from ..selectors import free_slots, my_requests
from ..services import MeetingError
from ..services.accepting import accept, cancel_meeting
from ..services.requests import counter_propose, decline, withdraw
from .base import back_to_hub, meeting_of, refuse, visit


def _counter_choices(request: MeetingRequest, event):
    slots = [
        (block, start)
        for block in MeetingBlock.objects.filter(event=event)
        for start in free_slots(block, request.requester, request.recipient)
    ]
    return slot_field(slots, event).choices


@login_required
@require_safe
def hub(request, slug):
    seen = visit(request, slug)
    if not seen.opted_in:
        return refuse(request, seen)
    mine = my_requests(seen.profile)
    received = [(r, _counter_choices(r, seen.event)) for r in mine["received"]]
    context = {
        "event": seen.event,
        "profile": seen.profile,
        "received": received,
        "sent": mine["sent"],
        "meetings": mine["meetings"],
        "now": timezone.now(),
    }
    return render(request, "meetings/hub.html", context)


@login_required
@require_POST
def answer(request, slug, request_id):
    seen = visit(request, slug)
    if not seen.opted_in:
        return refuse(request, seen)
    asked = get_object_or_404(
        MeetingRequest, pk=request_id, recipient=seen.profile, block__event=seen.event
    )
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an answer."))
        return back_to_hub(slug)
    action, data = form.cleaned_data["action"], form.cleaned_data
    try:
        if action == "accept":
            meeting = accept(request=asked, actor=request.user)
            messages.success(
                request, _("Meeting confirmed at table %(t)s.") % {"t": meeting.table}
            )
        elif action == "decline":
            decline(request=asked, reason=data["reason"], actor=request.user)
            messages.success(request, _("Request declined."))
        else:
            block_id, start = parse_slot(data["slot"] or "0-0")
            block = get_object_or_404(MeetingBlock, pk=block_id, event=seen.event)
            counter_propose(
                request=asked, block=block, slot_start=start, actor=request.user
            )
            messages.success(request, _("Another time proposed."))
    except (MeetingError, ValueError) as error:
        messages.error(request, str(error))
    return back_to_hub(slug)


@login_required
@require_POST
def withdraw_request(request, slug, request_id):
    seen = visit(request, slug)
    if not seen.opted_in:
        return refuse(request, seen)
    asked = get_object_or_404(
        MeetingRequest, pk=request_id, requester=seen.profile, block__event=seen.event
    )
    try:
        withdraw(request=asked, actor=request.user)
        messages.success(request, _("Request withdrawn."))
    except MeetingError as error:
        messages.error(request, str(error))
    return back_to_hub(slug)


@login_required
@require_POST
def cancel(request, slug, meeting_uuid):
    seen = visit(request, slug)
    if seen.profile is None:
        return refuse(request, seen)
    meeting = meeting_of(seen, meeting_uuid)
    try:
        cancel_meeting(
            meeting=meeting,
            reason=request.POST.get("reason", "")[:300],
            actor=request.user,
        )
        messages.success(request, _("Meeting cancelled; the other person is told."))
    except MeetingError as error:
        messages.error(request, str(error))
    return back_to_hub(slug)
