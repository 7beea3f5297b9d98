"""Who may do what to which event: the one access policy.

Every organiser page and admin class asks this module, and nothing else decides.
A person's power over an event comes from their `EventOrganiser` role in it:

- owners may do everything with their event: name its organisers and change
  its settings (dates, place, registration rules, types, questions, privacy);
- editors change the programme, registrations and messages, but neither name
  organisers, change the event's settings nor create new events;
- check-in staff check people in and read what the door needs: the event, its
  schedule, the lists of who comes, never health answers and never messages,
  whose bodies hold attendees' personal manage links;
- superusers may do everything everywhere, and alone delete (draft) events.

Django's model permissions and `is_staff` play no part here. The admin site is
for superusers alone (`may_use_admin`): organisers work in the organiser area.
Rows of events a person has no role in do not exist for them: pages answer 404,
exactly like an id never used. Within an event they organise, a role that does
not allow the action answers 403.

Venues and rooms belong to the campus, not to one event. An organiser sees the
venues their events use (as the event's venue or through a session's room) and
venues no event uses yet (new ones, their own included), with those venues'
rooms. They may change a venue or room only while no event they may not edit
uses it, because the change would alter that event's schedule.
"""

from collections.abc import Iterable
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from .models import Event, EventOrganiser, Room, Session, Venue

Role = EventOrganiser.Role


class Capability(StrEnum):
    """What a person may do to one event."""

    VIEW_EVENT = "view_event"  # the event, its schedule, speakers and change log
    # The event's own fields, its tracks, sessions and speakers, venues and rooms.
    EDIT_PROGRAMME = "edit_programme"
    VIEW_REGISTRATIONS = "view_registrations"  # lists, counts, exports without health
    # Approve, decline, cancel, invite, register someone; types and questions.
    MANAGE_REGISTRATIONS = "manage_registrations"
    SEE_SENSITIVE_ANSWERS = "see_sensitive_answers"  # dietary, accessibility
    CHECK_IN = "check_in"
    VIEW_MESSAGES = "view_messages"  # the outbox (bodies included), broadcasts
    SEND_MESSAGES = "send_messages"  # broadcasts, retries, "notify now"
    MANAGE_ROLES = "manage_roles"  # name the event's organisers
    # The event's settings: dates, place, registration rules, types, questions,
    # privacy (the organiser area's settings pages).
    MANAGE_SETTINGS = "manage_settings"
    CREATE_EVENTS = "create_events"  # owning one event lets a person create more
    DELETE_EVENT = "delete_event"  # no role: superusers only


EVERYTHING = frozenset(Capability)
ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.OWNER: EVERYTHING - {Capability.DELETE_EVENT},
    Role.EDITOR: EVERYTHING
    - {
        Capability.MANAGE_ROLES,
        Capability.MANAGE_SETTINGS,
        Capability.CREATE_EVENTS,
        Capability.DELETE_EVENT,
    },
    Role.CHECKIN: frozenset(
        {Capability.VIEW_EVENT, Capability.VIEW_REGISTRATIONS, Capability.CHECK_IN}
    ),
}


def _is_superuser(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.is_superuser


def may_use_admin(request: HttpRequest) -> bool:
    """The Django admin: superusers only (rare edits across every event)."""
    return _is_superuser(request)


def roles(request: HttpRequest) -> dict[int, str]:
    """The user's role in each event they organise, read once per request."""
    if not request.user.is_active:  # anonymous, or switched off
        return {}
    cached = getattr(request, "_kokous_event_roles", None)
    if cached is None:
        cached = dict(
            EventOrganiser.objects.filter(user=request.user).values_list(
                "event_id", "role"
            )
        )
        request._kokous_event_roles = cached
    return cached


def role_for(request: HttpRequest, event_id: int) -> str | None:
    """The user's role in the event (superusers: owner), or None."""
    if _is_superuser(request):
        return Role.OWNER
    return roles(request).get(int(event_id))


def event_ids(request: HttpRequest, capability: Capability) -> set[int] | None:
    """Ids of the events where the user may do `capability`; None: every event."""
    if _is_superuser(request):
        return None
    return {
        pk
        for pk, role in roles(request).items()
        if capability in ROLE_CAPABILITIES.get(role, ())
    }


def may(request: HttpRequest, capability: Capability, event_id: int) -> bool:
    """May the user do `capability` to the event with this id?"""
    ids = event_ids(request, capability)
    return ids is None or int(event_id) in ids


def user_may(user, capability: Capability, event_id: int) -> bool:
    """As `may`, for code that has a user but no request (one query each time)."""
    if not user.is_active:  # anonymous, or switched off
        return False
    if user.is_superuser:
        return True
    allowing = [role for role, can in ROLE_CAPABILITIES.items() if capability in can]
    return EventOrganiser.objects.filter(
        user=user, event_id=event_id, role__in=allowing
    ).exists()


def may_somewhere(request: HttpRequest, capability: Capability) -> bool:
    """May the user do `capability` to at least one event (lists, add pages)?"""
    ids = event_ids(request, capability)
    return ids is None or bool(ids)


def require(request: HttpRequest, capability: Capability, ids: Iterable[int]) -> None:
    """403 unless the user may do `capability` to every event with these ids."""
    if not all(may(request, capability, pk) for pk in ids):
        raise PermissionDenied(_("Your role for this event does not allow this."))


def scope(
    queryset: QuerySet,
    request: HttpRequest,
    capability: Capability,
    *,
    field: str = "event_id",
) -> QuerySet:
    """The rows of `queryset` whose event (at `field`) allows `capability`."""
    ids = event_ids(request, capability)
    return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})


