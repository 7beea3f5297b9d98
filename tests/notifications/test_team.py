"""notifications.services.team: a colleague invited to an event's team."""

import pytest

from events.services import RoleError
from notifications.models import Message
from notifications.services.outbox import store_messages
from notifications.services.team import compose_role_invitation, invite_organiser
from tests.factories import EventFactory, EventOrganiserFactory

pytestmark = pytest.mark.django_db
LINK = "https://kokous.example/organise/forum/"


def test_invite_organiser_stores_one_message_per_role_given():
    event = EventFactory(title="Spring Forum")

    organiser = invite_organiser(
        event=event, email="ada@example.org", role="checkin", link=LINK
    )
    store_messages([compose_role_invitation(organiser, link=LINK, is_new=False)])

    message = Message.objects.get()
    assert (message.kind, message.to_email, message.recipient) == (
        "role_invited",
        "ada@example.org",
        organiser.user,
    )
    assert "as Check-in staff" in message.body_text
    assert LINK in message.body_html


def test_invite_organiser_refusal_leaves_no_account_role_or_message():
    event = EventFactory()
    existing = EventOrganiserFactory(event=event, role="editor")

    with pytest.raises(RoleError):
        invite_organiser(
            event=event, email=existing.user.email, role="owner", link=LINK
        )

    assert Message.objects.count() == 0
    assert event.organisers.get().role == "editor"
