"""The event's team: who organises it in which role; inviting a colleague by
email address, changing a role, taking someone off the team. Owners only
(Capability.MANAGE_ROLES); an event always keeps an owner (events.services)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from events import services as schedule
from events.access import Capability
from events.models import EventOrganiser
from notifications.services.rendering import absolute
from notifications.services.team import invite_organiser

from ..forms.team import InviteForm, RoleForm
from ..pages import organiser_page, page


def _team_url(event) -> str:
    return reverse("organise:team", args=[event.slug])


def _invite(request, event, form) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        organiser = invite_organiser(
            event=event,
            email=data["email"],
            name=data["name"],
            role=data["role"],
            link=absolute(reverse("organise:home", args=[event.slug])),
            actor=request.user,
        )
    except schedule.RoleError as refused:
        form.add_error("email", str(refused))
        return False
    messages.success(
        request,
        _("%(person)s is now in the team as %(role)s; we have emailed them a link.")
        % {"person": organiser.user.email, "role": organiser.get_role_display()},
    )
    return True


@organiser_page(Capability.MANAGE_ROLES)
def team(request, event):
    """The team, and the form that invites a colleague."""
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and _invite(request, event, form):
        return redirect(_team_url(event))
    organisers = (
        EventOrganiser.objects.filter(event=event)
        .select_related("user")
        .order_by("role", "user__name", "user__email")
    )
    return page(
        request,
        event,
        "organise/team.html",
        crumbs=[(_("Team"), None)],
        rows=[
            (o, RoleForm(initial={"role": o.role}, prefix=f"o{o.pk}"))
            for o in organisers
        ],
        form=form,
    )


def _member_or_404(event, organiser_id) -> EventOrganiser:
    return get_object_or_404(
        EventOrganiser.objects.select_related("user"), event=event, pk=organiser_id
    )


@organiser_page(Capability.MANAGE_ROLES)
def change_role(request, event, organiser_id):
    """Change one organiser's role (the team page posts here; so does this form)."""
    organiser = _member_or_404(event, organiser_id)
    prefix = f"o{organiser.pk}" if f"o{organiser.pk}-role" in request.POST else None
    form = RoleForm(
        request.POST if request.method == "POST" else None,
        initial={"role": organiser.role},
        prefix=prefix,
    )
    if request.method == "POST" and form.is_valid():
        try:
            schedule.change_role(
                organiser=organiser, role=form.cleaned_data["role"], actor=request.user
            )
        except schedule.RoleError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("%(person)s is now %(role)s.")
                % {"person": organiser.user, "role": organiser.get_role_display()},
            )
        return redirect(_team_url(event))
    return page(
        request,
        event,
        "organise/form_page.html",
        crumbs=[(_("Team"), _team_url(event)), (str(organiser.user), None)],
        heading=_("Role of %(person)s") % {"person": organiser.user},
        form=form,
        submit_label=_("Change the role"),
        cancel_url=_team_url(event),
    )


@organiser_page(Capability.MANAGE_ROLES)
def remove(request, event, organiser_id):
    """Take someone off the team (asked first); never the last owner."""
    organiser = _member_or_404(event, organiser_id)
    if request.method == "POST":
        try:
            schedule.remove_organiser(organiser=organiser, actor=request.user)
        except schedule.RoleError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("%(person)s is no longer in the team.") % {"person": organiser.user},
            )
            if organiser.user_id == request.user.pk:
                return redirect("organise:index")  # their own role is gone
        return redirect(_team_url(event))
    return page(
        request,
        event,
        "organise/confirm.html",
        crumbs=[(_("Team"), _team_url(event)), (str(organiser.user), None)],
        heading=_("Take %(person)s off the team?") % {"person": organiser.user},
        explanation=_("They will no longer reach this event's organiser pages."),
        button=_("Take off the team"),
        danger=True,
        cancel_url=_team_url(event),
    )
