"""Who reaches a check-in list's pages: the event's organisers whose role allows
check-in, and a phone paired to that one list.

A paired phone has no account: its browser session holds the device's id and
the pairing link's secret. Every request reads the device again, so revoking it
(or making a new link) ends its access at its next request. A paired session
reaches only its own list; anything else asks it to sign in like anyone else.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from events import access
from events.access import Capability
from events.models import Event
from registrations.models import CheckInDevice, CheckInList
from registrations.services import door

SESSION_KEY = "checkin_device"


def remember_device(request: HttpRequest, device: CheckInDevice) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"id": device.pk, "token": device.token}


def paired_device(request: HttpRequest) -> CheckInDevice | None:
    """The device this browser is paired as, if it still may be."""
    paired = request.session.get(SESSION_KEY)
    if not isinstance(paired, dict):
        return None
    return (
        CheckInDevice.objects.select_related("checkin_list__event")
        .filter(
            pk=paired.get("id"), token=str(paired.get("token")), revoked_at__isnull=True
        )
        .first()
    )


def door_page(view: Callable) -> Callable:
    """Wrap `view(request, event, checkin_list, ...)` at `<slug:event>/check-in/`
    (the main list) or `.../<int:list_id>/...`."""

    @wraps(view)
    def wrapped(request: HttpRequest, event: str, list_id=None, **kwargs):
        device = paired_device(request)
        request.checkin_device = None
        if device is not None and device.checkin_list.event.slug == event:
            checkin_list = device.checkin_list
            if list_id is not None and int(list_id) != checkin_list.pk:
                raise Http404(_("This phone is paired to another list."))
            if list_id is None and not checkin_list.is_main:
                raise Http404(_("This phone is paired to another list."))
            request.checkin_device = device
            request.organiser_event = checkin_list.event
            return view(request, checkin_list.event, checkin_list, **kwargs)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        found = Event.objects.select_related("venue").filter(slug=event).first()
        role = access.role_for(request, found.pk) if found else None
        if role is None:
            raise Http404(_("No such event."))
        access.require(request, Capability.CHECK_IN, [found.pk])
        request.organiser_event, request.organiser_role = found, role
        if list_id is None:
            checkin_list = door.main_list(found)
        else:
            checkin_list = get_object_or_404(CheckInList, pk=list_id, event=found)
        return view(request, found, checkin_list, **kwargs)

    return wrapped


def is_device(request: HttpRequest) -> bool:
    return getattr(request, "checkin_device", None) is not None
