"""The timetable editor: one day, rooms as columns, and the moves made on it.

The page works without JavaScript: every block is a link to a plain form. The
editor's script (static/js/schedule-editor.js) asks `check` while a block is
dragged or moved by keys and posts to `move`; both answer JSON.
"""

from datetime import date

from django.contrib import messages
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import services as schedule
from events.access import Capability
from events.models import Session
from events.selectors import event_room, event_rooms
from notifications.selectors import untold_schedule_changes

from ..forms.schedule import PlaceForm, initial_of
from ..pages import organiser_page, page
from ..placing import checked, place
from ..schedule_grid import SNAPS, build_day
from ..told import untold_rows


def _day(event, text) -> date:
    days = event.local_days()
    try:
        wanted = date.fromisoformat(text or "")
    except ValueError:
        return days[0]
    return wanted if wanted in days else days[0]


def _snap(text) -> int:
    return int(text) if text in {str(s) for s in SNAPS} else 15


def editor_url(event, day: date) -> str:
    return reverse("organise:schedule", args=[event.slug]) + f"?day={day}"


@organiser_page(Capability.EDIT_PROGRAMME)
def editor(request, event):
    """One day of the timetable to edit; the day's conflicts beside it."""
    draft = schedule.open_draft(event)
    view = build_day(event, _day(event, request.GET.get("day")), draft=draft)
    return page(
        request,
        event,
        "organise/schedule.html",
        crumbs=[(_("Timetable"), None)],
        view=view,
        new_url=reverse("organise:sessions_new", args=[event.slug]),
        day_text=view.day.isoformat(),
        snap=_snap(request.GET.get("snap")),
        snaps=SNAPS,
        draft=draft,
        undoable=schedule.last_undoable(event, actor=request.user),
        untold=untold_schedule_changes(event),
        untold_rows=untold_rows(event),
    )


def _form(request, event, session):
    rooms, length = list(event_rooms(event)), session.length
    if request.method == "POST":
        return PlaceForm(request.POST, event=event, rooms=rooms, length=length)
    return PlaceForm(
        initial=initial_of(session, event), event=event, rooms=rooms, length=length
    )


def _posted_form(request, event, session) -> PlaceForm:
    """The form the script posts: only the room it names is looked up (the
    session's own room, one of the event's, is at hand already)."""
    try:
        room_id = int(request.POST.get("room") or 0)
    except ValueError:
        room_id = 0
    if room_id and room_id == session.room_id:
        room = session.room
    else:
        room = event_room(event, room_id) if room_id else None
    return PlaceForm(
        request.POST, event=event, rooms=[room] if room else [], length=session.length
    )


def _session(event, session_id) -> Session:
    session = get_object_or_404(
        Session.objects.select_related("room__venue"), event=event, pk=session_id
    )
    session.event = event  # as the page has it: not read again
    return session


@require_POST
@organiser_page(Capability.EDIT_PROGRAMME)
def check(request, event, session_id):
    """Whether the session may go where the form says: JSON, nothing written."""
    session = _session(event, session_id)
    form = _posted_form(request, event, session)
    if not form.is_valid():
        return JsonResponse({"allowed": False, "hard": _errors(form), "soft": []})
    data = form.cleaned_data
    draft = schedule.open_draft(event)
    result = checked(session, data["starts_at"], data["ends_at"], data["room"], draft)
    return JsonResponse(result.as_json())


def _errors(form) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]


@require_POST
@organiser_page(Capability.EDIT_PROGRAMME)
def move(request, event, session_id):
    """Save a move from the editor's script: 200, 409 (stale) or 422 (refused)."""
    session = _session(event, session_id)
    form = _posted_form(request, event, session)
    if not form.is_valid():
        errors = _errors(form)
        return JsonResponse(
            {"ok": False, "hard": errors, "soft": [], "message": " ".join(errors)},
            status=422,
        )
    draft = schedule.open_draft(event)
    placed = place(
        session=session, data=form.cleaned_data, draft=draft, actor=request.user
    )
    return JsonResponse(placed.as_json(), status=placed.status)


@require_POST
@organiser_page(Capability.EDIT_PROGRAMME)
def tray(request, event, session_id):
    """Take a session off the timetable into the tray (JSON for the script)."""
    session = _session(event, session_id)
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        count = int(request.POST.get("edit_count", ""))
    except ValueError:
        return JsonResponse({"ok": False, "message": _("Reload the page.")}, status=400)
    status, message = 200, _("Taken to the tray.")
    if schedule.open_draft(event) is not None:
        status, message = 422, _("Take sessions to the tray outside a draft.")
    else:
        try:
            schedule.take_to_tray(session=session, edit_count=count, actor=request.user)
        except schedule.StaleEdit as error:
            status, message = 409, str(error)
        except schedule.ScheduleError as error:
            status, message = 422, str(error)
    if wants_json:
        return JsonResponse({"ok": status == 200, "message": message}, status=status)
    (messages.success if status == 200 else messages.error)(request, message)
    return redirect(reverse("organise:schedule", args=[event.slug]))


@organiser_page(Capability.EDIT_PROGRAMME)
def session_place(request, event, session_id):
    """The plain form a block opens: time and room, with the checks' answers."""
    if request.method not in {"GET", "POST"}:
        return HttpResponseNotAllowed(["GET", "POST"])
    session = _session(event, session_id)
    form, placed = _form(request, event, session), None
    if request.method == "POST" and form.is_valid():
        draft = schedule.open_draft(event)
        placed = place(
            session=session, data=form.cleaned_data, draft=draft, actor=request.user
        )
        if placed.status == 200:
            day = form.cleaned_data["starts_at"].astimezone(event.tzinfo).date()
            return redirect(editor_url(event, day) + f"#block-{session.pk}")
    status = placed.status if placed else 200
    crumbs = [
        (_("Timetable"), reverse("organise:schedule", args=[event.slug])),
        (session.title, None),
    ]
    response = page(request, event, "organise/schedule_place.html", crumbs=crumbs,
                    session=session, form=form, placed=placed)  # fmt: skip
    response.status_code = status
    return response
