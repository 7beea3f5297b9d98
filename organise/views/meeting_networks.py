"""Networks, for editors and owners: the list with expected numbers, a
network's meeting and answer, its members (by hand, from requests), and each
member's clashes. meetings.services saves; meetings.selectors_networks reads."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from events.access import Capability
from meetings.models import Network, NetworkMember
from meetings.selectors_networks import (
    member_rows,
    networks_with_numbers,
    numbers,
    requests,
)
from meetings.services import MeetingError
from meetings.services.network_members import (
    add_member,
    answer_join_request,
    remove_member,
)
from meetings.services.networks import (
    delete_network,
    save_network,
    set_network_cancelled,
)

from ..forms.fields import add_service_errors
from ..forms.networks import MemberForm, NetworkForm
from ..pages import organiser_page, page


def _crumbs(event, network=None, label=None):
    home = reverse("organise:meetings", args=[event.slug])
    listed = reverse("organise:meetings_networks", args=[event.slug])
    crumbs = [(_("Meetings"), home), (_("Networks"), listed)]
    if network is not None:
        url = reverse("organise:meetings_network", args=[event.slug, network.pk])
        crumbs.append((network.name, url))
    if label is None:
        crumbs[-1] = (crumbs[-1][0], None)
        return crumbs
    return [*crumbs, (label, None)]


@organiser_page(Capability.EDIT_PROGRAMME)
def networks(request, event):
    rows = networks_with_numbers(event)
    return page(
        request, event, "organise/meeting_networks.html", crumbs=_crumbs(event),
        networks=rows,
    )  # fmt: skip


@organiser_page(Capability.EDIT_PROGRAMME)
def network_edit(request, event, network_id=None):
    network = network_id and get_object_or_404(Network, pk=network_id, event=event)
    initial = NetworkForm.initial_from(network) if network else {}
    data = request.POST if request.method == "POST" else None
    form = NetworkForm(data, initial=initial, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_network(
                event=event, network=network or None, actor=request.user,
                **form.service_fields(),
            )  # fmt: skip
        except MeetingError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, _("Saved."))
            return redirect("organise:meetings_network", event.slug, saved.pk)
    heading = _("Edit the network") if network else _("New network")
    back = reverse("organise:meetings_networks", args=[event.slug])
    return page(
        request, event, "organise/form_page.html",
        crumbs=_crumbs(event, network or None, heading), heading=heading,
        form=form, submit_label=_("Save"), cancel_url=back,
    )  # fmt: skip


@organiser_page(Capability.EDIT_PROGRAMME)
def network(request, event, network_id):
    found = get_object_or_404(
        Network.objects.select_related("room", "session"), pk=network_id, event=event
    )
    rows = member_rows(found)
    return page(
        request, event, "organise/meeting_network.html",
        crumbs=_crumbs(event, found), network=found, rows=rows,
        numbers=numbers(found, [row.member for row in rows]),
        clash_count=sum(1 for row in rows if row.clashes),
        requests=requests(found), form=MemberForm(network=found),
    )  # fmt: skip


def _back(event, network_id):
    return redirect("organise:meetings_network", event.slug, network_id)


@organiser_page(Capability.EDIT_PROGRAMME)
@require_POST
def member_add(request, event, network_id):
    found = get_object_or_404(Network, pk=network_id, event=event)
    form = MemberForm(request.POST, network=found)
    if not form.is_valid():
        messages.error(request, _("Choose a confirmed participant of this event."))
        return _back(event, network_id)
    try:
        added = add_member(
            network=found,
            registration=form.cleaned_data["registration"],
            actor=request.user,
        )
        messages.success(
            request, _("%(name)s added.") % {"name": added.registration.attendee}
        )
    except MeetingError as error:
        messages.error(request, str(error))
    return _back(event, network_id)


def _member(event, network_id, member_id) -> NetworkMember:
    return get_object_or_404(
        NetworkMember.objects.select_related("registration__attendee"),
        pk=member_id,
        network_id=network_id,
        network__event=event,
    )


@organiser_page(Capability.EDIT_PROGRAMME)
@require_POST
def member_remove(request, event, network_id, member_id):
    member = _member(event, network_id, member_id)
    remove_member(member=member, actor=request.user)
    messages.success(
        request, _("%(name)s removed.") % {"name": member.registration.attendee}
    )
    return _back(event, network_id)


@organiser_page(Capability.EDIT_PROGRAMME)
@require_POST
def join_request(request, event, network_id, member_id):
    member = _member(event, network_id, member_id)
    approve = request.POST.get("action") == "approve"
    try:
        answer_join_request(member=member, approve=approve, actor=request.user)
        messages.success(request, _("Approved.") if approve else _("Declined."))
    except MeetingError as error:
        messages.error(request, str(error))
    return _back(event, network_id)


@organiser_page(Capability.EDIT_PROGRAMME)
@require_http_methods(["GET", "POST"])
def network_cancel(request, event, network_id):
    """Cancel a network's own meeting: a confirmation page, then the POST."""
    found = get_object_or_404(Network, pk=network_id, event=event)
    if request.method == "POST":
        return _set_cancelled(request, event, found, cancelled=True)
    heading = _("Cancel the meeting of “%(name)s”?") % {"name": found.name}
    return page(
        request, event, "organise/confirm.html",
        crumbs=_crumbs(event, found, _("Cancel the meeting")), heading=heading,
        explanation=_(
            "The members who are coming or have not answered are told by email, "
            "and the meeting is cancelled in every member's calendar. You can "
            "restore it later."
        ),
        button=_("Cancel the meeting"), danger=True,
        cancel_url=reverse("organise:meetings_network", args=[event.slug, found.pk]),
    )  # fmt: skip


@organiser_page(Capability.EDIT_PROGRAMME)
@require_POST
def network_restore(request, event, network_id):
    found = get_object_or_404(Network, pk=network_id, event=event)
    return _set_cancelled(request, event, found, cancelled=False)


def _set_cancelled(request, event, network, *, cancelled: bool):
    try:
        set_network_cancelled(network=network, cancelled=cancelled, actor=request.user)
    except MeetingError as error:
        messages.error(request, str(error))
    else:
        done = _("Meeting cancelled.") if cancelled else _("Meeting restored.")
        messages.success(request, done)
    return _back(event, network.pk)


@organiser_page(Capability.EDIT_PROGRAMME)
@require_http_methods(["GET", "POST"])
def network_delete(request, event, network_id):
    """Delete a network without members: a confirmation page, then the POST."""
    found = get_object_or_404(Network, pk=network_id, event=event)
    if request.method == "POST":
        try:
            delete_network(network=found, actor=request.user)
        except MeetingError as error:
            messages.error(request, str(error))
            return _back(event, found.pk)
        messages.success(request, _("Deleted “%(name)s”.") % {"name": found.name})
        return redirect("organise:meetings_networks", event.slug)
    return page(
        request, event, "organise/confirm.html",
        crumbs=_crumbs(event, found, _("Delete")),
        heading=_("Delete “%(name)s”?") % {"name": found.name},
        explanation=_("Only a network that has never had members can be deleted."),
        button=_("Delete"), danger=True,
        cancel_url=reverse("organise:meetings_network", args=[event.slug, found.pk]),
    )  # fmt: skip
