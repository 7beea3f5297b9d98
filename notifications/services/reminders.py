"""Reminders, run by beat every few minutes (or run_periodic in embedded mode).

Each reminder's key names the thing and the person (and the start time it was
about), so a second beat run, a restart or an overlapping run stores nothing new.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events.models import Event, Session
from registrations.models import Invitation, Registration, SessionSeat

from .meeting_reminders import send_meeting_reminders
from .outbox import store_messages
from .rendering import absolute, language_of, render_message

HOUR = timedelta(hours=1)


def send_due_reminders(now=None) -> int:
    """Event, session and meeting reminders now due; returns how many messages
    were new."""
    now = now or timezone.now()
    return event_reminders(now) + session_reminders(now) + send_meeting_reminders(now)


def _sessions_of(registration) -> list[dict]:
    seats = (
        registration.seats.filter(status=SessionSeat.Status.CONFIRMED)
        .select_related("session__room")
        .order_by("session__starts_at")
    )
    return [
        {
            "title": seat.session.title,
            "starts_at": seat.session.starts_at,
            "ends_at": seat.session.ends_at,
            "room": seat.session.room.name if seat.session.room_id else "",
            "cancelled": seat.session.is_cancelled,
        }
        for seat in seats
    ]


def event_reminders(now) -> int:
    # Filtered in Python: date arithmetic with a per-row interval differs by
    # database, and there are few events within a month.
    candidates = Event.objects.filter(
        status=Event.Status.PUBLISHED,
        reminder_hours_before__gt=0,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=31),
    ).select_related("venue")
    events = [
        e for e in candidates if e.starts_at - e.reminder_hours_before * HOUR <= now
    ]
    stored = 0
    for event in events:
        registrations = Registration.objects.filter(
            event=event, status=Registration.Status.CONFIRMED
        ).select_related("attendee")
        messages = []
        for registration in registrations:
            user = registration.attendee
            messages.append(
                render_message(
                    kind="event_reminder",
                    # The start time is in the key: a postponed event reminds again.
                    key=f"reminder:{event.pk}:{event.starts_at:%Y%m%dT%H%M}"
                    f":event_reminder:{user.pk}",
                    event=event,
                    to_email=user.email,
                    language=language_of(user),
                    recipient=user,
                    registration=registration,
                    context={
                        "sessions": _sessions_of(registration),
                        "manage_url": absolute(registration.manage_path()),
                        "checkin_code": registration.checkin_code,
                    },
                )
            )
        with transaction.atomic():
            stored += len(store_messages(messages))
    return stored


def session_reminders(now) -> int:
    # Only look a day ahead: no session reminder is longer than that in practice.
    sessions = (
        Session.objects.filter(
            status=Session.Status.SCHEDULED,
            signup_required=True,
            event__status=Event.Status.PUBLISHED,
            event__session_reminder_minutes__gt=0,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=1),
        )
        .select_related("event__venue", "room")
        .order_by("starts_at")
    )
    stored = 0
    for session in sessions:
        assert session.starts_at  # asked for in the query
        if (
            session.starts_at
            - timedelta(minutes=session.event.session_reminder_minutes)
            > now
        ):
            continue
        seats = SessionSeat.objects.filter(
            session=session,
            status=SessionSeat.Status.CONFIRMED,
            registration__status=Registration.Status.CONFIRMED,
        ).select_related("registration__attendee")
        messages = [
            render_message(
                kind="session_reminder",
                key=f"reminder:session:{session.pk}:{session.starts_at:%Y%m%dT%H%M}"
                f":session_reminder:{seat.registration.attendee_id}",
                event=session.event,
                to_email=seat.registration.attendee.email,
                language=language_of(seat.registration.attendee),
                recipient=seat.registration.attendee,
                registration=seat.registration,
                context={
                    "session_title": session.title,
                    "session": {
                        "title": session.title,
                        "starts_at": session.starts_at,
                        "ends_at": session.ends_at,
                        "room": session.room.name if session.room else "",
                    },
                    "session_url": absolute(session.get_absolute_url()),
                },
            )
            for seat in seats
        ]
        with transaction.atomic():
            stored += len(store_messages(messages))
    return stored


def send_due_invitation_reminders(now=None) -> int:
    """One reminder per open invitation, a set time before its RSVP deadline."""
    now = now or timezone.now()
    lead = timedelta(hours=getattr(settings, "NOTIFICATIONS_RSVP_REMINDER_HOURS", 48))
    invitations = Invitation.objects.filter(
        status=Invitation.Status.PENDING,
        rsvp_deadline__gt=now,
        rsvp_deadline__lte=now + lead,
        created_at__lte=now - lead / 2,  # not right after the invitation itself
    ).select_related("event__venue")
    messages = [
        render_message(
            kind="invitation_reminder",
            key=f"invitation:{invitation.pk}:invitation_reminder:"
            f"{invitation.email.lower()}",
            event=invitation.event,
            to_email=invitation.email,
            language=language_of(None, fallback=invitation.language),
            context={
                "invitee_name": invitation.name,
                "rsvp_deadline": invitation.rsvp_deadline,
                "rsvp_url": absolute(invitation.answer_path()),
            },
        )
        for invitation in invitations
    ]
    with transaction.atomic():
        return len(store_messages(messages))
