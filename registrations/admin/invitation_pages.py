"""The organiser's invite page, hosted in the admin: one person, or a pasted list
or CSV file of people, all or nothing."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from events.access import Capability, get_event_or_404

from ..models import Invitation
from ..services.invitations import InvitationError, invite, invite_many
from .forms import InviteListForm, InviteOneForm, InviteOptionsForm


def organiser_invite(request, event_id, *, model_admin):
    """Invite one person, or a pasted list or CSV file of people, all or nothing."""
    event, _role = get_event_or_404(request, event_id, Capability.MANAGE_REGISTRATIONS)
    data = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if data else None
    # The options appear in both forms: distinct ids keep the labels right.
    options_one = InviteOptionsForm(
        data if which == "one" else None, event=event, auto_id="id_one_%s"
    )
    options_many = InviteOptionsForm(
        data if which == "many" else None, event=event, auto_id="id_many_%s"
    )
    options = options_one if which == "one" else options_many
    one = InviteOneForm(data if which == "one" else None, prefix="one")
    default_type = None
    if data and options.is_valid():
        default_type = options.cleaned_data["registration_type"]
    many = InviteListForm(
        data if which == "many" else None,
        request.FILES if which == "many" else None,
        event=event,
        default_type=default_type,
        prefix="many",
    )
    list_errors = []
    if data and options.is_valid():
        common = {
            "event": event,
            "rsvp_deadline": options.cleaned_data["rsvp_deadline"],
            "reserves_seat": options.cleaned_data["reserves_seat"],
            "actor": request.user,
        }
        try:
            if which == "one" and one.is_valid():
                invite(
                    registration_type=default_type,
                    name=one.cleaned_data["name"],
                    email=one.cleaned_data["email"],
                    institution=one.cleaned_data["institution"],
                    **common,
                )
                messages.success(request, _("Invitation sent."))
                return redirect(_invitations_url(event))
            if which == "many" and many.is_valid():
                sent = invite_many(rows=many.rows, **common)
                messages.success(
                    request,
                    _("Sent %(count)d invitations.") % {"count": len(sent)},
                )
                return redirect(_invitations_url(event))
        except InvitationError as refused:
            list_errors = [str(refused), *refused.errors]
    counts = dict(
        Invitation.objects.filter(event=event)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Invite people: %(event)s") % {"event": event.title},
        "event": event,
        "options_one": options_one,
        "options_many": options_many,
        "one": one,
        "many": many,
        "list_errors": list_errors,
        "counts": [
            (label, counts.get(value, 0)) for value, label in Invitation.Status.choices
        ],
        "reserved": Invitation.objects.filter(
            Q(status__in=Invitation.OPEN_STATUSES), event=event, reserves_seat=True
        ).count(),
        "has_types": event.registration_types.exists(),
    }
    status = 400 if data else 200
    return TemplateResponse(
        request, "admin/registrations/invite.html", context, status=status
    )


def _invitations_url(event) -> str:
    return reverse("admin:registrations_invitation_changelist") + f"?event={event.pk}"
