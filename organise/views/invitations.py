"""Invitations: who is invited and how they answered, inviting one person or a
list with a personal message in their language, and each organiser's choice of
news about answers. Reminding, new links, withdrawing and approving substitutes
go through the confirmation pages in `bulk.py`."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from events.access import Capability
from events.models import EventOrganiser
from events.services.organisers import set_invitation_news
from registrations.models import Invitation
from registrations.services.bulk import INVITATION_KINDS
from registrations.services.invitations import InvitationError, invite, invite_many

from ..forms.invitations import (
    InvitationFilterForm,
    InvitationNewsForm,
    InviteListForm,
    InviteOneForm,
    InviteOptionsForm,
)
from ..forms.registrations import BulkChoiceForm
from ..pages import layout, organiser_page

INVITATION_FILTERS = ("q", "status")
PAGE_SIZE = 50


def invitations_url(event) -> str:
    return reverse("organise:invitations", kwargs={"event": event.slug})


def find_invitations(event, data) -> QuerySet:
    """The event's invitations matching the list's search and status filter."""
    form = InvitationFilterForm(data)
    form.is_valid()
    rows = Invitation.objects.filter(event=event)
    if status := form.cleaned_data.get("status"):
        rows = rows.filter(status=status)
    if term := (form.cleaned_data.get("q") or "").strip():
        rows = rows.filter(
            Q(name__icontains=term)
            | Q(email__icontains=term)
            | Q(institution__icontains=term)
        )
    return rows


@organiser_page(Capability.MANAGE_REGISTRATIONS)
def invitation_list(request, event):
    """Invitations by status, searchable, with ticks for reminders and the like."""
    form = InvitationFilterForm(request.GET)
    found = find_invitations(event, request.GET).select_related(
        "registration_type", "substitute_for"
    )
    page = Paginator(found.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = dict(
        Invitation.objects.filter(event=event)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    mine = EventOrganiser.objects.filter(event=event, user=request.user).first()
    context = layout(
        request,
        event,
        crumbs=[(_("Invitations"), None)],
        form=form,
        page=page,
        query=urlencode(
            {k: request.GET[k] for k in INVITATION_FILTERS if request.GET.get(k)}
        ),
        counts=[
            (label, counts.get(value, 0)) for value, label in Invitation.Status.choices
        ],
        bulk_form=BulkChoiceForm(None, kinds=INVITATION_KINDS),
        news_form=InvitationNewsForm(initial={"invitation_news": mine.invitation_news})
        if mine
        else None,
    )
    return render(request, "organise/invitation_list.html", context)


@organiser_page(Capability.MANAGE_REGISTRATIONS)
def invite_people(request, event):
    """Invite one person, or a pasted list or CSV file of people, all or nothing."""
    data = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if data else None
    options = InviteOptionsForm(data, event=event)
    default_type = (
        options.cleaned_data["registration_type"]
        if (data and options.is_valid())
        else None
    )
    one = InviteOneForm(data if which == "one" else None, prefix="one")
    many = InviteListForm(
        data if which == "many" else None,
        request.FILES if which == "many" else None,
        event=event,
        default_type=default_type,
        prefix="many",
    )
    refusals = []
    if default_type is not None and (one if which == "one" else many).is_valid():
        try:
            sent = _send(request, event, which, one, many, options.cleaned_data)
        except InvitationError as refused:
            refusals = [str(refused), *refused.errors]
        else:
            messages.success(
                request, _("Sent %(count)d invitations.") % {"count": sent}
            )
            return redirect(invitations_url(event))
    context = layout(
        request,
        event,
        crumbs=[(_("Invitations"), invitations_url(event)), (_("Invite people"), None)],
        options=options, one=one, many=many, which=which, refusals=refusals,
        has_types=event.registration_types.exists(),
    )  # fmt: skip
    status = 400 if data else 200
    return render(request, "organise/invitation_new.html", context, status=status)


def _send(request, event, which, one, many, options: dict) -> int:
    common = {
        "event": event,
        "rsvp_deadline": options["rsvp_deadline"],
        "reserves_seat": options["reserves_seat"],
        "message": options["message"],
        "language": options["language"],
        "actor": request.user,
    }
    if which == "one":
        invite(
            registration_type=options["registration_type"],
            name=one.cleaned_data["name"],
            email=one.cleaned_data["email"],
            institution=one.cleaned_data["institution"],
            **common,
        )
        return 1
    return len(invite_many(rows=many.rows, **common))


@organiser_page(Capability.MANAGE_REGISTRATIONS)
def invitation_news(request, event):
    """The signed-in organiser's own choice: an email per answer, daily, or none."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    organiser = EventOrganiser.objects.filter(event=event, user=request.user).first()
    form = InvitationNewsForm(request.POST)
    if organiser is None or not form.is_valid():
        messages.error(request, _("Choose how you want to hear of answers."))
    else:
        set_invitation_news(
            organiser=organiser, choice=form.cleaned_data["invitation_news"]
        )
        messages.success(request, _("Your choice is saved."))
    return redirect(invitations_url(event))
