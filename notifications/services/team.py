"""Inviting a colleague to an event's team: the role and the email that says so.

The person is found by address, or an account is made for them (they sign in
with a login code sent to that address). The role and the message are written in
one transaction; the message's key, "organiser:<role id>:role_invited:<person>",
makes one email per role given, however often composing is retried.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import find_or_create_person
from events import services as event_services
from events.models import Event, EventOrganiser

from ..models import Message
from .outbox import store_messages
from .rendering import language_of, render_message


def invite_organiser(
    *,
    event: Event,
    email: str,
    role: str,
    link: str,
    name: str = "",
    actor: User | None = None,
) -> EventOrganiser:
    """Give the person with `email` `role` in `event` and email them `link` (the
    absolute address of the event's organiser pages).

    Raises events' RoleError when they already have a role in the event.
    """
    with transaction.atomic():
        try:
            person, is_new = find_or_create_person(email=email, name=name)
        except IntegrityError as race:  # the same address made at the same moment
            raise event_services.RoleError(
                _("Someone else just added this address; please try again.")
            ) from race
        organiser = event_services.add_organiser(
            event=event, user=person, role=role, actor=actor
        )
        store_messages(
            [compose_role_invitation(organiser, link=link, is_new=is_new, actor=actor)]
        )
    return organiser


def compose_role_invitation(
    organiser: EventOrganiser, *, link: str, is_new: bool, actor: User | None = None
) -> Message:
    person, event = organiser.user, organiser.event
    return render_message(
        kind="role_invited",
        key=f"organiser:{organiser.pk}:role_invited:{person.pk}",
        event=event,
        to_email=person.email,
        language=language_of(person),
        recipient=person,
        context={
            # A lazy label: rendered in the recipient's language.
            "role": EventOrganiser.Role(organiser.role).label,
            "organise_url": link,
            "invited_by": (getattr(actor, "name", "") or getattr(actor, "email", "")),
            "is_new_account": is_new,
        },
    )
