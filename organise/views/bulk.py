"""Acting on people safely: every action first shows what it will do, to how
many and to whom, and what each will receive; only its confirming POST acts.

The same pages serve one person (from their page) and many (ticked on a list,
or everyone the list's filters match). A confirmed action is stored as a
BulkOperation; a small one runs at once, a large one in a worker (in embedded
mode, in the periodic jobs), and its page shows how far it has got.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from events.access import Capability
from notifications.services.publishing import publish_long_work
from notifications.services.rendering import SUBJECTS
from registrations.models import BulkOperation, Invitation, Registration
from registrations.selectors.lists import find_registrations
from registrations.services import RegistrationError, bulk
from registrations.tasks import task_run_bulk

from ..forms.invitations import InvitationFilterForm
from ..forms.registrations import FILTER_FIELDS, BulkChoiceForm, ConfirmForm
from ..pages import layout, organiser_page
from .invitations import INVITATION_FILTERS, find_invitations, invitations_url
from .registrations import filter_form, list_url

Kind = BulkOperation.Kind
# The emails each action sends to the people it changes; the first is the usual.
EMAILS = {
    Kind.APPROVE: ("approved", "waitlisted"),
    Kind.DECLINE: ("declined",),
    Kind.CANCEL: ("cancelled",),
    Kind.WAITLIST: ("waitlisted",),
    Kind.OFFER: ("offer_made",),
    Kind.REMIND: ("invitation_reminder",),
    Kind.RESEND: ("invitation",),
    Kind.WITHDRAW: (),
    Kind.APPROVE_SUBSTITUTE: ("substitute_invited",),
}
NAMES_SHOWN = 10


# "Everyone listed" under a filter that is not valid is nobody: acting on more
# people than the organiser asked for is the one mistake this page must not make.


def _registrations(request, event, choice: dict) -> QuerySet:
    if choice["scope"] == "all":
        form = filter_form(request, event, request.POST or request.GET)
        filters = form.filters()
        if form.errors:
            return Registration.objects.none()
        return find_registrations(event, filters)
    return Registration.objects.filter(event=event, pk__in=choice["ids"])


def _invitations(request, event, choice: dict) -> QuerySet:
    if choice["scope"] == "all":
        data = request.POST or request.GET
        if not InvitationFilterForm(data).is_valid():
            return Invitation.objects.none()
        return find_invitations(event, data)
    return Invitation.objects.filter(event=event, pk__in=choice["ids"])


@organiser_page(Capability.MANAGE_REGISTRATIONS)
def registration_action(request, event):
    return confirm_action(
        request,
        event,
        kinds=bulk.REGISTRATION_KINDS,
        rows=_registrations,
        filters=FILTER_FIELDS,
        back=(_("Registrations"), list_url(event)),
    )


@organiser_page(Capability.MANAGE_REGISTRATIONS)
def invitation_action(request, event):
    return confirm_action(
        request,
        event,
        kinds=bulk.INVITATION_KINDS,
        rows=_invitations,
        filters=INVITATION_FILTERS,
        back=(_("Invitations"), invitations_url(event)),
    )


def confirm_action(request, event, *, kinds, rows, filters, back):
    """Show what the chosen action would do; do it on the confirming POST only."""
    data = request.POST if request.method == "POST" else request.GET
    choice = BulkChoiceForm(data, kinds=kinds)
    page = layout(request, event, crumbs=[back, (_("Confirm"), None)], back=back[1])
    if not choice.is_valid():
        page["choice"] = choice
        return render(request, "organise/bulk_confirm.html", page, status=400)
    kind = choice.cleaned_data["action"]
    targets = bulk.targets(
        event=event, kind=kind, queryset=rows(request, event, choice.cleaned_data)
    )
    count = targets.count()
    confirming = request.method == "POST" and "confirm" in request.POST
    form = ConfirmForm(
        request.POST if confirming else None, initial={"expected": count}
    )
    if confirming and form.is_valid():
        if form.cleaned_data["expected"] == count:
            return _start(request, event, kind, targets, form.cleaned_data)
        form.add_error(
            None, _("The list has changed meanwhile: check the count again.")
        )
    page |= _what_happens(event, kind, targets, count)
    page |= {"choice": choice, "form": form, "filters": _kept(data, filters)}
    return render(
        request, "organise/bulk_confirm.html", page, status=400 if form.errors else 200
    )


def _kept(data, names) -> list[tuple[str, str]]:
    """The list's filters, carried through the confirmation as hidden fields."""
    return [(name, data[name]) for name in names if data.get(name)]


def _what_happens(event, kind, targets: QuerySet, count: int) -> dict:
    first = targets[:NAMES_SHOWN]
    if kind in bulk.INVITATION_KINDS:
        names = [i.name or i.email for i in first]
    else:
        names = [str(r.attendee) for r in first.select_related("attendee")]
    subjects = [
        str(SUBJECTS[email]) % {"event": event.title, "session": ""}
        for email in EMAILS[kind]
    ]
    return {
        "kind": kind,
        "kind_label": Kind(kind).label,
        "count": count,
        "names": names,
        "more": max(count - len(names), 0),
        "subjects": subjects,
        "silenceable": kind in bulk.SILENCEABLE,
        "asks_reason": kind == Kind.DECLINE,
    }


def _start(request, event, kind, targets, confirmed: dict):
    try:
        operation = bulk.start_bulk_operation(
            event=event,
            kind=kind,
            queryset=targets,
            actor=request.user,
            tell=confirmed["tell"],
            reason=confirmed["reason"],
        )
    except RegistrationError as refused:
        return render(
            request,
            "organise/bulk_confirm.html",
            layout(request, event, refused=str(refused)),
            status=400,
        )
    if bulk.runs_inline(operation):
        bulk.run_bulk_operation(operation_id=operation.pk)
    else:
        publish_long_work(task_run_bulk, kwargs={"operation_id": operation.pk})
    return redirect("organise:bulk_operation", event=event.slug, operation=operation.pk)


@organiser_page(Capability.MANAGE_REGISTRATIONS)
def bulk_operation(request, event, operation):
    """How far a confirmed action has got; htmx asks again every 2 s until done."""
    operation = get_object_or_404(
        BulkOperation.objects.select_related("actor"), pk=operation, event=event
    )
    back = (
        (_("Invitations"), invitations_url(event))
        if operation.is_for_invitations
        else (_("Registrations"), list_url(event))
    )
    context = layout(
        request,
        event,
        crumbs=[back, (operation.get_kind_display(), None)],
        operation=operation,
        back=back[1],
        poll_url=reverse(
            "organise:bulk_operation",
            kwargs={"event": event.slug, "operation": operation.pk},
        ),
    )
    if request.headers.get("HX-Request"):
        return render(request, "organise/bulk_progress.html#progress", context)
    return render(request, "organise/bulk_progress.html", context)
