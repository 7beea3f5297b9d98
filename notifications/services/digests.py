"""Schedule changes: event-level ones told at once, session ones as debounced digests.

A session change only pushes the event's ScheduleDigest marker back by the quiet
period; when it passes (or an organiser presses "notify now") every person holding
a seat in or bookmarking an affected session (or coming to a network meeting
held there) gets one message listing all the
changes of the batch. The changes are marked composed in the same transaction as
the messages are stored, and the batch key (the last change's id) keeps a retry
from sending a second digest.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from events.models import Event, ScheduleChange
from meetings.selectors_networks import audience as network_audience
from registrations.models import Bookmark, Registration, SessionSeat

from ..models import ScheduleDigest
from . import calendars
from .compose import parse_time
from .outbox import store_messages
from .rendering import absolute, language_of, render_message

# A title or abstract edit is not worth an email; time, place and status are.
SESSION_KINDS = {"moved", "cancelled", "restored"}
# What makes an event-level change worth an email to every registrant.
EVENT_MOVE_FIELDS = {"starts_at", "ends_at", "venue", "timezone"}
SEATED = (
    SessionSeat.Status.CONFIRMED,
    SessionSeat.Status.WAITLISTED,
    SessionSeat.Status.OFFERED,
)


def quiet_period() -> timedelta:
    return timedelta(
        minutes=getattr(settings, "NOTIFICATIONS_DIGEST_QUIET_MINUTES", 10)
    )


def is_digested(change: ScheduleChange) -> bool:
    """A session's change of time, place or status waits for the event's digest."""
    return bool(change.session_id) and change.kind in SESSION_KINDS


def compose_schedule_changes(change_ids, now=None) -> int:
    """Handle new schedule changes: event-level ones now, session ones debounced."""
    now = now or timezone.now()
    stored = 0
    with transaction.atomic():
        # narrow: an event-level change reads its event when it is composed
        changes = list(
            ScheduleChange.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=list(change_ids), composed_at__isnull=True)
            .order_by("pk")
        )
        waiting = set()
        for change in changes:
            if is_digested(change):
                waiting.add(change.event_id)
                continue  # composed when the digest goes out
            messages = event_change_messages(change)
            stored += len(store_messages(messages))
            ScheduleChange.objects.filter(pk=change.pk).update(composed_at=now)
        push_digests(waiting, now)
    return stored


def push_digests(event_ids, now=None) -> None:
    """Create each event's digest marker, or push it back: one statement each."""
    now = now or timezone.now()
    for event_id in sorted(set(event_ids)):
        ScheduleDigest.objects.bulk_create(
            [ScheduleDigest(event_id=event_id, due_at=now + quiet_period())],
            update_conflicts=True,
            unique_fields=["event"],
            update_fields=["due_at"],
        )


def event_change_messages(change: ScheduleChange) -> list:
    """Cancelled or moved event: a message to every live registrant."""
    if change.kind == ScheduleChange.Kind.EVENT_CANCELLED:
        kind = "event_cancelled"
    elif change.kind == ScheduleChange.Kind.EVENT_CHANGED and (
        set(change.changes) & EVENT_MOVE_FIELDS
    ):
        kind = "event_moved"
    else:
        return []
    event = change.event
    registrations = Registration.objects.live().filter(event=event)
    changed = {
        name: [_maybe_time(old), _maybe_time(new)]
        for name, (old, new) in change.changes.items()
    }
    messages = []
    for registration in registrations.select_related("attendee"):
        user = registration.attendee
        messages.append(
            render_message(
                kind=kind,
                key=f"schedule:{change.pk}:{kind}:{user.pk}",
                event=event,
                to_email=user.email,
                language=language_of(user),
                recipient=user,
                registration=registration,
                context={
                    "changes": changed,
                    "manage_url": absolute(registration.manage_path()),
                },
            )
        )
    return messages


def _maybe_time(value):
    try:
        return parse_time(value) if value and "T" in value else value
    except (TypeError, ValueError):
        return value


def send_due_digests(now=None) -> int:
    """Send every digest whose quiet period has passed; return messages stored."""
    now = now or timezone.now()
    due = ScheduleDigest.objects.filter(due_at__lte=now).values_list(
        "event_id", flat=True
    )
    return sum(send_digest(event_id=event_id, now=now) for event_id in list(due))


