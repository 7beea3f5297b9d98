"""Writes to the event itself: create, change, publish, cancel."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..conflicts import check_outside_event
from ..locks import lock_event
from ..models import Event, EventOrganiser, ScheduleChange, Session
from .common import (
    EVENT_SEQUENCED_FIELDS,
    EVENT_SHOWN_FIELDS,
    ScheduleError,
    announce_changes,
    bump_schedule_version,
    changed_fields,
    display_value,
    record_change,
)

EVENT_FIELDS = {
    f.name
    for f in Event._meta.get_fields()
    if getattr(f, "editable", False) and f.concrete
} - {"id"}


def create_event(*, actor: User | None = None, organisers=(), **fields) -> Event:
    """Create an event; `organisers` (default: the `actor`) become its owners."""
    with transaction.atomic():
        event = Event(**fields)
        event.full_clean()
        event.save()
        owners = list(organisers) or ([actor] if getattr(actor, "pk", None) else [])
        for user in owners:
            EventOrganiser.objects.get_or_create(
                event=event, user=user, defaults={"role": EventOrganiser.Role.OWNER}
            )
    return event


def update_event(*, event: Event, actor: User | None = None, **fields) -> Event:
    """Change an event's fields. The slug is fixed once the event has been published.

    A change of time, venue, status or time zone raises the event's `sequence`; a
    change of anything schedules and feeds show (EVENT_SHOWN_FIELDS) is logged and
    bumps the schedule version. New dates that would leave scheduled sessions
    outside the event's days are refused. A no-op writes nothing.
    """
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    with transaction.atomic():
        current = lock_event(event)
        if (
            "slug" in fields
            and fields["slug"] != current.slug
            and current.status != Event.Status.DRAFT
        ):
            raise ScheduleError(_("The address of a published event cannot change."))
        diff = changed_fields(current, fields)
        if not diff:
            event.refresh_from_db()
            return event
        for name, (_old, new) in diff.items():
            setattr(current, name, new)
        current.__dict__.pop("tzinfo", None)  # the cached_property of the old zone
        current.full_clean()
        if set(diff) & {"starts_at", "ends_at", "timezone"}:
            _refuse_sessions_outside(current)
        now = timezone.now()
        if set(diff) & EVENT_SEQUENCED_FIELDS:
            current.sequence += 1
        current.changed_at = now
        current.save()
        shown = {
            name: pair for name, pair in diff.items() if name in EVENT_SHOWN_FIELDS
        }
        if shown:
            kind = (
                ScheduleChange.Kind.EVENT_CANCELLED
                if shown.get("status", (None, None))[1] == Event.Status.CANCELLED
                else ScheduleChange.Kind.EVENT_CHANGED
            )
            change = record_change(
                current,
                None,
                kind,
                {
                    name: [display_value(o), display_value(n)]
                    for name, (o, n) in shown.items()
                },
                now,
                actor=actor,
            )
            bump_schedule_version(current.pk, now=now)
            announce_changes(current, [change])
    event.refresh_from_db()
    event.__dict__.pop("tzinfo", None)
    return event


def _refuse_sessions_outside(event: Event) -> None:
    outside = []
    placed = event.sessions.filter(
        status=Session.Status.SCHEDULED, starts_at__isnull=False
    )
    for session in placed:
        outside += check_outside_event(session, event)
    if outside:
        raise ScheduleError(
            _("Move or cancel these sessions first: %(list)s")
            % {"list": " ".join(c.message for c in outside)},
            outside,
        )


def publish_event(*, event: Event, actor: User | None = None) -> Event:
    return update_event(event=event, actor=actor, status=Event.Status.PUBLISHED)


def cancel_event(*, event: Event, actor: User | None = None) -> Event:
    """Cancel the whole event: it stays visible, and in feeds, as cancelled."""
    return update_event(event=event, actor=actor, status=Event.Status.CANCELLED)
