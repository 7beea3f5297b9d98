"""Copying an event to a new date: last year's settings and tracks, dates moved.

The copy is a draft with its own address. Every time of the event (its days,
registration window, change deadline) moves by the same number of days and the
same clock shift as the start, on the event's own clocks: 09:00 last May stays
09:00 this May across a change to or from summer time. Sessions, speakers and
registrations are not copied; the venue is, and with it its rooms.
Registration types and questions belong to registrations, which copies them
with `moved` (registrations.services.setup).
"""

from datetime import datetime

from django.db import models, transaction
from modeltranslation.utils import get_translation_fields

from accounts.models import User

from ..models import Event, Track
from .event import EVENT_FIELDS, create_event

# Fields of the copy that are never the source's: the title is given anew.
NOT_COPIED = {"slug", "title", "status", *get_translation_fields("title")}
TRACK_NAMES = ["name", *get_translation_fields("name")]


def moved(value: datetime | None, *, source: Event, copy: Event) -> datetime | None:
    """`value`, a time of `source`, at the same point of `copy` on its clocks."""
    if value is None:
        return None
    shift = _wall_clock(copy.starts_at, copy) - _wall_clock(source.starts_at, source)
    return (_wall_clock(value, source) + shift).replace(tzinfo=copy.tzinfo)


def _wall_clock(value: datetime, event: Event) -> datetime:
    return value.astimezone(event.tzinfo).replace(tzinfo=None)


def _datetime_fields() -> set[str]:
    return {
        name
        for name in EVENT_FIELDS
        if isinstance(Event._meta.get_field(name), models.DateTimeField)
    }


def copy_event(
    *,
    source: Event,
    starts_at: datetime,
    slug: str,
    title: str,
    actor: User | None = None,
) -> Event:
    """A draft copy of `source` starting at `starts_at`, with `actor` as its owner.

    Copies the settings (everything but the address, title and status), the venue
    and the tracks; moves every time as the start moves. Field errors (an address
    in use, say) raise ValidationError.
    """
    dated = _datetime_fields()
    fields = {name: getattr(source, name) for name in EVENT_FIELDS - NOT_COPIED - dated}
    # Moved on the copy's clocks: the same zone as the source's.
    target = Event(starts_at=starts_at, timezone=source.timezone)
    for name in dated:
        fields[name] = moved(getattr(source, name), source=source, copy=target)
    with transaction.atomic():
        event = create_event(
            actor=actor, slug=slug, title=title, status=Event.Status.DRAFT, **fields
        )
        Track.objects.bulk_create(
            Track(
                event=event,
                slug=track.slug,
                colour=track.colour,
                **{name: getattr(track, name) for name in TRACK_NAMES},
            )
            for track in source.tracks.all()
        )
    return event
