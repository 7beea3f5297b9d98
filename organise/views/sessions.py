"""The programme's sessions: a list with filters and search, the session form,
and cancelling or restoring a session. Writes go through events.services (and
registrations' capacity service, which moves waiting people up)."""

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from events import access
from events import services as schedule
from events.access import Capability
from events.models import Session
from events.selectors import event_rooms
from registrations.models import SessionSeat
from registrations.services import RegistrationError
from registrations.services.capacity import change_session_capacity

from ..forms.fields import add_service_errors, refusal_text
from ..forms.sessions import (
    DEFAULT_LENGTH,
    RENAMED,
    SessionFilterForm,
    SessionForm,
)
from ..pages import organiser_page, page

PER_PAGE = 100
REFUSALS = (schedule.ScheduleError, ValidationError, RegistrationError)


def _crumbs(event, *more):
    return [(_("Sessions"), reverse("organise:sessions", args=[event.slug])), *more]


def _choices(event) -> dict:
    return {
        "rooms": list(event_rooms(event)),
        "tracks": list(event.tracks.all()),
        "speakers": list(event.speakers.all()),
    }


@organiser_page(Capability.VIEW_EVENT)
def session_list(request, event):
    """Every session of the event; filters by day, room, track, kind, status."""
    choices = _choices(event)
    filters = SessionFilterForm(
        request.GET, event=event, rooms=choices["rooms"], tracks=choices["tracks"]
    )
    sessions = filters.filter(
        Session.objects.filter(event=event)
        .select_related("room__venue", "track")
        .prefetch_related("speakers")
        .order_by("starts_at", "room__name", "title")
    )
    paginator = Paginator(sessions, PER_PAGE)
    return page(
        request,
        event,
        "organise/session_list.html",
        crumbs=[(_("Sessions"), None)],
        filters=filters,
        page_obj=paginator.get_page(request.GET.get("page")),
        may_edit=access.may(request, Capability.EDIT_PROGRAMME, event.pk),
        query=_without_page(request.GET),
    )


def _without_page(params) -> str:
    kept = params.copy()
    kept.pop("page", None)
    return kept.urlencode()


def _session_or_404(event, session_id) -> Session:
    return get_object_or_404(
        Session.objects.prefetch_related("speakers"), event=event, pk=session_id
    )


def _save(request, event, form, session) -> Session | None:
    fields = form.session_fields()
    speakers = form.cleaned_data["speakers"]
    try:
        if session is None and form.is_unplaced:
            return schedule.create_unplaced_session(
                event=event, actor=request.user, speakers=speakers, **fields
            )
        if session is None:
            return schedule.create_session(
                event=event, actor=request.user, speakers=speakers, **fields
            )
        capacity = fields.pop("capacity")
        schedule.update_session(
            session=session, actor=request.user, speakers=speakers, **fields
        )
        if capacity != session.capacity:
            change_session_capacity(
                session=session, capacity=capacity, actor=request.user
            )
        return session
    except REFUSALS as refused:
        add_service_errors(form, refused, RENAMED)
        return None


def _session_form(request, event, session):
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        event=event,
        session=session,
        initial=_place_from(request) if session is None else None,
        **_choices(event),
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(request, event, form, session)
        if saved is not None:
            done = (
                _("Saved “%(title)s”.")
                if saved.is_placed
                else _(
                    "Saved “%(title)s”: it waits in the timetable's tray, not public "
                    "until it is placed."
                )
            )
            messages.success(request, done % {"title": saved.title})
            return redirect("organise:sessions", event=event.slug)
    heading = session.title if session else _("New session")
    return page(
        request,
        event,
        "organise/form_page.html",
        crumbs=_crumbs(event, (heading, None)),
        heading=heading,
        form=form,
        submit_label=_("Save the session"),
        cancel_url=reverse("organise:sessions", args=[event.slug]),
        status_url=session
        and session.is_placed
        and reverse("organise:sessions_status", args=[event.slug, session.pk]),
        place_url=session
        and session.in_tray
        and reverse("organise:schedule_session", args=[event.slug, session.pk]),
        session=session,
    )


def _place_from(request) -> dict:
    """A new session's day, start and room from the timetable editor's empty cell
    (`?day=2030-05-06&starts=09:30&room=3`), ending an hour later on the same
    day; the form checks them as usual."""
    initial = {
        name: request.GET[name]
        for name in ("day", "starts", "room")
        if name in request.GET
    }
    try:
        starts = time.fromisoformat(initial.get("starts", ""))
    except ValueError:
        return initial
    ends = datetime.combine(date.min, starts) + timedelta(minutes=DEFAULT_LENGTH)
    if ends.date() == date.min:
        initial["ends"] = ends.time()
    return initial


@organiser_page(Capability.EDIT_PROGRAMME)
def session_create(request, event):
    return _session_form(request, event, None)


@organiser_page(Capability.EDIT_PROGRAMME)
def session_edit(request, event, session_id):
    return _session_form(request, event, _session_or_404(event, session_id))


@organiser_page(Capability.EDIT_PROGRAMME)
def session_status(request, event, session_id):
    """Cancel a scheduled session, or restore a cancelled one (asked first)."""
    session = _session_or_404(event, session_id)
    if not session.is_placed:
        messages.error(request, _("A session without a time is placed, not cancelled."))
        return redirect("organise:sessions", event=event.slug)
    change = (
        schedule.restore_session if session.is_cancelled else schedule.cancel_session
    )
    if request.method == "POST":
        try:
            change(session=session, actor=request.user)
        except REFUSALS as refused:
            messages.error(request, refusal_text(refused))
        else:
            done = (
                _("Cancelled: %(title)s")
                if session.is_cancelled
                else _("Restored: %(title)s")
            )
            messages.success(request, done % {"title": session.title})
        return redirect("organise:sessions", event=event.slug)
    seats = SessionSeat.objects.live().filter(session=session).count()
    return page(
        request,
        event,
        "organise/session_status.html",
        crumbs=_crumbs(event, (session.title, None)),
        session=session,
        seats=seats,
    )
