"""Composing messages from registration facts (Activity rows), exactly once.

Each Activity gives at most one message per recipient, keyed
"activity:<id>:<kind>:<recipient>"; the Activity is marked composed in the same
transaction as the messages are stored, so the receiver and the sweep can both try.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from registrations.models import Activity, PersonalCalendar

from . import calendars, checkin_qr, invitation_news
from .composition_requests import withdraw_request
from .delivery import deliver
from .outbox import store_messages
from .rendering import absolute, language_of, render_message, webcal

logger = logging.getLogger(__name__)

# verb -> message kind; verbs not here tell nobody (check-in, answers, ...).
KIND_OF_VERB = {
    "awaiting_approval": "registration_received",
    "confirmed": "confirmed",
    "waitlisted": "waitlisted",
    "promoted": "promoted",
    "offered": "offer_made",
    "offer_expired": "offer_expired",
    "offer_accepted": "confirmed",
    "approved": "approved",
    "declined": "declined",
    "invited": "invitation",
    "invitation_reminded": "invitation_reminder",
    "substitute_invited": "substitute_invited",
    "cancelled": "cancelled",
    "seat_taken": "seat_confirmed",
    "seat_waitlisted": "seat_waitlisted",
    "seat_promoted": "seat_promoted",
}
# Kinds whose message carries the event and the person's sessions as .ics.
WITH_CALENDAR = {"confirmed", "promoted", "approved"}
SEAT_KINDS = {"seat_confirmed", "seat_waitlisted"}
# A registration's own message lists the seats taken with it: seat facts written
# by the same registration (within this window) are not told again one by one.
REGISTRATION_VERBS = {
    "confirmed", "promoted", "approved", "offer_accepted", "awaiting_approval",
    "waitlisted",
}  # fmt: skip
SAME_CHANGE_WINDOW = timedelta(seconds=5)


def parse_time(value):
    return datetime.fromisoformat(value) if value else None


def session_view(snapshot: dict) -> dict:
    """A session snapshot (either recording format) as template-friendly values."""
    return {
        "title": snapshot.get("session_title") or snapshot.get("title", ""),
        "starts_at": parse_time(snapshot.get("starts_at")),
        "ends_at": parse_time(snapshot.get("ends_at")),
        "room": snapshot.get("room") or "",
        "cancelled": (snapshot.get("session_status") or snapshot.get("status"))
        == "cancelled",
        "uuid": snapshot.get("session_uuid") or snapshot.get("uuid"),
    }


def _folded_into_registration(activity: Activity) -> bool:
    return Activity.objects.filter(
        registration=activity.registration,
        verb__in=REGISTRATION_VERBS,
        created_at__gte=activity.created_at - SAME_CHANGE_WINDOW,
        created_at__lte=activity.created_at + SAME_CHANGE_WINDOW,
    ).exists()


# Facts told to an invitee, who may have no account: by the invitation's address.
INVITEE_VERBS = {"invited", "invitation_reminded", "substitute_invited"}


def _recipient(activity: Activity):
    """(user or None, email) the message about this fact goes to."""
    if activity.verb in INVITEE_VERBS:
        email = activity.details.get("email") or activity.invitation.email  # type: ignore[union-attr]
        return None, email
    if activity.registration is None:
        return None, None
    attendee = activity.registration.attendee
    return attendee, attendee.email


def message_for(activity: Activity):
    """The one unsaved Message this fact gives, or None."""
    kind = KIND_OF_VERB.get(activity.verb)
    if kind is None or activity.details.get("silent"):
        return None  # nothing to tell, or the organiser chose not to tell
    if kind in SEAT_KINDS and _folded_into_registration(activity):
        return None
    user, email = _recipient(activity)
    if not email:
        return None
    details = activity.details
    event = activity.event
    registration = activity.registration
    context = {
        "details": details,
        "sessions": [session_view(s) for s in details.get("sessions", [])],
        "session": session_view(details) if activity.session_id else None,
        "session_title": details.get("session_title", ""),
        "position": details.get("position"),
        "offer_expires_at": parse_time(details.get("offer_expires_at")),
        "rsvp_deadline": parse_time(details.get("rsvp_deadline")),
        "reason": details.get("reason", ""),
        "by_organiser": details.get("by") == "organiser",
        "invitee_name": details.get("name", ""),
        "substitute_for_name": details.get("substitute_for_name", ""),
        "personal_message": details.get("message", ""),
    }
    if registration is not None:
        context["manage_url"] = absolute(registration.manage_path())
        if kind in checkin_qr.KINDS:
            context["checkin_code"] = registration.checkin_code
            context["checkin_qr_cid"] = checkin_qr.CONTENT_ID
    if activity.invitation:
        context["rsvp_url"] = absolute(activity.invitation.answer_path())
    if user is None and details.get("name"):
        context["recipient_name"] = details["name"]  # an invitee without an account
    ics = b""
    if kind in WITH_CALENDAR and user is not None:
        calendar, _created = PersonalCalendar.objects.get_or_create(user=user)
        context["calendar_url"] = absolute(calendar.feed_path())
        context["calendar_webcal_url"] = webcal(context["calendar_url"])
        if not calendars.subscribed_user_ids([user.pk]):
            uuids = [s["uuid"] for s in context["sessions"] if s["uuid"]]
            ics = calendars.calendar_bytes(
                event=event, sessions=calendars.load_sessions(uuids)
            )
    recipient_key = user.pk if user is not None else email.lower()
    return render_message(
        kind=kind,
        key=f"activity:{activity.pk}:{kind}:{recipient_key}",
        event=event,
        to_email=email,
        # An invitee without an account reads the language the organiser chose.
        language=language_of(user, fallback=details.get("language", "")),
        context=context,
        recipient=user,
        registration=registration,
        ics=ics,
    )


# What a composing task looks through: recent facts; the sweep takes older ones.
RECENT = timedelta(hours=1)
BATCH = 200


def compose_recent(*, deliver_here: bool = False, now=None) -> int:
    """Compose every recent uncomposed fact, in batches; return new messages.

    It first clears the request, then reads: a fact committed before the clear is
    in the read, and a fact committed after it finds no request and asks anew,
    so none waits for the sweep while workers run.
    """
    withdraw_request()
    since = (now or timezone.now()) - RECENT
    stored, last = 0, 0
    while True:
        ids = list(
            Activity.objects.filter(
                composed_at__isnull=True, created_at__gte=since, pk__gt=last
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            return stored
        stored += compose_activities(ids, deliver_here=deliver_here)
        last = ids[-1]


def compose_activities(activity_ids, *, deliver_here: bool = False) -> int:
    """Compose the messages of these facts (those not composed yet); return how many
    messages were new. A fact whose message cannot be rendered is logged and left
    uncomposed for the sweep; the others go on.

    `deliver_here` (in a worker's composing task): send the new messages in this
    process after commit instead of publishing a delivery task each; delivery is
    the same claim-send-mark, so a duplicate task still sends once.
    """
    stored = 0
    with transaction.atomic():
        activities = list(
            Activity.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=list(activity_ids), composed_at__isnull=True)
            .select_related(
                "event__venue", "registration__attendee", "invitation", "session"
            )
        )
        messages, done = [], []
        for activity in activities:
            try:
                message = message_for(activity)
            except Exception:
                logger.exception("could not compose activity %s", activity.pk)
                continue
            if message is not None:
                messages.append(message)
            messages += invitation_news.immediate_messages(activity)
            done.append(activity.pk)
        message_ids = store_messages(messages, queue=not deliver_here)
        stored = len(message_ids)
        Activity.objects.filter(pk__in=done).update(composed_at=timezone.now())
    if deliver_here:
        for message_id in message_ids:
            deliver(message_id=message_id)
    return stored
