"""Networks in the Spring Forum's demo: three, with members from a registration
answer, some added by hand, a request waiting, and some answers.

Two meet at their network-meeting sessions; one at a time and room of its own.
Idempotent: a forum that has networks already is left as it is.
"""

from datetime import timedelta

from events.demo import at
from events.models import Event, Room, Session
from registrations.models import Answer, Question, Registration

from .models import Network
from .services.network_members import add_member, reply, request_to_join
from .services.networks import save_network

QUESTION_KEY = "networks"
NETWORKS = [
    # name, session title (or None: its own time), joining, description
    ("Network of International Services",
     "Network meeting: international student services", Network.JoinPolicy.REQUEST,
     "Heads and staff of the universities' international services."),
    ("Mobility coordinators", "Network meeting: mobility coordinators",
     Network.JoinPolicy.CLOSED, "Coordinators of student and staff mobility."),
    ("Partnership officers", None, Network.JoinPolicy.OPEN,
     "Officers who build and follow international partnerships."),
]  # fmt: skip


def _question(forum: Event) -> Question:
    question, _created = Question.objects.get_or_create(
        event=forum,
        key=QUESTION_KEY,
        defaults={
            "label": "Which networks do you belong to?",
            "kind": Question.Kind.MULTIPLE_CHOICE,
            "choices": [name for name, *_rest in NETWORKS],
            "position": 90,
        },
    )
    return question


def _answers(question: Question, people: list[Registration]) -> None:
    """Every third person in the first network, every second in the second, and
    every fifth in the third; the rest answer nothing."""
    names = [name for name, *_rest in NETWORKS]
    for n, registration in enumerate(people):
        picked = [
            name for name, step in zip(names, (3, 2, 5), strict=True) if n % step == 0
        ]
        if picked:
            Answer.objects.update_or_create(
                registration=registration, question=question, defaults={"value": picked}
            )


def load(*, forum: Event) -> dict:
    if Network.objects.filter(event=forum).exists():
        return {"networks": Network.objects.filter(event=forum).count()}
    question = _question(forum)
    people = list(
        Registration.objects.filter(
            event=forum, status=Registration.Status.CONFIRMED
        ).order_by("pk")[:60]
    )
    _answers(question, people)
    own_day = forum.local_days()[-1]
    room = Room.objects.filter(sessions__event=forum).order_by("capacity").first()
    networks = []
    for name, title, policy, description in NETWORKS:
        session = Session.objects.filter(event=forum, title=title).first()
        own = {} if session else {
            "starts_at": at(own_day, "12:00"),
            "ends_at": at(own_day, "12:00") + timedelta(minutes=45),
            "room": room,
        }  # fmt: skip
        networks.append(
            save_network(
                event=forum,
                name=name,
                description=description,
                join_policy=policy,
                session=session,
                question=question,
                choice=name,
                **own,
            )  # fmt: skip
        )
    _by_hand_requests_and_replies(networks, people)
    return {"networks": len(networks)}


def _by_hand_requests_and_replies(networks: list[Network], people) -> None:
    services, mobility, _partners = networks
    if len(people) > 4:
        add_member(network=mobility, registration=people[1])
        request_to_join(network=services, registration=people[4])
    for network in networks:
        if not network.has_meeting:
            continue
        members = list(network.members.filter(status="member").order_by("pk"))
        for n, member in enumerate(members):
            if n % 3 != 2:  # a third have not answered yet
                reply(member=member, coming=n % 4 != 1)
