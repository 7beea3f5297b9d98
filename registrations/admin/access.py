"""Who may do what with which event's registrations, for the organiser tools.

Built on events.admin_access (the same EventOrganiser roles as the schedule
admin). An organiser sees only the events they organise; anything of another event
answers 404, as if it did not exist. Within their own events the role decides:
owners and editors manage everything; check-in staff check people in and see
lists, but never health data (dietary, accessibility answers), and never approve,
decline, invite or register anyone. Superusers act as owners everywhere.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from events.admin import access
from events.models import Event

Role = access.Role
MANAGE_ROLES = access.EDIT_ROLES
ALL_ROLES = access.ALL_ROLES

event_ids = access.event_ids
has_any = access.has_any
may = access.may
scope = access.scope


def role_for(request, event_id: int) -> str | None:
    """The user's role in the event (superusers: owner), or None."""
    if request.user.is_superuser and request.user.is_active and request.user.is_staff:
        return Role.OWNER
    return next((role for role in Role if may(request, event_id, {role})), None)


def get_event_or_404(request, event_id, roles=ALL_ROLES) -> tuple[Event, str]:
    """The event and the user's role in it.

    404 when the user does not organise it at all; 403 when they do but their
    role does not allow this.
    """
    role = role_for(request, int(event_id))
    if role is None:
        raise Http404(_("No such event."))
    try:
        event = Event.objects.select_related("venue").get(pk=event_id)
    except Event.DoesNotExist:
        raise Http404(_("No such event.")) from None
    if role not in roles:
        raise PermissionDenied(_("Your role for this event does not allow this."))
    return event, role


def can_see_sensitive(role: str | None) -> bool:
    return role in MANAGE_ROLES
