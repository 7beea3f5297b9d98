"""Names and answers with control characters are refused where they are typed:
registration answers, the invitee's forms, the organiser's forms, the invitee list
import and the question editor."""

import pytest
from django.urls import reverse

from events.models import Event
from organise.forms.invitations import InviteOneForm
from organise.forms.registrations import OnBehalfForm
from registrations.admin.events import QuestionForm
from registrations.invitation_forms import SignUpAcceptForm, SubstituteForm
from registrations.invitation_import import parse_invitees
from registrations.models import Question, Registration
from tests.factories import (
    EventFactory,
    InvitationFactory,
    QuestionFactory,
    RegistrationTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
MESSAGE = (
    "This text holds an invisible control character: please type it again without it."
)
PASSWORD = "correct horse battery staple"


def test_registering_refuses_an_answer_with_a_control_character(client):
    event = EventFactory()
    short = QuestionFactory(event=event, label="Organisation")
    long = QuestionFactory(event=event, label="Notes", kind=Question.Kind.LONG_TEXT)
    client.force_login(UserFactory())

    response = client.post(
        reverse("registrations:register", kwargs={"slug": event.slug}),
        {f"q_{short.pk}": "\x01=HYPERLINK(1)", f"q_{long.pk}": "Fine\r\n\tindented"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {f"q_{short.pk}": [MESSAGE]}
    assert Registration.objects.filter(event=event).exists() is False


def test_a_long_answer_keeps_tabs_and_line_breaks_but_not_other_controls(client):
    event = EventFactory()
    long = QuestionFactory(event=event, label="Notes", kind=Question.Kind.LONG_TEXT)
    client.force_login(UserFactory())
    url = reverse("registrations:register", kwargs={"slug": event.slug})

    refused = client.post(url, {f"q_{long.pk}": "line one\r\nline\x0ctwo"})
    accepted = client.post(url, {f"q_{long.pk}": "line one\r\n\tline two"})

    assert refused.context["form"].errors == {f"q_{long.pk}": [MESSAGE]}
    assert accepted.status_code == 302
    registration = Registration.objects.get(event=event)
    assert registration.answers.get().value == "line one\r\n\tline two"


@pytest.fixture
def invitation():
    return InvitationFactory(
        event=EventFactory(visibility=Event.Visibility.INVITATION_ONLY)
    )


def test_signing_up_from_an_invitation_refuses_such_a_name(invitation):
    form = SignUpAcceptForm(
        {"name": "Sigrid\x9b Berg", "password1": PASSWORD, "password2": PASSWORD},
        invitation=invitation,
    )

    assert form.errors == {"name": [MESSAGE]}


def test_naming_a_substitute_refuses_such_a_name():
    form = SubstituteForm(
        {"substitute_name": "\x7fOla", "substitute_email": "ola@ntnu.no"}
    )

    assert form.errors == {"substitute_name": [MESSAGE]}


def test_registering_on_behalf_refuses_such_a_name_and_affiliation():
    event = EventFactory()
    RegistrationTypeFactory(event=event)

    form = OnBehalfForm(
        {"email": "eve@example.org", "name": "\x00Eve", "affiliation": "K\x1fTH"},
        event=event,
    )

    assert form.errors["name"] == ["Null characters are not allowed.", MESSAGE]
    assert form.errors["affiliation"] == [MESSAGE]


def test_inviting_one_person_refuses_such_a_name():
    form = InviteOneForm(
        {"name": "Anna\u0085Jensen", "email": "anna@dtu.dk", "institution": "DTU"}
    )

    assert form.errors == {"name": [MESSAGE]}


def test_importing_invitees_names_each_line_with_a_control_character():
    event = EventFactory()
    kind = RegistrationTypeFactory(event=event, name="Delegate")
    text = (
        "Sigrid Berg, sigrid@kth.se, KTH\n"
        "\x01=HYPERLINK(1), eve@example.org, KTH\n"
        "Ola Nordmann, ola@ntnu.no, NTNU\x1b[31m\n"
        '"Anna\nJensen", anna@dtu.dk, DTU\n'
    )

    rows, errors = parse_invitees(text, types=[kind], default_type=kind)

    assert errors == [
        "Line 2: the name holds an invisible control character.",
        "Line 3: the institution holds an invisible control character.",
    ]
    # A cell wrapped over lines in a spreadsheet is one name.
    assert [row.name for row in rows] == ["Sigrid Berg", "Anna Jensen"]


def test_question_editor_refuses_controls_in_labels_and_choices():
    event = EventFactory()
    data = {
        "label": "Diet\x01",
        "help_text": "Tell us, please",
        "kind": Question.Kind.SINGLE_CHOICE,
        "position": 1,
        "choices_text": "Vegan\nHalal\x02",
    }

    form = QuestionForm(data, instance=Question(event=event))

    assert form.errors == {"label": [MESSAGE], "choices_text": [MESSAGE]}
