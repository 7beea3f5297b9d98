"""Who may do what with which event's registrations, for the organiser tools.

An organiser sees only the events they organise (`EventOrganiser`); anything of
another event answers 404, as if it did not exist. Within their own events the role
decides: owners and editors manage everything, check-in staff check people in and
see lists, but never health data (dietary, accessibility answers) nor approve.
Superusers act as owners everywhere.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from events.models import Event, EventOrganiser

Role = EventOrganiser.Role
MANAGE_ROLES = frozenset({Role.OWNER, Role.EDITOR})
ALL_ROLES = frozenset({Role.OWNER, Role.EDITOR, Role.CHECKIN})


def roles_by_event(user) -> dict[int, str]:
    """{event id: role} for a non-superuser; memoised on the user for one request."""
    cached = getattr(user, "_kokous_roles", None)
    if cached is None:
        cached = dict(
            EventOrganiser.objects.filter(user=user).values_list("event_id", "role")
        )
        user._kokous_roles = cached
    return cached


def role_for(user, event_id: int) -> str | None:
    if not user.is_active or not user.is_staff:
        return None
    if user.is_superuser:
        return Role.OWNER
    return roles_by_event(user).get(event_id)


def event_ids(user, roles=ALL_ROLES):
    """The ids of events where `user` has one of `roles`; None means every event."""
    if user.is_superuser:
        return None
    return {eid for eid, role in roles_by_event(user).items() if role in roles}


def is_organiser(user, roles=ALL_ROLES) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or bool(event_ids(user, roles))


def limit_to_events(queryset, user, roles=ALL_ROLES, field="event_id"):
    ids = event_ids(user, roles)
    return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})


def get_event_or_404(user, event_id, roles=ALL_ROLES) -> tuple[Event, str]:
    """The event and the user's role in it.

    404 when the user does not organise it at all; 403 when they do but their
    role does not allow this.
    """
    role = role_for(user, int(event_id))
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
