"""What an organiser writes is what is sent: placeholders, template syntax, HTML."""

import pytest
from django.conf import settings

from notifications.models import Broadcast
from notifications.selectors import recipients
from notifications.services.broadcast_messages import (
    UnknownPlaceholder,
    build_message,
    fill,
    text_to_html,
    unknown_placeholders,
)
from tests.factories import (
    EventFactory,
    InvitationFactory,
    QuestionFactory,
    RegistrationFactory,
    UserFactory,
)

VALUES = {
    "name": "Ada",
    "event": "Spring Forum",
    "manage_link": "https://x/m",
    "calendar_link": "",
    "answer_by": "",
}


def test_placeholders_are_filled():
    assert fill("Hi {name}, welcome to {event}: {manage_link}", VALUES) == (
        "Hi Ada, welcome to Spring Forum: https://x/m"
    )


def test_template_syntax_and_stray_braces_stay_as_typed():
    text = "{{ name }} {% load x %}{{name}} { } {{ } {"

    assert fill(text, VALUES) == "{{ name }} {% load x %}{{name}} { } {{ } {"


@pytest.mark.parametrize(
    "text, unknown",
    [
        ("{name.__class__}", ["name.__class__"]),
        ("{name[0]}", ["name[0]"]),
        ("{name:>99}", ["name:>99"]),
        ("{name!r}", ["name!r"]),
        ("{0} {}", ["0", ""]),
        ("{secret} {secret}", ["secret"]),
    ],
)
def test_attribute_index_spec_and_unknown_names_are_refused(text, unknown):
    found = unknown_placeholders(text)
    with pytest.raises(UnknownPlaceholder) as refused:
        fill(text, VALUES)

    assert found == unknown
    assert refused.value.names == unknown


def test_an_empty_pair_of_braces_is_refused():
    assert unknown_placeholders("a {} b") == [""]


def test_placeholder_values_are_not_formatted_again():
    assert fill("{name}", {**VALUES, "name": "{event} {{x}}"}) == "{event} {{x}}"


def test_html_escapes_everything_typed_and_links_safely():
    html = text_to_html(
        "<script>alert(1)</script>\nline two\n\nsee https://example.org/?a=1&b=2"
    )

    assert html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;<br>\nline two</p>\n"
        '<p>see <a href="https://example.org/?a=1&amp;b=2" rel="nofollow">'
        "https://example.org/?a=1&amp;b=2</a></p>"
    )


@pytest.mark.django_db
def test_recipients_get_their_language_else_english_else_the_first_written():
    event = EventFactory(title="Forum")
    finn = RegistrationFactory(event=event, attendee__preferred_language="fi")
    swede = RegistrationFactory(event=event, attendee__preferred_language="sv")
    broadcast = Broadcast.objects.create(
        event=event,
        author=UserFactory(),
        texts={
            "fi": {"subject": "Hei", "body": "Suomeksi"},
            "en": {"subject": "Hi", "body": "In English"},
        },
    )
    finnish_only = Broadcast.objects.create(
        event=event,
        author=UserFactory(),
        texts={"fi": {"subject": "Hei", "body": "Suomeksi"}},
    )
    people = {r.registration: r for r in recipients(event=event)}

    assert build_message(broadcast, people[finn]).subject == "Hei"
    assert build_message(broadcast, people[swede]).subject == "Hi"
    assert build_message(finnish_only, people[swede]).language == "fi"


@pytest.mark.django_db
def test_nothing_is_added_but_the_footer():
    event = EventFactory(title="Forum", slug="forum", contact_email="o@example.org")
    registration = RegistrationFactory(event=event, attendee__name="Ada")
    broadcast = Broadcast.objects.create(
        event=event,
        author=UserFactory(),
        texts={"en": {"subject": "Bus", "body": "The bus leaves at 9."}},
    )
    (recipient,) = recipients(event=event)

    message = build_message(broadcast, recipient)

    assert recipient.registration == registration
    assert message.body_text == (
        f"The bus leaves at 9.\n\n-- \nForum\n{settings.SITE_URL}/events/forum/\n"
        "You receive this message because you are registered for this event.\n"
        "Questions? Reply to this message or write to o@example.org.\n"
    )
    assert "Hello" not in message.body_html


@pytest.mark.django_db
def test_recipients_filter_by_answers_checked_in_and_pending_invitations():
    event = EventFactory()
    diet = QuestionFactory(event=event, kind="single_choice", choices=["veg", "any"])
    veg = RegistrationFactory(event=event)
    veg.answers.create(question=diet, value="veg")
    other = RegistrationFactory(event=event, checked_in_at="2030-01-01T10:00Z")
    other.answers.create(question=diet, value="any")
    invited = InvitationFactory(event=event, email="inv@example.org")
    InvitationFactory(event=event, status="declined")

    def chosen(**filters):
        return [r.key for r in recipients(event=event, filters=filters)]

    assert chosen(answers=[f"{diet.pk}:veg"]) == [f"r{veg.pk}"]
    assert chosen(checked_in="yes") == [f"r{other.pk}"]
    assert chosen(statuses=[], invited_pending=True) == [f"i{invited.pk}"]
    assert chosen(answers=["999:veg"]) == [f"r{veg.pk}", f"r{other.pk}"]