def notify_now(*, event: Event) -> int:
    """The organiser's "notify now": send the pending digest without waiting."""
    return send_digest(event_id=event.pk)


def send_digest(*, event_id: int, now=None) -> int:
    now = now or timezone.now()
    with transaction.atomic():
        marker = (
            ScheduleDigest.objects.select_for_update(skip_locked=True)
            .filter(event_id=event_id)
            .first()
        )
        changes = list(
            ScheduleChange.objects.select_for_update(of=("self",))
            .filter(
                event_id=event_id,
                composed_at__isnull=True,
                session__isnull=False,
                kind__in=SESSION_KINDS,
            )
            .order_by("created_at", "pk")
        )
        if not changes:
            if marker:
                marker.delete()
            return 0
        messages = digest_messages(Event.objects.get(pk=event_id), changes)
        ids = store_messages(messages)
        ScheduleChange.objects.filter(pk__in=[c.pk for c in changes]).update(
            composed_at=now
        )
        if marker:
            marker.delete()
    return len(ids)


def _batch_by_session(changes) -> dict:
    """session id -> {"before": first old values, "after": last snapshot}."""
    batch: dict = {}
    for change in changes:
        entry = batch.setdefault(change.session_id, {"before": {}, "after": {}})
        for name, (old, _new) in change.changes.items():
            entry["before"].setdefault(name, old)
        entry["after"] = change.snapshot
    return batch


def _audience(session_ids) -> dict[int, set[int]]:
    """user id -> the affected session ids they hold a seat in, bookmarked, or
    where a network they will meet with meets."""
    audience = defaultdict(set)
    seats = SessionSeat.objects.filter(
        session_id__in=session_ids, status__in=SEATED
    ).exclude(registration__status__in=Registration.DEAD_STATUSES)
    for user_id, session_id in seats.values_list(
        "registration__attendee_id", "session_id"
    ):
        audience[user_id].add(session_id)
    for user_id, session_id in Bookmark.objects.filter(
        session_id__in=session_ids
    ).values_list("user_id", "session_id"):
        audience[user_id].add(session_id)
    for user_id, session_id in network_audience(session_ids):
        audience[user_id].add(session_id)
    return audience


def _line(session_id, entry) -> dict:
    after, before = entry["after"], entry["before"]
    return {
        "title": after.get("title", ""),
        "cancelled": after.get("status") == "cancelled",
        "starts_at": parse_time(after.get("starts_at")),
        "ends_at": parse_time(after.get("ends_at")),
        "room": after.get("room") or "",
        "old_starts_at": parse_time(before["starts_at"])
        if before.get("starts_at")
        else None,
        "old_ends_at": parse_time(before["ends_at"]) if before.get("ends_at") else None,
        "old_room": before.get("room") if "room" in before else None,
        "uuid": after.get("uuid"),
        "session_id": session_id,
    }


def digest_messages(event: Event, changes) -> list:
    batch = _batch_by_session(changes)
    audience = _audience(list(batch))
    if not audience:
        return []
    users = User.objects.in_bulk(list(audience))
    subscribed = calendars.subscribed_user_ids(audience)
    sessions = {
        s.pk: s
        for s in calendars.load_sessions(
            [e["after"].get("uuid") for e in batch.values()]
        )
    }
    batch_id = changes[-1].pk
    messages = []
    for user_id in sorted(audience):
        user = users[user_id]
        mine = sorted(audience[user_id])
        lines = [_line(pk, batch[pk]) for pk in mine]
        ics = b""
        if user_id not in subscribed:
            ics = calendars.calendar_bytes(
                event=event,
                sessions=[sessions[pk] for pk in mine if pk in sessions],
                include_event=False,
            )
        messages.append(
            render_message(
                kind="schedule_digest",
                key=f"digest:{batch_id}:schedule_digest:{user_id}",
                event=event,
                to_email=user.email,
                language=language_of(user),
                recipient=user,
                context={
                    "lines": lines,
                    "schedule_url": absolute(event.get_absolute_url() + "schedule/"),
                },
                ics=ics,
            )
        )
    return messages
