"""The timetable editor's actions beside the grid: undo, the draft, who is told."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import access
from events import services as schedule
from events.access import Capability
from events.models import ScheduleChange
from notifications.services.corrections import mark_correction
from notifications.services.digests import notify_now

from ..drafts import draft_diff
from ..pages import organiser_page, page


def _back(event):
    return redirect(reverse("organise:schedule", args=[event.slug]))


@require_POST
@organiser_page(Capability.EDIT_PROGRAMME)
def undo(request, event):
    """Take back the organiser's own last move (a logged change of its own)."""
    try:
        schedule.undo_last(event=event, actor=request.user)
    except schedule.ScheduleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your last move was undone."))
    return redirect(request.POST.get("next") or reverse("organise:schedule",
                                                        args=[event.slug]))  # fmt: skip


@organiser_page(Capability.EDIT_PROGRAMME)
def draft(request, event):
    """The open draft against what is published; publish, discard or open one."""
    if request.method == "POST":
        return _draft_action(request, event, request.POST.get("action", ""))
    current = schedule.open_draft(event)
    rows = draft_diff(event, current) if current else []
    return page(
        request,
        event,
        "organise/schedule_draft.html",
        crumbs=[
            (_("Timetable"), reverse("organise:schedule", args=[event.slug])),
            (_("Draft"), None),
        ],
        draft=current,
        rows=rows,
        stale=[r for r in rows if r.stale],
    )


def _draft_action(request, event, action):
    current = schedule.open_draft(event)
    if action == "start":
        schedule.start_draft(event=event, actor=request.user)
        return _back(event)
    if current is None:
        messages.error(request, _("There is no open draft."))
        return _back(event)
    if action == "discard":
        schedule.discard_draft(draft=current, actor=request.user)
    elif action == "forget":
        schedule.forget_move(
            draft=current, session_id=_int(request.POST.get("session"))
        )
    elif action == "publish":
        try:
            count = schedule.publish_draft(draft=current, actor=request.user)
        except schedule.DraftStale as error:
            messages.error(request, str(error))
            response = draft(_as_get(request), event.slug)
            response.status_code = 409
            return response
        except schedule.ScheduleError as error:
            messages.error(request, str(error))
            return redirect(reverse("organise:schedule_draft", args=[event.slug]))
        messages.success(
            request, _("Draft published: %(n)s sessions moved.") % {"n": count}
        )
    else:
        return HttpResponseBadRequest(_("Unknown action."))
    return _back(event)


def _as_get(request):
    request.method = "GET"
    return request


def _int(text) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0


@require_POST
@organiser_page(Capability.EDIT_PROGRAMME)
def told(request, event):
    """Send the waiting digest now, or mark one change as a correction."""
    if not access.may(request, Capability.SEND_MESSAGES, event.pk):
        raise PermissionDenied(_("You may not send messages."))
    if request.POST.get("action") == "send":
        sent = notify_now(event=event)
        messages.success(request, _("%(n)s messages queued.") % {"n": sent})
    elif request.POST.get("action") == "correction":
        change = get_object_or_404(
            ScheduleChange, event=event, pk=_int(request.POST.get("change"))
        )
        mark_correction(change=change, actor=request.user)
        messages.success(request, _("Marked as a correction: nobody is told."))
    else:
        return HttpResponseBadRequest(_("Unknown action."))
    return _back(event)
