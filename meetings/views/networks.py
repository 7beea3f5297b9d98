"""My networks: the networks I belong to, their meetings, my answer, and
asking to join a network that takes requests. Open to the event's confirmed
participants whether or not one-to-one meetings are on."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from events.models import Event

from ..models import Network, NetworkMember
from ..selectors import participant
from ..selectors_networks import joinable, my_networks
from ..services import MeetingError
from ..services.network_members import reply, request_to_join


def _visit(request, slug):
    """(event, confirmed registration or None); 404 for an unpublished event."""
    event = get_object_or_404(Event.objects.published(), slug=slug)
    return event, participant(request.user, event)


def _refuse(request, event):
    return render(
        request, "meetings/not_participant.html", {"event": event}, status=403
    )


@login_required
@require_safe
def networks(request, slug):
    event, registration = _visit(request, slug)
    if registration is None:
        return _refuse(request, event)
    context = {
        "event": event,
        "rows": my_networks(registration),
        "joinable": joinable(registration),
    }
    return render(request, "meetings/networks.html", context)


@login_required
@require_POST
def answer(request, slug, network_id):
    event, registration = _visit(request, slug)
    if registration is None:
        return _refuse(request, event)
    member = get_object_or_404(
        NetworkMember,
        network_id=network_id,
        network__event=event,
        registration=registration,
        status=NetworkMember.Status.MEMBER,
    )
    choice = request.POST.get("reply")
    if choice not in (NetworkMember.Reply.COMING, NetworkMember.Reply.NOT_COMING):
        messages.error(request, _("Choose whether you will come."))
        return redirect("meetings:networks", slug=slug)
    try:
        reply(
            member=member,
            coming=choice == NetworkMember.Reply.COMING,
            actor=request.user,
        )
        messages.success(request, _("Your answer is saved."))
    except MeetingError as error:
        messages.error(request, str(error))
    return redirect("meetings:networks", slug=slug)


@login_required
@require_POST
def join(request, slug, network_id):
    event, registration = _visit(request, slug)
    if registration is None:
        return _refuse(request, event)
    network = get_object_or_404(
        Network.objects.exclude(join_policy=Network.JoinPolicy.CLOSED),
        pk=network_id,
        event=event,
    )
    try:
        member = request_to_join(
            network=network, registration=registration, actor=request.user
        )
    except MeetingError as error:
        messages.error(request, str(error))
    else:
        if member.is_member:
            messages.success(request, _("You are now a member."))
        else:
            messages.success(request, _("Asked; the organisers will answer."))
    return redirect("meetings:networks", slug=slug)
