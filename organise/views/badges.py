"""Name badges: a PDF of A4 sheets for everyone confirmed or for the list's
filters, sorted by sort name; one person's badge; their sort name.

Reading the lists is enough to print the sheets; checking people in is enough
for one person's badge (a lost badge replaced at the door).
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.services import change_sort_name
from events.access import Capability
from events.times import file_stamp
from registrations.badges import LAYOUTS, badges_pdf
from registrations.models import Registration
from registrations.selectors.badges import badge_of, badge_registrations, badges
from registrations.selectors.lists import find_registrations

from ..forms.badges import LISTED, BadgeForm, LayoutForm, SortNameForm
from ..forms.registrations import FILTER_FIELDS
from ..pages import layout, organiser_page
from .registrations import filter_form, filter_query, list_url


def _chosen(event, form: BadgeForm, filters):
    if form.cleaned_data["who"] == LISTED:
        listed = find_registrations(event, filters.filters())
        return badge_registrations(event, listed)
    return badge_registrations(event)


@organiser_page(Capability.VIEW_REGISTRATIONS)
def badge_sheets(request, event):
    """The badges' form: for whom (everyone confirmed, or the list's filters)
    and on which sheets; it asks for the PDF below."""
    filters = filter_form(request, event)
    listed = find_registrations(event, filters.filters())
    form = BadgeForm(initial={"who": LISTED} if filters.is_filtered() else None)
    context = layout(
        request,
        event,
        crumbs=[(_("Registrations"), list_url(event)), (_("Badges"), None)],
        form=form,
        filters=filters,
        query=filter_query(filters),
        hidden=[
            (name, request.GET[name]) for name in FILTER_FIELDS if name in request.GET
        ],
        confirmed=badge_registrations(event).count(),
        listed=badge_registrations(event, listed).count(),
    )
    return render(request, "organise/badges.html", context)


@organiser_page(Capability.VIEW_REGISTRATIONS)
def badges_file(request, event):
    """The badges as a PDF, sorted by sort name. Reads only: a GET."""
    form, filters = BadgeForm(request.GET), filter_form(request, event)
    if not form.is_valid() or filters.errors:
        problems = {**form.errors, **filters.errors}
        reasons = "; ".join(f"{k}: {' '.join(v)}" for k, v in problems.items())
        return HttpResponse(
            _("The badges cannot be made: %(errors)s") % {"errors": reasons},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    made = badges(_chosen(event, form, filters))
    if not made:
        return HttpResponse(
            _("Nobody to make a badge for: nobody matches."),
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    data = badges_pdf(
        event,
        made,
        LAYOUTS[form.cleaned_data["layout"]],
        cut_lines=form.cleaned_data["cut_lines"],
    )
    stamp = file_stamp(timezone.now(), event)
    return _pdf(data, f"{slugify(event.slug)}-badges-{stamp}.pdf")


@organiser_page(Capability.CHECK_IN)
def registration_badge(request, event, registration):
    """One person's badge, on the first place of a sheet (`?layout=`)."""
    registration = get_object_or_404(
        Registration.objects.live(), pk=registration, event=event
    )
    chosen = LayoutForm(request.GET)
    if not chosen.is_valid():
        return HttpResponse(
            _("Unknown sheet: choose one of the badge sizes offered."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    data = badges_pdf(event, [badge_of(registration)], chosen.chosen())
    name = f"{slugify(event.slug)}-badge-{registration.pk}.pdf"
    return _pdf(data, name, disposition="inline")  # straight to the printer


@require_POST
@organiser_page(Capability.MANAGE_REGISTRATIONS)
def sort_name(request, event, registration):
    """Change how the registration's person sorts on badges."""
    registration = get_object_or_404(
        Registration.objects.select_related("attendee"), pk=registration, event=event
    )
    form = SortNameForm(request.POST)
    if form.is_valid():
        person = change_sort_name(
            person=registration.attendee,
            sort_name=form.cleaned_data["sort_name"],
            actor=request.user,
        )
        messages.success(
            request,
            _("%(name)s now sorts as “%(sort_name)s”.")
            % {"name": person, "sort_name": person.sorts_as},
        )
    else:
        messages.error(request, " ".join(form.errors["sort_name"]))
    return redirect(
        "organise:registration", event=event.slug, registration=registration.pk
    )


def _pdf(data: bytes, filename: str, disposition="attachment") -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # personal data: never in a shared cache
    return response
