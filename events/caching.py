"""What calendar feeds are cached under, shared by the public and personal feeds.

Two cache levels keep polling cheap:
- a whole feed's bytes under its version (the ETag: `digest` of what the feed
  holds), so repeated polls of an unchanged schedule cost one small query and
  one cache read (`events.http.respond`);
- each entry's serialised VEVENT under a key made of everything the entry shows
  (a `SessionRow` or `EventRow`), so the first request after a change
  re-serialises only the changed entries and splices the rest from the cache.
  events.services touches Session.changed_at when a room, venue, track or
  speaker the session shows changes, and Event.changed_at on every event edit.

Entries missing from the cache are read from the database (`FeedEntry`, one row
per entry and language with the key it was built under) before anything is
built, so a flushed or lost cache costs one query, not a rebuild of every entry;
only entries whose stored key is stale are built and written back.
"""

import hashlib
import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple, Self
from uuid import UUID

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from . import ical
from .models import Event, FeedEntry, Session, Speaker

logger = logging.getLogger(__name__)

FEED_TIMEOUT = 24 * 3600
ENTRY_TIMEOUT = 14 * 24 * 3600


def digest(*parts) -> str:
    """A short stable hash of `parts` and everything else feed bytes depend on."""
    context = (
        ical.FORMAT_VERSION,
        get_language(),
        settings.SITE_URL,
        settings.CALENDAR_UID_DOMAIN,
    )
    return hashlib.sha256(repr((context, parts)).encode()).hexdigest()[:32]


class SessionRow(NamedTuple):
    """What a session entry shows comes from its row and its event's row: read in
    one narrow query, these fields are the entry's cache key and its place in the
    feed (a change of its room, venue, track or speakers touches changed_at)."""

    pk: int
    uuid: UUID
    changed_at: datetime
    sequence: int
    status: str
    starts_at: datetime
    ends_at: datetime
    event_changed_at: datetime
    event_status: str
    event_timezone: str
    event_ends_at: datetime

    OWNER = "session"  # FeedEntry's field for the durable copy

    @classmethod
    def read(cls, sessions: QuerySet[Session]) -> list[Self]:
        """The rows of `sessions`, in the queryset's order."""
        return list(map(cls._make, sessions.values_list(*_SESSION_LOOKUPS)))

    def entry_key(self) -> str:
        # The pk is left out: the uuid names the entry as well.
        return "ical:s:" + digest(self[1:])

    def is_cancelled(self) -> bool:
        return (
            self.status == Session.Status.CANCELLED
            or self.event_status == Event.Status.CANCELLED
        )

    def is_dropped(self, now: datetime) -> bool:
        """Cancelled, and its event is over: feeds no longer show it."""
        return self.is_cancelled() and self.event_ends_at <= now


class EventRow(NamedTuple):
    """What an event entry shows, as one narrow query reads it: its cache key and
    its place in the feed (its venue's edits bump the schedule version)."""

    pk: int
    uuid: UUID
    changed_at: datetime
    sequence: int
    status: str
    schedule_version: int
    schedule_changed_at: datetime
    timezone: str
    starts_at: datetime
    ends_at: datetime

    OWNER = "event"  # FeedEntry's field for the durable copy

    @classmethod
    def read(cls, events: QuerySet[Event]) -> list[Self]:
        """The rows of `events`, in the queryset's order."""
        return list(map(cls._make, events.values_list(*cls._fields)))

    def entry_key(self) -> str:
        # The pk is left out: the uuid names the entry as well.
        return "ical:e:" + digest(self[1:])

    def is_dropped(self, now: datetime) -> bool:
        """Cancelled and over: feeds no longer show it."""
        return self.status == Event.Status.CANCELLED and self.ends_at <= now


# SessionRow's fields as query lookups: event_status is the session's event's
# status, read through the foreign key.
_SESSION_LOOKUPS = tuple(re.sub(r"^event_", "event__", f) for f in SessionRow._fields)


def load_sessions(pks, *, event: Event | None = None) -> dict:
    """Sessions with all that ical.session_entry() shows, in a fixed number of
    queries.

    With `event` (loaded with its venue) the sessions share it instead of each
    loading its own copy.
    """
    speakers = Prefetch("speakers", queryset=Speaker.objects.order_by("name", "pk"))
    related = (
        ["room__venue", "track"] if event else ["event__venue", "room__venue", "track"]
    )
    sessions = (
        Session.objects.select_related(*related).prefetch_related(speakers).in_bulk(pks)
    )
    if event is not None:
        for session in sessions.values():
            session.event = event
    return sessions


def load_events(pks) -> dict:
    return Event.objects.select_related("venue").in_bulk(pks)


def cached_entries(
    rows: list[SessionRow] | list[EventRow],
    *,
    load: Callable[[list[int]], dict],
    build: Callable,
) -> list[bytes]:
    """Serialised entries for `rows`, in order: from the cache, else from their
    durable copies, else built.

    Misses are loaded with `load(pks)` (one batch) and built with `build(obj)`.
    """
    keys = [row.entry_key() for row in rows]
    found = cache.get_many(keys) if keys else {}
    missing = {row.pk: k for row, k in zip(rows, keys, strict=True) if k not in found}
    if not missing:
        return [found[k] for k in keys]
    owner = rows[0].OWNER
    stored = _stored_entries(owner, missing)
    # Stored copies are not put back in the cache: that would cost the request
    # after a cache loss more than the next change saves by it.
    found.update((missing.pop(pk), body) for pk, body in stored.items())
    if missing:
        objects = load(list(missing))
        built = {k: ical.entry_bytes(build(objects[pk])) for pk, k in missing.items()}
        _store_entries(owner, {pk: (k, built[k]) for pk, k in missing.items()})
        cache.set_many(built, ENTRY_TIMEOUT)
        found.update(built)
    return [found[k] for k in keys]


def _language() -> str:
    return get_language() or ""


def _stored_entries(owner: str, wanted: dict[int, str]) -> dict[int, bytes]:
    """The durable copies of `wanted` (pk: current key) that are not stale."""
    rows = FeedEntry.objects.filter(
        **{f"{owner}_id__in": list(wanted), "language": _language()}
    ).values_list(f"{owner}_id", "key", "body")
    return {pk: body.encode() for pk, key, body in rows if wanted.get(pk) == key}


def _store_entries(owner: str, entries: dict[int, tuple[str, bytes]]) -> None:
    """Write or replace the durable copies; a failure only costs a later rebuild."""
    language = _language()
    objects = [
        FeedEntry(**{f"{owner}_id": pk}, language=language, key=key, body=body.decode())
        for pk, (key, body) in sorted(entries.items())  # one order: no deadlock
    ]
    try:
        with transaction.atomic():
            FeedEntry.objects.bulk_create(
                objects,
                update_conflicts=True,
                unique_fields=[owner, "language"],
                update_fields=["key", "body"],
            )
    except DatabaseError:
        logger.warning("calendar entries not stored", exc_info=True)


def first_seen(version: str) -> datetime:
    """When this server first served `version`: Last-Modified for feeds whose
    content can change by something disappearing (no row left to date it)."""
    return cache.get_or_set("ical:seen:" + version, timezone.now(), FEED_TIMEOUT)
