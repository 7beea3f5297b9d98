"""Row locks on an event, its sessions and the rooms it books.

Every write to an event's places, seats, invitations or schedule locks the
event's row first, through `lock_event`: writers of one event queue on that row,
so the counts and conflict checks made after it cannot go stale. The rows below
it are taken in one order (registrations.services.locks gives the whole of it);
rooms, which events share, are taken last and by pk, so that edits of two
events booking the same rooms cannot wait on each other in a circle.

SQLite has no row locks: these run as plain reads there, and its IMMEDIATE
transactions serialise writers instead.
"""

from collections.abc import Iterable

from django.db import connection
from django.db.transaction import TransactionManagementError

from .models import Event, Room, Session


def lock_event(event: Event | int, *fields: str) -> Event:
    """Lock the event's row until the transaction ends; return it as it is now.

    Without `fields` the whole row is read into a new instance, and an instance
    the caller passed keeps its own values (an edit compares them with the
    stored ones). With `fields`, only those are read, into `event` itself, by a
    `SELECT … FOR UPDATE` written here rather than built by the ORM: the
    busiest path (registering) needs a few limits, and every registration of
    the event waits while it runs.
    """
    if not connection.in_atomic_block:
        raise TransactionManagementError("lock_event() needs a transaction.")
    if not fields:
        pk = event.pk if isinstance(event, Event) else event
        return Event.objects.select_for_update().get(pk=pk)
    if not isinstance(event, Event):
        raise TypeError("lock_event() reloads fields only into an Event.")
    columns = [Event._meta.get_field(name) for name in fields]
    names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {names} FROM {Event._meta.db_table} WHERE id = %s{lock}",  # noqa: S608 - our own column names
            [event.pk],
        )
        row = cursor.fetchone()
    if row is None:
        raise Event.DoesNotExist(f"event {event.pk} is gone")
    for field, value in zip(columns, row, strict=True):
        setattr(event, field.attname, field.to_python(value))
    return event


def lock_sessions(
    ids: Iterable[int], *, event: Event | None = None, related: tuple[str, ...] = ()
) -> dict:
    """Lock these sessions (of `event`, when given) by pk; returns them by pk,
    with the `related` rows (e.g. "room") read in the same query, unlocked.

    Call after the event's lock. Ids of sessions that do not exist, or belong to
    another event, are missing from the answer.
    """
    ids = sorted(set(ids))
    if not ids:
        return {}
    # order_by(): the default ordering joins rooms, and FOR UPDATE locks only
    # the sessions themselves.
    sessions = Session.objects.select_for_update(of=("self",)).order_by("pk")
    if related:
        sessions = sessions.select_related(*related)
    if event is not None:
        sessions = sessions.filter(event=event)
    return sessions.in_bulk(ids)


def lock_rooms(room_ids: Iterable[int | None]) -> None:
    """Lock the rooms a schedule edit books (by pk; None stands for no room)."""
    ids = sorted({pk for pk in room_ids if pk})
    if ids:
        list(Room.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
