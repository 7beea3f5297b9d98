"""Registration demo data for the two seed events: types, questions, invitations,
and a handful of attendees so organiser pages have something to show.

Called by the load_demo command after the events exist. Idempotent: every row is
looked up before it is made, and registrations go through the services.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from events.models import Event

from .models import Invitation, Registration, RegistrationType
from .services.invitations import invite
from .services.questions import (
    COUNTRY,
    DIETARY,
    ORGANISATION,
    PARTICIPANT_LIST_CONSENT,
    create_default_questions,
)
from .services.registering import register_attendee

PRIVACY_NOTICE = (
    "The organisers process your name, contact details and answers to run the "
    "event: badges, catering, participant lists (only with your consent) and "
    "messages about the programme. Dietary and accessibility answers are seen only "
    "by the organising team and are deleted three months after the event."
)

FORUM_TYPES = [
    ("Participant", "Staff of higher education institutions and partners.", None,
     "EUR 250 (invoice after the event)"),
    ("Presenter", "Speakers, panellists and workshop facilitators.", 80,
     "No fee"),
    ("Network coordinator", "Coordinators of the national networks meeting here.", 40,
     "EUR 150"),
]  # fmt: skip

N5T_TYPES = [
    ("President", "Presidents and rectors of the Nordic Five Tech universities."),
    ("Delegation member", "Vice presidents and directors accompanying a president."),
]

N5T_INVITEES = [
    ("President, Aalto University", "president@aalto.example.org", "Aalto University"),
    ("President, DTU", "president@dtu.example.org", "Technical University of Denmark"),
    (
        "President, KTH",
        "president@kth.example.org",
        "KTH Royal Institute of Technology",
    ),
    ("Rector, NTNU", "rector@ntnu.example.org", "NTNU"),
    ("President, Chalmers", "president@chalmers.example.org", "Chalmers"),
]

# (name, affiliation, listed on the participant list, dietary requirements)
FORUM_ATTENDEES = [
    ("Aino Virtanen", "University of Helsinki", True, ["Vegetarian"]),
    ("Mikko Korhonen", "Tampere University", True, []),
    ("Sofia Lindqvist", "Åbo Akademi University", True, ["Vegan", "Nut allergy"]),
    ("Jussi Mäkinen", "University of Oulu", False, []),
    ("Elina Nieminen", "Metropolia University of Applied Sciences", True, []),
    ("Oskar Berg", "Hanken School of Economics", True, ["Gluten-free"]),
    ("Laura Heikkinen", "University of Jyväskylä", False, ["Vegetarian"]),
    ("Ville Laine", "LUT University", True, []),
]


# Where the demo attendees come from (the country question), and the workshops
# some of them signed up for (by title), so the organisers' home has seats to show.
FORUM_COUNTRIES = {"Sofia Lindqvist": "SE", "Oskar Berg": "SE"}
FORUM_WORKSHOPS = {
    "Aino Virtanen": "Workshop: Designing blended intensive programmes",
    "Mikko Korhonen": "Workshop: Designing blended intensive programmes",
    "Sofia Lindqvist": "Workshop: Writing a strong partnership agreement",
    "Elina Nieminen": "Workshop: Inclusive mobility for students with disabilities",
    "Ville Laine": "Workshop: Data-informed internationalisation",
}


def _types(event, rows) -> dict[str, RegistrationType]:
    made = {}
    for position, row in enumerate(rows):
        name, description = row[0], row[1]
        quota = row[2] if len(row) > 2 else None
        fee = row[3] if len(row) > 3 else ""
        made[name], _created = RegistrationType.objects.get_or_create(
            event=event,
            name=name,
            defaults={
                "description": description,
                "quota": quota,
                "fee_note": fee,
                "position": position,
                "invitation_only": event.is_invitation_only,
            },
        )
    return made


def _person(email, name, affiliation):
    user, _created = get_user_model().objects.get_or_create(
        email=email, defaults={"name": name, "affiliation": affiliation}
    )
    return user


def load(*, forum: Event, n5t: Event, organiser=None) -> dict:
    """Add registration data to the two demo events; returns what it counted."""
    Event.objects.filter(pk__in=[forum.pk, n5t.pk], privacy_notice="").update(
        privacy_notice=PRIVACY_NOTICE
    )
    Event.objects.filter(pk=forum.pk).update(participant_list_public=True)
    forum.refresh_from_db()
    n5t.refresh_from_db()
    for event in (forum, n5t):
        create_default_questions(event)
    forum_types = _types(forum, FORUM_TYPES)
    n5t_types = _types(n5t, N5T_TYPES)

    if forum.ends_at <= timezone.now():  # loaded --as-held: nothing to register for
        return {"forum_registrations": 0, "n5t_invitations": 0}
    questions = {q.key: q for q in forum.questions.exclude(key="")}
    workshops = dict(
        forum.sessions.filter(signup_required=True).values_list("title", "pk")
    )
    for name, affiliation, listed, dietary in FORUM_ATTENDEES:
        answers = {
            questions[key]: value
            for key, value in (
                (ORGANISATION, affiliation),
                (COUNTRY, FORUM_COUNTRIES.get(name, "FI")),
                (PARTICIPANT_LIST_CONSENT, listed),
                (DIETARY, dietary),
            )
            if key in questions and value != []
        }
        workshop = workshops.get(FORUM_WORKSHOPS.get(name, ""))
        email = name.lower().replace(" ", ".").replace("ä", "a").replace("å", "a")
        person = _person(f"{email}@example.org", name, affiliation)
        if (
            not Registration.objects.live()
            .filter(event=forum, attendee=person)
            .exists()
        ):
            register_attendee(
                event=forum,
                attendee=person,
                registration_type=forum_types["Participant"],
                answers=answers,
                session_ids=[workshop] if workshop else (),
                privacy_accepted=True,
            )

    deadline = max(
        n5t.starts_at - timedelta(days=14), timezone.now() + timedelta(days=7)
    )
    for name, email, institution in N5T_INVITEES:
        if Invitation.objects.filter(event=n5t, email=email).exists():
            continue
        invite(
            event=n5t,
            email=email,
            name=name,
            institution=institution,
            registration_type=n5t_types["President"],
            rsvp_deadline=deadline,
            reserves_seat=True,
            actor=organiser,
        )
    return {
        "forum_registrations": Registration.objects.live().filter(event=forum).count(),
        "n5t_invitations": Invitation.objects.filter(event=n5t).count(),
    }
