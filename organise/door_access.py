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
from django.http import Http404, HttpRequest, JsonResponse
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


def paired_device(
    request: HttpRequest, slug: str, *, with_event: bool = True
) -> CheckInDevice | None:
    """The device this browser is paired as at this event, if it still may be."""
    paired = request.session.get(SESSION_KEY)
    if not isinstance(paired, dict):
        return None
    rows = CheckInDevice.objects.filter(
        pk=paired.get("id"),
        token=str(paired.get("token")),
        revoked_at__isnull=True,
        checkin_list__event__slug=slug,
    )
    related = "checkin_list__event" if with_event else "checkin_list"
    return rows.select_related(related).first()


def door_page(view: Callable | None = None, *, json: bool = False):
    """Wrap `view(request, event, checkin_list, ...)` at `<slug:event>/check-in/`
    (the main list) or `.../<int:list_id>/...`.

    A view that answers the page's script (`json=True`: the scans and the
    roster, asked for on every scan) reads nothing of the event but its id
    (`checkin_list.event_id`) and is given `event=None`, which spares every
    scan reading the event's row, the widest of all. To a phone whose pairing
    has ended it answers 403 with `"revoked": true`, on which the page forgets
    its roster and queue."""
    if view is None:
        return lambda view: door_page(view, json=json)
    needs_event = not json

    @wraps(view)
    def wrapped(request: HttpRequest, event: str, list_id=None, **kwargs):
        request.checkin_device = None
        device = paired_device(request, event, with_event=needs_event)
        if device is None and json and _pairing_ended(request):
            return JsonResponse(
                {"error": _("This phone's access has ended."), "revoked": True},
                status=403,
            )
        if device is not None:
            checkin_list = device.checkin_list
            if list_id is not None and int(list_id) != checkin_list.pk:
                raise Http404(_("This phone is paired to another list."))
            if list_id is None and not checkin_list.is_main:
                raise Http404(_("This phone is paired to another list."))
            request.checkin_device = device
            found = checkin_list.event if needs_event else None
            request.organiser_event = found
            return view(request, found, checkin_list, **kwargs)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        checkin_list = _list_of(event, list_id, with_event=needs_event)
        found = None if checkin_list else _event(event)
        event_id = checkin_list.event_id if checkin_list else getattr(found, "pk", 0)
        role = access.role_for(request, event_id) if event_id else None
        if role is None:
            raise Http404(_("No such event."))
        access.require(request, Capability.CHECK_IN, [event_id])
        if checkin_list is None:
            if list_id is not None:
                raise Http404(_("No such list."))
            checkin_list = door.main_list(found)
        found = checkin_list.event if needs_event else None
        request.organiser_event, request.organiser_role = found, role
        return view(request, found, checkin_list, **kwargs)

    return wrapped


def _pairing_ended(request: HttpRequest) -> bool:
    """Was this browser paired as a phone that has since been revoked or given
    a new link? (A phone still paired, at another event, was not.)"""
    paired = request.session.get(SESSION_KEY)
    if not isinstance(paired, dict):
        return False
    return not CheckInDevice.objects.filter(
        pk=paired.get("id"), token=str(paired.get("token")), revoked_at__isnull=True
    ).exists()


def _list_of(slug: str, list_id, *, with_event: bool) -> CheckInList | None:
    """The list (the main list when no id is given), with its event if asked."""
    rows = CheckInList.objects.for_door(with_event=with_event).filter(event__slug=slug)
    try:  # get(): one row, and no ORDER BY to build
        if list_id is None:
            return rows.get(is_main=True)
        return rows.get(pk=int(list_id))
    except CheckInList.DoesNotExist:
        return None


def _event(slug: str) -> Event | None:
    return Event.objects.filter(slug=slug).first()


def is_device(request: HttpRequest) -> bool:
    return getattr(request, "checkin_device", None) is not None