def events(request: HttpRequest, capability: Capability) -> QuerySet:
    """The events where the user may do `capability`."""
    return scope(Event.objects.all(), request, capability, field="pk")


def get_event_or_404(
    request: HttpRequest, event: int | Event, capability: Capability
) -> tuple[Event, str]:
    """The event (by id, or as loaded already) and the user's role in it.

    404 when the user does not organise it at all (or it does not exist); 403
    when they do but their role does not allow `capability`.
    """
    event_id = event.pk if isinstance(event, Event) else event
    role = role_for(request, event_id)
    if role is None:
        raise Http404(_("No such event."))
    if not isinstance(event, Event):
        found = Event.objects.select_related("venue").filter(pk=event_id).first()
        if found is None:
            raise Http404(_("No such event."))
        event = found
    require(request, capability, [event.pk])
    return event, role


# --- venues and rooms: shared by events ------------------------------------------


def _venues_used_by(used_by: QuerySet) -> Q:
    return Q(pk__in=used_by.filter(venue__isnull=False).values("venue_id")) | Q(
        pk__in=Room.objects.filter(sessions__event__in=used_by).values("venue_id")
    )


def visible_venues(request: HttpRequest) -> QuerySet:
    ids = event_ids(request, Capability.VIEW_EVENT)
    if ids is None:
        return Venue.objects.all()
    used_by_anyone = _venues_used_by(Event.objects.all())
    return Venue.objects.filter(
        _venues_used_by(Event.objects.filter(pk__in=ids)) | ~used_by_anyone
    )


def visible_rooms(request: HttpRequest) -> QuerySet:
    return Room.objects.filter(venue__in=visible_venues(request))


def _not_editable(request: HttpRequest) -> QuerySet:
    return Event.objects.exclude(pk__in=event_ids(request, Capability.EDIT_PROGRAMME))


def may_change_venue(request: HttpRequest, venue: Venue) -> bool:
    if _is_superuser(request):
        return True
    if not (
        may_somewhere(request, Capability.EDIT_PROGRAMME)
        and visible_venues(request).filter(pk=venue.pk).exists()
    ):
        return False
    return not Venue.objects.filter(
        _venues_used_by(_not_editable(request)), pk=venue.pk
    ).exists()


def may_change_room(request: HttpRequest, room: Room) -> bool:
    if _is_superuser(request):
        return True
    if not (
        may_somewhere(request, Capability.EDIT_PROGRAMME)
        and visible_rooms(request).filter(pk=room.pk).exists()
    ):
        return False
    return not Session.objects.filter(
        room=room, event__in=_not_editable(request)
    ).exists()


def changeable_rooms(request: HttpRequest, rooms: Iterable[Room]) -> set[int]:
    """The ids of those `rooms` the user may change (as `may_change_room`, for a
    list in a fixed number of queries)."""
    ids = {room.pk for room in rooms}
    if _is_superuser(request):
        return ids
    if not may_somewhere(request, Capability.EDIT_PROGRAMME):
        return set()
    visible = set(
        visible_rooms(request).filter(pk__in=ids).values_list("pk", flat=True)
    )
    locked = set(
        Session.objects.filter(
            room_id__in=visible, event__in=_not_editable(request)
        ).values_list("room_id", flat=True)
    )
    return visible - locked


def changeable_venues(request: HttpRequest, venues: Iterable[Venue]) -> set[int]:
    """The ids of those `venues` the user may change (as `may_change_venue`)."""
    ids = {venue.pk for venue in venues}
    if _is_superuser(request):
        return ids
    if not may_somewhere(request, Capability.EDIT_PROGRAMME):
        return set()
    visible = set(
        visible_venues(request).filter(pk__in=ids).values_list("pk", flat=True)
    )
    locked = set(
        Venue.objects.filter(
            _venues_used_by(_not_editable(request)), pk__in=visible
        ).values_list("pk", flat=True)
    )
    return visible - locked
