"""Writes to the things sessions show: rooms, venues, tracks, speakers.

Each change re-validates the schedules that show the thing (their version moves)
and touches the `changed_at` of the sessions whose calendar entries show it.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Event, Room, Session, Speaker, Track, Venue
from .common import bump_schedule_version


def _save_and_bump(obj, affected_event_ids, fields: dict) -> None:
    """Save a thing sessions show; the schedules and entries that show it change."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    with transaction.atomic():
        now = timezone.now()
        obj.save()
        _touch(obj, affected_event_ids(obj), now)


def _touch(obj, event_ids, now) -> None:
    ids = list(event_ids)
    bump_schedule_version(*ids, now=now)
    # Entries that show this thing changed: their DTSTAMP/LAST-MODIFIED follow.
    Session.objects.filter(event_id__in=ids).filter(_session_filter(obj)).update(
        changed_at=now
    )


def _session_filter(obj) -> Q:
    if isinstance(obj, Room):
        return Q(room=obj)
    if isinstance(obj, Venue):
        return Q(event__venue=obj) | Q(room__venue=obj)
    if isinstance(obj, Track):
        return Q(track=obj)
    if isinstance(obj, Speaker):
        return Q(pk__in=obj.sessions.values("pk"))
    raise TypeError(obj)


def _events_of_room(room: Room):
    return Session.objects.filter(room=room).values_list("event_id", flat=True)


def _events_of_venue(venue: Venue):
    return set(Event.objects.filter(venue=venue).values_list("pk", flat=True)) | set(
        Session.objects.filter(room__venue=venue).values_list("event_id", flat=True)
    )


def save_room(*, room: Room, **fields) -> Room:
    """Create or change a room; schedules that show it re-validate."""
    _save_and_bump(room, _events_of_room, fields)
    return room


def save_venue(*, venue: Venue, **fields) -> Venue:
    """Create or change a venue; events held there or in its rooms re-validate."""
    _save_and_bump(venue, _events_of_venue, fields)
    return venue


def save_track(*, track: Track, **fields) -> Track:
    _save_and_bump(track, lambda t: [t.event_id], fields)
    return track


def save_speaker(*, speaker: Speaker, **fields) -> Speaker:
    _save_and_bump(speaker, lambda s: [s.event_id], fields)
    return speaker


def delete_track(*, track: Track) -> None:
    """Delete a track; its sessions stay, without a track."""
    with transaction.atomic():
        _touch(track, [track.event_id], timezone.now())
        track.delete()


def delete_speaker(*, speaker: Speaker) -> None:
    """Delete a speaker; their sessions stay, without them."""
    with transaction.atomic():
        _touch(speaker, [speaker.event_id], timezone.now())
        speaker.delete()
