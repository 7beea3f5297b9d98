"""Organiser pages hosted in the admin: summary counts, session lists, exports,
check-in and registering someone on their behalf.

Each view takes the event id from the URL and answers 404 when the user does not
organise that event (403 when their role does not allow the page). Writes go
through one service each.
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from config.database import without_statement_timeout
from events.models import Session

from .. import exports
from ..models import Answer, Invitation, Registration, SessionSeat
from ..selectors import places
from ..services import RegistrationError, on_behalf
from ..services import checkin as checkin_services
from .access import ALL_ROLES, MANAGE_ROLES, can_see_sensitive, get_event_or_404
from .filters import CHOICE_KINDS
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


def status_counts(event) -> list[tuple[str, int]]:
    counts = dict(
        Registration.objects.filter(event=event)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return [
        (label, counts.get(value, 0)) for value, label in Registration.Status.choices
    ]


def type_counts(event) -> list[dict]:
    live = ~Q(registrations__status__in=Registration.DEAD_STATUSES)
    return [
        {
            "type": t,
            "confirmed": t.confirmed,
            "waitlisted": t.waitlisted,
            "awaiting": t.awaiting,
            "live": t.live,
        }
        for t in event.registration_types.annotate(
            confirmed=Count(
                "registrations", filter=Q(registrations__status="confirmed")
            ),
            waitlisted=Count(
                "registrations", filter=Q(registrations__status="waitlisted")
            ),
            awaiting=Count(
                "registrations", filter=Q(registrations__status="awaiting_approval")
            ),
            live=Count("registrations", filter=live),
        )
    ]


def session_counts(event) -> list[Session]:
    """Sessions with the number of seats held and the length of their waitlist.

    As selectors count them: seats of confirmed registrations only.
    """
    live = Q(seats__registration__status=Registration.Status.CONFIRMED)
    return list(
        event.sessions.select_related("room")
        .annotate(
            taken=Count(
                "seats",
                filter=live & Q(seats__status__in=SessionSeat.PLACE_HOLDING_STATUSES),
            ),
            waiting=Count(
                "seats", filter=live & Q(seats__status=SessionSeat.Status.WAITLISTED)
            ),
        )
        .order_by("starts_at", "title")
    )


def answer_counts(event, *, include_sensitive: bool) -> list[dict]:
    """Per question, how many confirmed attendees gave each answer (catering etc.)."""
    questions = event.questions.all()
    if not include_sensitive:
        questions = questions.filter(is_sensitive=False)
    answers = Answer.objects.filter(
        registration__event=event,
        registration__status=Registration.Status.CONFIRMED,
        question__in=questions,
    ).values_list("question_id", "value")
    by_question = {}
    for question_id, value in answers:
        by_question.setdefault(question_id, []).append(value)
    result = []
    for question in questions:
        values = by_question.get(question.pk, [])
        tally = {}
        if question.kind in CHOICE_KINDS:
            for value in values:
                for item in value if isinstance(value, list) else [value]:
                    label = exports.display_answer(item)
                    if label:
                        tally[label] = tally.get(label, 0) + 1
            rows = sorted(tally.items(), key=lambda pair: (-pair[1], pair[0]))
        else:
            rows = []
        answered = sum(1 for v in values if v not in (None, "", []))
        result.append({"question": question, "rows": rows, "answered": answered})
    return result


def summary(request, event_id, *, model_admin):
    event, role = get_event_or_404(request, event_id, ALL_ROLES)
    reserved = Invitation.objects.filter(
        event=event, status__in=Invitation.OPEN_STATUSES, reserves_seat=True
    ).count()
    context = {
        "title": _("Summary: %(event)s") % {"event": event.title},
        "event": event,
        "role": role,
        "can_manage": role in MANAGE_ROLES,
        "statuses": status_counts(event),
        "places_taken": places.places_taken(event),
        "reserved": reserved,
        "types": type_counts(event),
        "sessions": session_counts(event),
        "answers": answer_counts(event, include_sensitive=can_see_sensitive(role)),
    }
    return _render(request, model_admin, "summary.html", context)


def session_attendees(request, event_id, session_id, *, model_admin):
    event, role = get_event_or_404(request, event_id, ALL_ROLES)
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


@without_statement_timeout  # a large event's export may rightly take a while
def export(request, event_id, file_format, *, model_admin):
    """CSV or Excel of the event's registrations; health data only if asked and allowed.

    `?sensitive=1` adds dietary and accessibility answers (owners and editors);
    `?status=confirmed` limits the rows.
    """
    include_sensitive = request.GET.get("sensitive") == "1"
    roles = MANAGE_ROLES if include_sensitive else ALL_ROLES
    event, role = get_event_or_404(request, event_id, roles)
    if file_format not in {"csv", "xlsx"}:
        return HttpResponse(_("Unknown format: use .csv or .xlsx."), status=404)
    status = request.GET.get("status") or None
    if status is not None and status not in Registration.Status.values:
        return HttpResponse(_("Unknown status."), status=400)
    header, rows = exports.export_rows(
        event, include_sensitive=include_sensitive, status=status
    )
    stamp = timezone.now().astimezone(event.tzinfo).strftime("%Y%m%d-%H%M")
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


def checkin(request, event_id, *, model_admin):
    """Check people in by code (typed or scanned) or by picking them from a search."""
    event, role = get_event_or_404(request, event_id, ALL_ROLES)
    form = CheckInCodeForm()
    result, error = None, None
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
                if form.is_valid():
                    result = checkin_services.check_in_by_code(
                        event=event, code=form.cleaned_data["code"], actor=request.user
                    )
                    form = CheckInCodeForm()  # empty and focused for the next scan
        except RegistrationError as refused:
            error = str(refused)
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
    return _render(
        request, model_admin, "checkin.html", context, status=400 if refused else 200
    )


def _int_or_404(value) -> int:
    if not str(value).isdigit():
        raise Http404(_("No such registration."))
    return int(value)


# --- registering someone else ---------------------------------------------------------


def register_on_behalf(request, event_id, *, model_admin):
    """An organiser (or an assistant's request to one) registers a person."""
    event, role = get_event_or_404(request, event_id, MANAGE_ROLES)
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
