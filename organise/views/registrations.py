"""Registrations: finding people, each one's page, exports, registering someone.

Check-in staff read the lists and exports (never health answers); owners and
editors act, through the confirmation pages in `bulk.py`.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from events import access
from events.access import Capability
from events.times import file_stamp
from registrations import exports
from registrations.models import BulkOperation, Registration
from registrations.selectors.badges import badge_of
from registrations.selectors.history import history, summary
from registrations.selectors.lists import find_registrations, list_page
from registrations.services import RegistrationError, on_behalf
from registrations.services.bulk import REGISTRATION_KINDS, applies_to

from ..forms.registrations import (
    FILTER_FIELDS,
    BulkChoiceForm,
    OnBehalfForm,
    RegistrationFilterForm,
)
from ..pages import layout, organiser_page

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def may_see_sensitive(request, event) -> bool:
    return access.may(request, Capability.SEE_SENSITIVE_ANSWERS, event.pk)


def filter_form(request, event, data=None) -> RegistrationFilterForm:
    """The list's filters from `data` (the query string by default)."""
    return RegistrationFilterForm(
        request.GET if data is None else data,
        event=event,
        include_sensitive=may_see_sensitive(request, event),
    )


def list_url(event) -> str:
    return reverse("organise:registrations", kwargs={"event": event.slug})


def filter_query(form: RegistrationFilterForm) -> str:
    """The list's filters as a query string, for exports and page links."""
    given = {name: form.data.get(name) for name in FILTER_FIELDS}
    return urlencode({name: value for name, value in given.items() if value})


@organiser_page(Capability.VIEW_REGISTRATIONS)
def registration_list(request, event):
    """Every registration, filtered, searched and paginated; ticks for bulk actions."""
    form = filter_form(request, event)
    found = find_registrations(event, form.filters())
    page = list_page(found, request.GET.get("page"), size=PAGE_SIZE)
    may_manage = access.may(request, Capability.MANAGE_REGISTRATIONS, event.pk)
    context = layout(
        request,
        event,
        crumbs=[(_("Registrations"), None)],
        form=form,
        page=page,
        query=filter_query(form),
        list_url=list_url(event),  # each row's page is <list>/<pk>/
        may_manage=may_manage,
        may_see_sensitive=may_see_sensitive(request, event),
        bulk_form=BulkChoiceForm(None, kinds=REGISTRATION_KINDS)
        if may_manage
        else None,
    )
    return render(
        request,
        "organise/registration_list.html",
        context,
        status=400 if form.errors else 200,
    )


@organiser_page(Capability.VIEW_REGISTRATIONS)
def registration_detail(request, event, registration):
    """One registration: the person, answers (health ones by role), seats, history."""
    registration = get_object_or_404(
        Registration.objects.select_related(
            "attendee", "registration_type", "checked_in_by", "registered_by"
        ),
        pk=registration,
        event=event,
    )
    sensitive = may_see_sensitive(request, event)
    answers = [
        answer
        for answer in registration.answers.select_related("question").order_by(
            "question__position", "question__pk"
        )
        if sensitive or not answer.question.is_sensitive
    ]
    facts = history(registration)
    context = layout(
        request,
        event,
        crumbs=[
            (_("Registrations"), list_url(event)),
            (str(registration.attendee), None),
        ],
        registration=registration,
        answers=[(a.question.label, exports.display_answer(a.value)) for a in answers],
        seats=registration.seats.live().select_related("session__room"),
        history=[(fact, summary(fact)) for fact in facts],
        actions=[
            (kind, BulkOperation.Kind(kind).label)
            for kind in REGISTRATION_KINDS
            if applies_to(kind, registration)
        ],
        may_manage=access.may(request, Capability.MANAGE_REGISTRATIONS, event.pk),
        badge=badge_of(registration) if registration.is_live else None,
    )
    return render(request, "organise/registration_detail.html", context)


@organiser_page(Capability.VIEW_REGISTRATIONS)
def registration_export(request, event, file_format):
    """The listed registrations as CSV or Excel; `sensitive=1` adds health answers
    for the roles that may see them."""
    include_sensitive = request.GET.get("sensitive") == "1"
    if include_sensitive:
        access.require(request, Capability.SEE_SENSITIVE_ANSWERS, [event.pk])
    if file_format not in {"csv", "xlsx"}:
        return HttpResponse(_("Unknown format: use .csv or .xlsx."), status=404)
    form = filter_form(request, event)
    if form.errors:
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        return HttpResponse(
            _("Unknown filter: %(errors)s") % {"errors": problems}, status=400
        )
    header, rows = exports.export_rows(
        event,
        include_sensitive=include_sensitive,
        registrations=find_registrations(event, form.filters()),
    )
    if file_format == "csv":
        data, content_type = exports.to_csv(header, rows), "text/csv; charset=utf-8"
    else:
        data = exports.to_xlsx(header, rows, title=_("Registrations"))
        content_type = XLSX
    stamp = file_stamp(timezone.now(), event)
    name = f"{slugify(event.slug)}-registrations-{stamp}.{file_format}"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"  # personal data: never in a shared cache
    return response


@organiser_page(Capability.MANAGE_REGISTRATIONS)
def register_someone(request, event):
    """Register a person on their behalf (an assistant asking for a president)."""
    form = OnBehalfForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = on_behalf.register_on_behalf(
                event=event,
                email=data["email"],
                name=data["name"],
                affiliation=data["affiliation"],
                sort_name=data["sort_name"],
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
            return redirect(
                "organise:registration", event=event.slug, registration=registration.pk
            )
    context = layout(
        request,
        event,
        crumbs=[(_("Registrations"), list_url(event)), (_("Register someone"), None)],
        form=form,
    )
    status = 400 if request.method == "POST" else 200
    return render(request, "organise/registration_new.html", context, status=status)
