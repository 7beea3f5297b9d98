"""Turn a kind and its context into an unsaved outbox Message.

Everything a message says is rendered now, at composing time, from what the fact
recorded: a later change can't alter it, and delivery only sends stored text.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from events import times

from ..models import Message

# The subject line of each kind; %(event)s is the event's title.
SUBJECTS = {
    "registration_received": _("Registration received: %(event)s"),
    "confirmed": _("You are registered: %(event)s"),
    "waitlisted": _("You are on the waitlist: %(event)s"),
    "promoted": _("A place is yours: %(event)s"),
    "offer_made": _("A place is free for you: %(event)s"),
    "offer_expired": _("Your offer has expired: %(event)s"),
    "approved": _("Your registration is approved: %(event)s"),
    "declined": _("Your registration was declined: %(event)s"),
    "invitation": _("Invitation: %(event)s"),
    "invitation_reminder": _("Reminder: please answer your invitation to %(event)s"),
    "invitation_news": _("Invitation answered: %(event)s"),
    "invitation_digest": _("Invitation answers of the day: %(event)s"),
    "substitute_invited": _("You have been named as a substitute: %(event)s"),
    "cancelled": _("Registration cancelled: %(event)s"),
    "seat_confirmed": _("Seat confirmed: %(session)s"),
    "seat_waitlisted": _("On the waitlist for %(session)s"),
    "seat_promoted": _("A seat is yours: %(session)s"),
    "event_cancelled": _("Cancelled: %(event)s"),
    "event_moved": _("Changed: %(event)s"),
    "schedule_digest": _("Schedule changes: %(event)s"),
    "event_reminder": _("Coming up: %(event)s"),
    "session_reminder": _("Starting soon: %(session)s"),
    "role_invited": _("You are in the team of %(event)s"),
    "meeting_nudge": _("Meet other participants: %(event)s"),
    "meeting_day": _("Your meetings tomorrow: %(event)s"),
    "meeting_soon": _("Your next meeting starts soon: %(event)s"),
}


def language_of(user, *, fallback: str = "") -> str:
    """The recipient's language if we have it in LANGUAGES; without an account,
    `fallback` (an invitation's language); else the site's."""
    wanted = getattr(user, "preferred_language", "") if user else fallback
    known = {code for code, _name in settings.LANGUAGES}
    return wanted if wanted in known else settings.LANGUAGE_CODE


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def webcal(url: str) -> str:
    """The same feed for calendar apps that subscribe on a webcal:// link."""
    return "webcal://" + url.split("://", 1)[1]


def render_message(
    *,
    kind: str,
    key: str,
    event,
    to_email: str,
    language: str,
    context: dict,
    recipient=None,
    registration=None,
    ics: bytes = b"",
    queue: str = Message.Queue.DEFAULT,
    subject: str | None = None,
) -> Message:
    """Render `kind`'s templates in `language` and the event's time zone."""
    with translation.override(language), timezone.override(event.tzinfo):
        full = {
            "event": event,
            "event_url": absolute(event.get_absolute_url()),
            "recipient_name": getattr(recipient, "name", "") or "",
            "site_url": settings.SITE_URL,
            # In the recipient's language, as every page writes them.
            "event_starts": times.show_datetime(event.starts_at, event),
            "event_ends": times.show_datetime(event.ends_at, event),
            **context,
        }
        if subject is None:
            subject = str(SUBJECTS[kind]) % {
                "event": event.title,
                "session": context.get("session_title", ""),
            }
        text = render_to_string(f"notifications/email/{kind}.txt", full)
        html = render_to_string(f"notifications/email/{kind}.html", full)
    return Message(
        key=key,
        kind=kind,
        queue=queue,
        recipient=recipient,
        to_email=to_email,
        language=language,
        # Header lines cannot hold line breaks; a title could.
        subject=" ".join(subject.split())[:300],
        body_text=text,
        body_html=html,
        reply_to=event.contact_email,
        ics_attachment=ics.decode() if ics else "",
        ics_filename=f"{event.slug}.ics" if ics else "",
        event=event,
        registration=registration,
    )
