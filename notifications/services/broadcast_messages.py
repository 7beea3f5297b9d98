"""What an organiser writes becomes, byte for byte, what each recipient receives.

The organiser writes the whole message (subject and body) once per language.
`build_message` is the one function that turns it into a recipient's outbox
message: the preview, the test send and the real send all call it, so what the
preview shows is what is sent. Nothing is added but the footer, which the
preview shows too.

Placeholders go through `PlaceholderFormatter`: only the names in PLACEHOLDERS,
no attribute or index access, no format specs or conversions. Anything else in
braces (`{{ x }}`, `{% if %}`, a stray `{`) is text, kept as typed: the text is
never rendered as a template.
"""

import re
import string

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import urlize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from events.times import show_datetime
from registrations.models import PersonalCalendar

from ..models import Broadcast, Message
from ..selectors import Recipient
from .rendering import absolute

PLACEHOLDERS = {
    "name": _("the recipient's name"),
    "event": _("the event's title"),
    "manage_link": _("the link to manage their registration or answer an invitation"),
    "calendar_link": _("their personal calendar feed"),
    "answer_by": _("when their invitation or offered place must be answered"),
}
# Template syntax is text: `{{ ... }}` and `{% ... %}` are matched first and kept;
# braces around blanks (`{ }`, `{ name }`) are text too.
_TOKEN = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{([^{}\s]*)\}", re.DOTALL)


class UnknownPlaceholder(ValueError):
    def __init__(self, names: list[str]):
        self.names = names
        super().__init__(", ".join(f"{{{name}}}" for name in names))


class PlaceholderFormatter(string.Formatter):
    """str.format with our grammar: `{name}` for the allowed names, the rest text."""

    def parse(self, format_string):
        position = 0
        for match in _TOKEN.finditer(format_string):
            if match.group(1) is None:  # template syntax: text as typed
                continue
            yield format_string[position : match.start()], match.group(1), "", None
            position = match.end()
        yield format_string[position:], None, None, None

    def get_field(self, field_name, args, kwargs):
        # The whole text between the braces is the name: no attributes, no indexes.
        if field_name not in PLACEHOLDERS:
            raise UnknownPlaceholder([field_name])
        return kwargs[field_name], field_name

    def format_field(self, value, format_spec):
        return str(value)


FORMATTER = PlaceholderFormatter()


def unknown_placeholders(text: str) -> list[str]:
    """The names in braces that are no placeholder, in order of appearance."""
    unknown = []
    for _literal, name, _spec, _conversion in FORMATTER.parse(text):
        if name is not None and name not in PLACEHOLDERS and name not in unknown:
            unknown.append(name)
    return unknown


def fill(text: str, values: dict) -> str:
    """`text` with its placeholders replaced; raises UnknownPlaceholder."""
    if unknown := unknown_placeholders(text):
        raise UnknownPlaceholder(unknown)
    return FORMATTER.vformat(text, (), values)


def text_to_html(text: str) -> str:
    """Everything escaped; blank lines part paragraphs, line breaks stay, links
    become links (escaped, rel="nofollow")."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    rendered = [
        urlize(p, nofollow=True, autoescape=True).replace("\n", "<br>\n")
        for p in paragraphs
    ]
    return "\n".join(f"<p>{p}</p>" for p in rendered)


def texts_of(broadcast: Broadcast) -> dict[str, dict]:
    """{language: {"subject", "body"}} in the organiser's order."""
    if broadcast.texts:
        return broadcast.texts
    written = {"subject": broadcast.subject, "body": broadcast.body}
    return {settings.LANGUAGE_CODE: written}


def language_for(broadcast: Broadcast, recipient: Recipient) -> str:
    """Their language if the organiser wrote it; else the site's; else the first."""
    written = texts_of(broadcast)
    for language in (recipient.preferred_language, settings.LANGUAGE_CODE):
        if language in written:
            return language
    return next(iter(written))


def placeholder_values(broadcast: Broadcast, recipient: Recipient, used: str) -> dict:
    """The values of the placeholders; the personal calendar only when used
    (its token is made on first use, the same for preview and send)."""
    event = broadcast.event
    registration, invitation = recipient.registration, recipient.invitation
    manage_link = calendar_link = answer_by = ""
    if registration is not None:
        manage_link = absolute(registration.manage_path())
        if registration.offer_expires_at:
            answer_by = show_datetime(registration.offer_expires_at, event)
    if invitation is not None:
        manage_link = absolute(invitation.answer_path())
        if invitation.rsvp_deadline:
            answer_by = show_datetime(invitation.rsvp_deadline, event)
    if recipient.user is not None and "calendar_link" in used:
        calendar, _created = PersonalCalendar.objects.get_or_create(user=recipient.user)
        calendar_link = absolute(calendar.feed_path())
    return {
        "name": recipient.name or recipient.email,
        "event": event.title,
        "manage_link": manage_link,
        "calendar_link": calendar_link,
        "answer_by": answer_by,
    }


def build_message(
    broadcast: Broadcast, recipient: Recipient, *, key: str | None = None
) -> Message:
    """The unsaved outbox message `recipient` receives for `broadcast`."""
    event = broadcast.event
    language = language_for(broadcast, recipient)
    text = texts_of(broadcast)[language]
    with translation.override(language), timezone.override(event.tzinfo):
        values = placeholder_values(
            broadcast, recipient, text["subject"] + text["body"]
        )
        subject = " ".join(fill(text["subject"], values).split())
        body = fill(text["body"], values).strip()
        context = {
            "event": event,
            "event_url": absolute(event.get_absolute_url()),
            "invited": recipient.invitation is not None,
        }
        body_text = render_to_string(
            "notifications/email/broadcast.txt", {**context, "body": body}
        )
        # Every character the organiser typed is escaped by text_to_html.
        html = mark_safe(text_to_html(body))  # noqa: S308
        body_html = render_to_string(
            "notifications/email/broadcast.html",
            {**context, "subject": subject, "body": html},
        )
    return Message(
        key=key or f"broadcast:{broadcast.pk}:broadcast:{recipient.key}",
        kind="broadcast",
        queue=Message.Queue.BULK,
        recipient=recipient.user,
        to_email=recipient.email,
        language=language,
        subject=subject[:300],
        body_text=body_text,
        body_html=body_html,
        reply_to=event.contact_email,
        event=event,
        registration=recipient.registration,
        broadcast=broadcast,
    )
