import pytest
from bs4 import BeautifulSoup

from events.models import Event
from registrations.models import Answer, Registration
from registrations.services.questions import create_default_questions
from tests.factories import EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _register(
    event, name, *, consent, organisation="", status="confirmed", affiliation=""
):
    registration = RegistrationFactory(
        event=event,
        attendee=UserFactory(name=name, affiliation=affiliation),
        status=status,
    )
    questions = {q.key: q for q in event.questions.all()}
    if consent is not None:
        Answer.objects.create(
            registration=registration,
            question=questions["participant_list_consent"],
            value=consent,
        )
    if organisation:
        Answer.objects.create(
            registration=registration,
            question=questions["organisation"],
            value=organisation,
        )
    return registration


def _rows(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        [cell.get_text(strip=True) for cell in row.find_all("td")]
        for row in soup.select("table.participants tbody tr")
    ]


@pytest.fixture
def forum():
    event = EventFactory(slug="spring-forum", participant_list_public=True)
    create_default_questions(event)
    return event


def test_participant_list_shows_only_consenting_confirmed_people(client, forum):
    _register(
        forum, "Ada <b>Lovelace</b>", consent=True, organisation="Aalto University"
    )
    _register(forum, "Björn Borg", consent=True, affiliation="KTH")
    _register(forum, "No Consent", consent=False, organisation="Hidden Uni")
    _register(forum, "Never Asked", consent=None)
    _register(forum, "Waiting Person", consent=True, status="waitlisted")
    _register(forum, "Gone Person", consent=True, status="cancelled")

    response = client.get("/events/spring-forum/participants/")

    assert response.status_code == 200
    assert _rows(response) == [
        ["Ada <b>Lovelace</b>", "Aalto University"],
        ["Björn Borg", "KTH"],
    ]
    assert b"Ada &lt;b&gt;Lovelace&lt;/b&gt;" in response.content


def test_participant_list_is_404_unless_the_event_publishes_it(client, forum):
    Event.objects.filter(pk=forum.pk).update(participant_list_public=False)

    assert client.get("/events/spring-forum/participants/").status_code == 404


def test_participant_list_is_404_for_a_draft_event(client, forum):
    Event.objects.filter(pk=forum.pk).update(status=Event.Status.DRAFT)

    assert client.get("/events/spring-forum/participants/").status_code == 404


@pytest.mark.parametrize("people", [1, 3])
def test_participant_list_queries_do_not_grow_with_people(
    client, forum, people, django_assert_num_queries
):
    for n in range(people):
        _register(forum, f"Person {n}", consent=True)

    # event, registrations, organisation answers (+ session/messages lookups: none).
    with django_assert_num_queries(3):
        response = client.get("/events/spring-forum/participants/")

    assert len(_rows(response)) == people
    assert Registration.objects.filter(event=forum).count() == people
