"""Organiser pages hosted in the admin: summary counts, session lists, exports,
check-in and registering someone on their behalf.

Each view takes the event id from the URL and answers 404 when the user does not
organise that event (403 when their role does not allow the page). Writes go
through one service each.
"""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts import ratelimits
from events import access
from events.access import Capability, get_event_or_404
from events.models import Session
from events.times import file_stamp

from .. import exports
from ..models import Registration, SessionSeat
from ..selectors import reports
from ..services import RegistrationError, on_behalf
from ..services import checkin as checkin_services
from .forms import CheckInCodeForm, OnBehalfForm


def _render(request, model_admin, template, context, status=200):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        **context,
    }
    return TemplateResponse(
        request, f"admin/registrations/{template}", context, status=status
    )


# --- summary ------------------------------------------------------------------------


def summary(request, event_id, *, model_admin):
    event, role = get_event_or_404(request, event_id, Capability.VIEW_REGISTRATIONS)
    counts = reports.event_counts(event)
    context = {
        "title": _("Summary: %(event)s") % {"event": event.title},
        "event": event,
        "role": role,
        "can_manage": access.may(request, Capability.MANAGE_REGISTRATIONS, event.pk),
        "statuses": [
            (label, counts["by_status"][value])
            for value, label in Registration.Status.choices
        ],
        "places_taken": counts["places_taken"],
        "reserved": counts["reserved"],
        "types": counts["types"],
        "sessions": counts["sessions"],
        "answers": reports.answer_counts(
            event,
            include_sensitive=access.may(
                request, Capability.SEE_SENSITIVE_ANSWERS, event.pk
            ),
        ),
    }
    return _render(request, model_admin, "summary.html", context)


def session_attendees(request, event_id, session_id, *, model_admin):
    event, _role = get_event_or_404(request, event_id, Capability.VIEW_REGISTRATIONS)
    session = get_object_or_404(
        Session.objects.select_related("room"), pk=session_id, event=event
    )
    seats = list(
        session.seats.live()
        .select_related("registration__attendee", "registration__registration_type")
        .order_by("waitlisted_at", "created_at", "pk")
    )
    context = {
        "title": _("Attendees: %(session)s") % {"session": session.title},
        "event": event,
        "session": session,
        "holding": [s for s in seats if s.status in SessionSeat.PLACE_HOLDING_STATUSES],
        "waiting": [s for s in seats if s.status == SessionSeat.Status.WAITLISTED],
    }
    return _render(request, model_admin, "session_attendees.html", context)


# --- exports --------------------------------------------------------------------------


def export(request, event_id, file_format, *, model_admin):
    """CSV or Excel of the event's registrations; health data only if asked and allowed.

    `?sensitive=1` adds dietary and accessibility answers (owners and editors);
    `?status=confirmed` limits the rows.
    """
    include_sensitive = request.GET.get("sensitive") == "1"
    needed = (
        Capability.SEE_SENSITIVE_ANSWERS
        if include_sensitive
        else Capability.VIEW_REGISTRATIONS
    )
    event, _role = get_event_or_404(request, event_id, needed)
    if file_format not in {"csv", "xlsx"}:
        return HttpResponse(_("Unknown format: use .csv or .xlsx."), status=404)
    status = request.GET.get("status") or None
    if status is not None and status not in Registration.Status.values:
        return HttpResponse(_("Unknown status."), status=400)
    header, rows = exports.export_rows(
        event, include_sensitive=include_sensitive, status=status
    )
    stamp = file_stamp(timezone.now(), event)
    name = f"{slugify(event.slug)}-registrations-{stamp}.{file_format}"
    if file_format == "csv":
        data, content_type = exports.to_csv(header, rows), "text/csv; charset=utf-8"
    else:
        data = exports.to_xlsx(header, rows, title=_("Registrations"))
        content_type = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"  # personal data: never in a shared cache
    return response


# --- check-in -------------------------------------------------------------------------


# Check-in codes are short enough to guess. Only unknown codes count, so a busy door
# scanning real codes behind one address never meets the limit.
UNKNOWN_CODES_PER_MINUTE = 60


def checkin(request, event_id, *, model_admin):
    """Check people in by code (typed or scanned) or by picking them from a search."""
    event, _role = get_event_or_404(request, event_id, Capability.CHECK_IN)
    form = CheckInCodeForm()
    result, error, limited = None, None, False
    if request.method == "POST":
        try:
            if "registration" in request.POST:
                registration = get_object_or_404(
                    Registration.objects.live(),
                    pk=_int_or_404(request.POST["registration"]),
                    event=event,
                )
                result = checkin_services.check_in(
                    registration=registration, actor=request.user, method="name"
                )
            else:
                form = CheckInCodeForm(request.POST)
                limited = form.is_valid() and ratelimits.is_limited(
                    request, scope="checkin-code", limit=UNKNOWN_CODES_PER_MINUTE
                )
                if form.is_valid() and not limited:
                    result = _check_in_by_code(
                        request, event, form.cleaned_data["code"]
                    )
                    form = CheckInCodeForm()  # empty and focused for the next scan
        except RegistrationError as refused:
            error = str(refused)
    if limited:
        error = _(
            "Too many unknown codes from this account or network in the last "
            "minute. Wait a minute, then try again, or find the person by name."
        )
    query = request.GET.get("q", "").strip()
    matches = []
    if query:
        matches = list(
            Registration.objects.live()
            .filter(event=event)
            .filter(
                Q(attendee__name__icontains=query)
                | Q(attendee__email__icontains=query)
                | Q(attendee__affiliation__icontains=query)
            )
            .select_related("attendee", "registration_type")
            .order_by("attendee__name")[:50]
        )
    context = {
        "title": _("Check-in: %(event)s") % {"event": event.title},
        "event": event,
        "form": form,
        "result": result,
        "error": error,
        "query": query,
        "matches": matches,
    }
    refused = error is not None or form.errors
    status = 429 if limited else 400 if refused else 200
    response = _render(request, model_admin, "checkin.html", context, status=status)
    if limited:
        response["Retry-After"] = str(ratelimits.seconds_until_reset())
    return response


def _check_in_by_code(request, event, code):
    try:
        return checkin_services.check_in_by_code(
            event=event, code=code, actor=request.user
        )
    except checkin_services.UnknownCheckInCode:
        ratelimits.count_attempt(request, scope="checkin-code")
        raise


def _int_or_404(value) -> int:
    if not str(value).isdigit():
        raise Http404(_("No such registration."))
    return int(value)


# --- registering someone else ---------------------------------------------------------


def register_on_behalf(request, event_id, *, model_admin):
    """An organiser (or an assistant's request to one) registers a person."""
    event, _role = get_event_or_404(request, event_id, Capability.MANAGE_REGISTRATIONS)
    form = OnBehalfForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = on_behalf.register_on_behalf(
                event=event,
                email=data["email"],
                name=data["name"],
                affiliation=data["affiliation"],
                registration_type=data["registration_type"],
                answers=form.answers(data["registration_type"]),
                override_capacity=data["override_capacity"],
                actor=request.user,
            )
        except RegistrationError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("%(name)s is registered: %(status)s.")
                % {
                    "name": registration.attendee,
                    "status": registration.get_status_display(),
                },
            )
            return redirect("admin:registrations_registration_change", registration.pk)
    context = {
        "title": _("Register someone: %(event)s") % {"event": event.title},
        "event": event,
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return _render(
        request, model_admin, "register_on_behalf.html", context, status=status
    )
