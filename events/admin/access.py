"""Who may see and edit which schedule rows in the admin.

Organisers need no Django model permissions: their `EventOrganiser` role decides.
Owners and editors edit their events' schedules; check-in staff only read them
(they work on registrations). Superusers act everywhere. Rows of other events do
not exist for an organiser: opening one by URL answers 404, exactly like an id
that was never used.

Venues and rooms belong to the campus, not to one event. An organiser sees the
venues their events use (as the event's venue or through a session's room) and
venues no event uses yet (new ones, their own included), with those venues'
rooms. They may change a venue or room only while no other organiser's event
uses it, because the change would alter that event's schedule.
"""

from django.db.models import Q

from ..models import Event, EventOrganiser, Room, Session, Venue

Role = EventOrganiser.Role
EDIT_ROLES = frozenset({Role.OWNER, Role.EDITOR})
ALL_ROLES = frozenset({Role.OWNER, Role.EDITOR, Role.CHECKIN})


def _roles(request) -> dict[int, str]:
    cached = getattr(request, "_kokous_event_roles", None)
    if cached is None:
        cached = dict(
            EventOrganiser.objects.filter(user=request.user).values_list(
                "event_id", "role"
            )
        )
        request._kokous_event_roles = cached
    return cached


def event_ids(request, roles=ALL_ROLES) -> set[int] | None:
    """Ids of the events where the user has one of `roles`; None: every event."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return set()
    if user.is_superuser:
        return None
    return {pk for pk, role in _roles(request).items() if role in roles}


def has_any(request, roles=ALL_ROLES) -> bool:
    ids = event_ids(request, roles)
    return ids is None or bool(ids)


def may(request, event_id, roles=ALL_ROLES) -> bool:
    ids = event_ids(request, roles)
    return ids is None or event_id in ids


def scope(queryset, request, roles=ALL_ROLES, field="event_id"):
    ids = event_ids(request, roles)
    return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})


def _venues_used_by(events) -> Q:
    return Q(pk__in=events.filter(venue__isnull=False).values("venue_id")) | Q(
        pk__in=Room.objects.filter(sessions__event__in=events).values("venue_id")
    )


def visible_venues(request):
    ids = event_ids(request)
    if ids is None:
        return Venue.objects.all()
    used_by_anyone = _venues_used_by(Event.objects.all())
    return Venue.objects.filter(
        _venues_used_by(Event.objects.filter(pk__in=ids)) | ~used_by_anyone
    )


def visible_rooms(request):
    return Room.objects.filter(venue__in=visible_venues(request))


def _others(request):
    return Event.objects.exclude(pk__in=event_ids(request, EDIT_ROLES))


def may_change_venue(request, venue: Venue) -> bool:
    if request.user.is_superuser:
        return True
    if not (
        has_any(request, EDIT_ROLES)
        and visible_venues(request).filter(pk=venue.pk).exists()
    ):
        return False
    return not Venue.objects.filter(
        _venues_used_by(_others(request)), pk=venue.pk
    ).exists()


def may_change_room(request, room: Room) -> bool:
    if request.user.is_superuser:
        return True
    if not (
        has_any(request, EDIT_ROLES)
        and visible_rooms(request).filter(pk=room.pk).exists()
    ):
        return False
    return not Session.objects.filter(room=room, event__in=_others(request)).exists()
