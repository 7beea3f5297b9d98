"""An organiser moves a meeting to another table or slot of its block; both
people are told (meetings.services.accepting.move_meeting records the fact)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from events.access import Capability
from events.times import show_day_time
from meetings.forms import parse_slot, slot_value
from meetings.models import Meeting, Table
from meetings.services import MeetingError
from meetings.services.accepting import move_meeting

from ..forms.fields import add_service_errors
from ..forms.meetings import MoveForm
from ..pages import organiser_page, page


@organiser_page(Capability.EDIT_PROGRAMME)
def move(request, event, meeting_uuid):
    meeting = get_object_or_404(
        Meeting.objects.select_related("table", "request__block"),
        uuid=meeting_uuid,
        request__block__event=event,
        status=Meeting.Status.ACTIVE,
    )
    block = meeting.request.block
    home = reverse("organise:meetings", args=[event.slug])
    slots = [
        (slot_value(block, s), show_day_time(s, event)) for s in block.slot_starts()
    ]
    form = MoveForm(
        request.POST if request.method == "POST" else None,
        initial={
            "slot": slot_value(block, meeting.starts_at),
            "table": str(meeting.table_id),
        },
        slots=slots,
        tables=Table.objects.filter(event=event),
    )
    if request.method == "POST" and form.is_valid():
        table = get_object_or_404(Table, pk=form.cleaned_data["table"], event=event)
        try:
            move_meeting(
                meeting=meeting,
                table=table,
                slot_start=parse_slot(form.cleaned_data["slot"])[1],
                actor=request.user,
            )
        except MeetingError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, _("Meeting moved; both people are told."))
            return redirect(home)
    return _move_page(request, event, meeting, form, home)


def _move_page(request, event, meeting, form, home):
    asked = meeting.request
    heading = _("Move the meeting of %(a)s and %(b)s") % {
        "a": asked.requester,
        "b": asked.recipient,
    }
    return page(
        request,
        event,
        "organise/form_page.html",
        crumbs=[(_("Meetings"), home), (_("Move a meeting"), None)],
        heading=heading,
        intro=_("Now: %(when)s, table %(table)s.")
        % {"when": show_day_time(meeting.starts_at, event), "table": meeting.table},
        form=form,
        submit_label=_("Move"),
        cancel_url=home,
    )
