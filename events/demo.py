# ruff: noqa: E501 - the programme tables read best one session per line
"""The two seed events with realistic programmes, for `manage.py load_demo`.

Everything is created through events.services so sequences and the change log are
right. Idempotent: an event whose slug exists is left as it is.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from . import services
from .demo_languages import translate_forum
from .models import Event, Room, Session, Speaker, Track, Venue

HELSINKI = ZoneInfo("Europe/Helsinki")
K = Session.Kind

FORUM_SLUG = "spring-forum"
N5T_SLUG = "n5t-annual-meeting"


def next_occurrence(held: date, *, today: date | None = None) -> date:
    """The same weekday as `held`, nearest to its day of the year, in the coming May."""
    today = today or timezone.localdate()
    year = today.year if today < date(today.year, 5, 1) else today.year + 1
    target = date(year, held.month, held.day)
    shift = (held.weekday() - target.weekday()) % 7
    if shift > 3:
        shift -= 7
    return target + timedelta(days=shift)


def at(day: date, clock: str) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=HELSINKI)


FORUM_ROOMS = [
    (
        "Kaleva auditorium",
        450,
        "Step-free access from the main entrance; induction loop.",
    ),
    ("Lumituuli", 120, "Step-free; induction loop."),
    ("Valtari", 80, "Step-free."),
    ("Sali 1", 60, "Step-free."),
    ("Sali 2", 40, "Lift from the lobby."),
    ("Tuuli meeting room", 30, "Lift from the lobby."),
    ("Dipoli lobby", 450, "Step-free."),
]

FORUM_TRACKS = [
    ("strategy", "Strategy & policy", "#1f6feb"),
    ("mobility", "Mobility & students", "#8250df"),
    ("networks", "Networks", "#1a7f37"),
    ("workshops", "Skills & workshops", "#bc4c00"),
]

FORUM_SPEAKERS = {
    "hl": ("Helena Laaksonen", "Finnish National Agency for Education (EDUFI)"),
    "mr": ("Markus Rinne", "Aalto University"),
    "ak": ("Anna Kivelä", "University of Helsinki"),
    "pj": ("Pekka Järvinen", "Ministry of Education and Culture"),
    "sn": ("Sara Nyström", "Åbo Akademi University"),
    "tv": ("Tuomas Vainio", "Tampere University"),
    "lh": ("Leena Hakala", "University of Oulu"),
    "jb": ("Johan Bergström", "Uppsala University"),
    "ie": ("Ingrid Eriksen", "University of Bergen"),
    "ms": ("Maria Santos", "University of Porto"),
    "kd": ("Klaus Dietrich", "European University Association"),
    "ep": ("Eeva Puustinen", "Metropolia University of Applied Sciences"),
    "rl": ("Riikka Lehto", "Finnish National Agency for Education (EDUFI)"),
    "am": ("Ahmed Mansour", "Finnish student union SAMOK"),
    "nv": ("Noora Virta", "University of Jyväskylä"),
    "ok": ("Olli Koskinen", "LUT University"),
}

# (day index, start, end, title, kind, room index, track slug, speakers, seats)
FORUM_PROGRAMME = [
    (0, "09:00", "10:00", "Registration and morning coffee", K.BREAK, 6, None, [], None),
    (0, "10:00", "10:30", "Opening of the Spring Forum", K.PLENARY, 0, "strategy", ["hl", "mr"], None),
    (0, "10:30", "11:30", "Keynote: Internationalisation at a crossroads", K.KEYNOTE, 0, "strategy", ["kd"], None),
    (0, "11:30", "12:30", "Lunch", K.BREAK, 6, None, [], None),
    (0, "12:30", "14:00", "National strategy 2030: from targets to practice", K.PANEL, 1, "strategy", ["pj", "ak", "tv"], None),
    (0, "12:30", "14:00", "Green mobility: travelling less, exchanging more", K.TALK, 2, "mobility", ["ie"], None),
    (0, "12:30", "14:00", "Recognition of prior learning across borders", K.TALK, 3, "mobility", ["ms"], None),
    (0, "12:30", "14:00", "Welcoming international staff: the first 100 days", K.TALK, 4, "strategy", ["nv"], None),
    (0, "14:00", "14:30", "Coffee", K.BREAK, 6, None, [], None),
    (0, "14:30", "16:00", "Network meeting: heads of international affairs", K.NETWORK_MEETING, 1, "networks", ["lh"], None),
    (0, "14:30", "16:00", "Network meeting: FINNIPS (Finnish universities' international partnerships)", K.NETWORK_MEETING, 2, "networks", ["sn"], None),
    (0, "14:30", "16:00", "Network meeting: mobility coordinators", K.NETWORK_MEETING, 3, "networks", ["rl"], None),
    (0, "14:30", "16:00", "Network meeting: universities of applied sciences' international network", K.NETWORK_MEETING, 4, "networks", ["ep"], None),
    (0, "16:15", "17:30", "Workshop: Designing blended intensive programmes", K.WORKSHOP, 4, "workshops", ["ms", "ok"], 40),
    (0, "16:15", "17:30", "Workshop: Intercultural communication for student services", K.WORKSHOP, 5, "workshops", ["nv"], 25),
    (0, "18:30", "21:00", "Evening reception hosted by Aalto University", K.SOCIAL, 6, None, ["mr"], None),
    (1, "09:00", "10:00", "Panel: Attracting and keeping international talent", K.PANEL, 0, "strategy", ["pj", "jb", "lh"], None),
    (1, "10:00", "10:30", "Coffee", K.BREAK, 6, None, [], None),
    (1, "10:30", "12:00", "European university alliances: lessons from the first wave", K.TALK, 1, "strategy", ["kd", "ie"], None),
    (1, "10:30", "12:00", "Digital tools for exchange: Erasmus Without Paper in practice", K.TALK, 2, "mobility", ["rl"], None),
    (1, "10:30", "12:00", "Student housing and the international student experience", K.PANEL, 3, "mobility", ["am", "tv"], None),
    (1, "10:30", "12:00", "Research collaboration with the Global South", K.TALK, 4, "strategy", ["ms"], None),
    (1, "12:00", "13:00", "Lunch", K.BREAK, 6, None, [], None),
    (1, "13:00", "14:30", "Workshop: Writing a strong partnership agreement", K.WORKSHOP, 4, "workshops", ["sn"], 30),
    (1, "13:00", "14:30", "Workshop: Data-informed internationalisation", K.WORKSHOP, 5, "workshops", ["ok"], 25),
    (1, "13:00", "14:30", "Workshop: Inclusive mobility for students with disabilities", K.WORKSHOP, 2, "workshops", ["ep", "am"], 40),
    (1, "13:00", "14:30", "Quality assurance of joint degrees", K.TALK, 1, "strategy", ["jb"], None),
    (1, "14:30", "15:00", "Coffee", K.BREAK, 6, None, [], None),
    (1, "15:00", "16:30", "Network meeting: Erasmus+ institutional coordinators", K.NETWORK_MEETING, 1, "networks", ["rl"], None),
    (1, "15:00", "16:30", "Network meeting: international student services", K.NETWORK_MEETING, 2, "networks", ["nv"], None),
    (1, "15:00", "16:30", "Network meeting: research and innovation officers", K.NETWORK_MEETING, 3, "networks", ["ak"], None),
    (1, "15:00", "16:30", "Network meeting: Team Finland Knowledge", K.NETWORK_MEETING, 4, "networks", ["hl"], None),
    (1, "16:45", "17:30", "Plenary: Voices of international students", K.PLENARY, 0, "mobility", ["am"], None),
    (2, "09:00", "10:30", "Ethical international recruitment", K.PANEL, 1, "strategy", ["tv", "ie"], None),
    (2, "09:00", "10:30", "Short-term mobility after the pandemic", K.TALK, 2, "mobility", ["lh"], None),
    (2, "09:00", "10:30", "Internationalisation at home: the curriculum as a passport", K.TALK, 3, "mobility", ["ak"], None),
    (2, "09:00", "10:30", "Workshop: Facilitating virtual exchange", K.WORKSHOP, 4, "workshops", ["ok"], 35),
    (2, "10:30", "11:00", "Coffee", K.BREAK, 6, None, [], None),
    (2, "11:00", "12:00", "Keynote: Universities in a divided world", K.KEYNOTE, 0, "strategy", ["jb"], None),
    (2, "12:00", "12:45", "Closing plenary and the way to the next Forum", K.PLENARY, 0, "strategy", ["hl", "mr"], None),
    (2, "12:45", "13:30", "Lunch and departures", K.BREAK, 6, None, [], None),
]  # fmt: skip

N5T_ROOMS = [
    ("Hall U1", 150, "Step-free; induction loop."),
    ("Presidents' meeting room", 20, "Step-free."),
    ("Hall U3", 60, "Step-free."),
    ("Restaurant Kipsari", 80, "Step-free."),
]

N5T_SPEAKERS = {
    "a": ("President of Aalto University", "Aalto University"),
    "d": ("President of DTU", "Technical University of Denmark"),
    "k": ("President of KTH", "KTH Royal Institute of Technology"),
    "n": ("Rector of NTNU", "Norwegian University of Science and Technology"),
    "c": ("President of Chalmers", "Chalmers University of Technology"),
}

N5T_PROGRAMME = [
    (0, "09:00", "09:30", "Welcome coffee", K.BREAK, 0, None, [], None),
    (0, "09:30", "12:00", "Presidents' meeting (closed)", K.PLENARY, 1, None, ["a", "d", "k", "n", "c"], None),
    (0, "12:00", "13:00", "Lunch", K.BREAK, 3, None, [], None),
    (0, "13:00", "14:30", "Dialogue: collaboration in education", K.PANEL, 0, None, ["k", "n"], None),
    (0, "14:45", "16:15", "Dialogue: mobility of students and staff", K.PANEL, 2, None, ["d", "c"], None),
    (0, "16:30", "17:30", "Dialogue: innovation and industry partnerships", K.PANEL, 0, None, ["a", "c"], None),
    (0, "19:00", "22:00", "Dinner", K.SOCIAL, 3, None, [], None),
    (1, "09:00", "11:30", "Annual meeting of the Nordic Five Tech alliance", K.PLENARY, 0, None, ["a", "d", "k", "n", "c"], None),
    (1, "11:30", "12:30", "Lunch", K.BREAK, 3, None, [], None),
    (1, "12:30", "14:00", "Dialogue: shared research infrastructures", K.PANEL, 0, None, ["n", "d"], None),
    (1, "14:00", "14:30", "Closing", K.PLENARY, 0, None, ["a"], None),
]  # fmt: skip

FORUM_DESCRIPTION = (
    "The Spring Forum gathers about 450 experts in the international affairs of "
    "Finnish higher education institutions: international services, mobility "
    "coordinators, researchers, leaders and students' representatives.\n\n"
    "Three days of plenaries, parallel sessions, meetings of the national networks "
    "and hands-on workshops, with an evening reception on the first day.\n\n"
    "Organised by the Finnish National Agency for Education (EDUFI) together with "
    "Aalto University."
)
N5T_DESCRIPTION = (
    "The annual meeting of the Nordic Five Tech alliance: Aalto University, "
    "Chalmers, DTU, KTH and NTNU. The presidents meet on the first morning; "
    "dialogue sessions on collaboration, mobility and innovation follow.\n\n"
    "Participation by invitation only."
)


def _venue(name, **fields) -> Venue:
    venue = Venue.objects.filter(name=name).first()
    return venue or services.save_venue(venue=Venue(name=name), **fields)


def _rooms(venue, rows) -> list[Room]:
    rooms = []
    for name, capacity, note in rows:
        room = Room.objects.filter(venue=venue, name=name).first()
        if room is None:
            room = services.save_room(
                room=Room(venue=venue), name=name, capacity=capacity,
                accessibility_note=note,
            )  # fmt: skip
        rooms.append(room)
    return rooms


def _programme(event, days, rooms, tracks, speakers, rows, organiser) -> None:
    for day, start, end, title, kind, room, track, who, seats in rows:
        services.create_session(
            event=event,
            actor=organiser,
            speakers=[speakers[key] for key in who],
            title=title,
            abstract=_abstract(title, kind),
            kind=kind,
            room=rooms[room],
            track=tracks.get(track),
            starts_at=at(days[day], start),
            ends_at=at(days[day], end),
            capacity=seats,
            signup_required=seats is not None,
        )


def _abstract(title: str, kind: str) -> str:
    if kind == K.BREAK:
        return ""
    if kind == K.WORKSHOP:
        return (
            f"A hands-on workshop: {title.split(': ', 1)[-1].lower()}. Bring a case "
            "from your own institution; seats are limited, so please sign up."
        )
    if kind == K.NETWORK_MEETING:
        return "The network's spring meeting: news from members, plans and elections."
    return (
        f"{title}. Perspectives from Finnish and European institutions, with time "
        "for questions from the floor."
    )


def _event(slug, days, fields, organiser) -> tuple[Event, bool]:
    existing = Event.objects.filter(slug=slug).first()
    if existing:
        return existing, False
    event = services.create_event(
        actor=organiser,
        slug=slug,
        starts_at=at(days[0], "09:00"),
        ends_at=at(days[-1], "22:00" if slug == N5T_SLUG else "13:30"),
        timezone="Europe/Helsinki",
        status=Event.Status.PUBLISHED,
        **fields,
    )
    return event, True


def _speakers(event, table) -> dict:
    return {
        key: services.save_speaker(
            speaker=Speaker(event=event), name=name, affiliation=affiliation
        )
        for key, (name, affiliation) in table.items()
    }


def load(*, as_held: bool = False, organiser=None) -> tuple[Event, Event]:
    """Create both demo events (when missing); returns (forum, n5t)."""
    if as_held:
        forum_days = [date(2023, 5, 3) + timedelta(days=n) for n in range(3)]
        n5t_days = [date(2023, 5, 23), date(2023, 5, 24)]
    else:
        first = next_occurrence(date(2023, 5, 3))
        forum_days = [first + timedelta(days=n) for n in range(3)]
        start = next_occurrence(date(2023, 5, 23))
        n5t_days = [start, start + timedelta(days=1)]

    dipoli = _venue(
        "Dipoli", address="Otakaari 24", city="Espoo", country="Finland",
        latitude="60.184700", longitude="24.832700",
        map_url="https://www.openstreetmap.org/?mlat=60.1847&mlon=24.8327",
    )  # fmt: skip
    main_building = _venue(
        "Aalto University main building", address="Otakaari 1", city="Espoo",
        country="Finland", latitude="60.185600", longitude="24.827300",
        map_url="https://www.openstreetmap.org/?mlat=60.1856&mlon=24.8273",
    )  # fmt: skip
    forum, created = _event(
        FORUM_SLUG,
        forum_days,
        {
            "title": "Spring Forum for Higher Education Institutions' International Issues",
            "summary": "Three days on the international affairs of Finnish higher "
            "education, at the Otaniemi campus.",
            "description": FORUM_DESCRIPTION,
            "venue": dipoli,
            "capacity": 450,
            "contact_email": "springforum@example.org",
            "website": "https://www.oph.fi/en",
            "registration_closes_at": at(forum_days[0] - timedelta(days=14), "23:59"),
            "modification_deadline": at(forum_days[0] - timedelta(days=7), "23:59"),
        },
        organiser,
    )
    if created:
        rooms = _rooms(dipoli, FORUM_ROOMS)
        tracks = {
            slug: services.save_track(
                track=Track(event=forum), slug=slug, name=name, colour=colour
            )
            for slug, name, colour in FORUM_TRACKS
        }
        speakers = _speakers(forum, FORUM_SPEAKERS)
        _programme(
            forum, forum_days, rooms, tracks, speakers, FORUM_PROGRAMME, organiser
        )
        translate_forum(forum, actor=organiser)

    n5t, created = _event(
        N5T_SLUG,
        n5t_days,
        {
            "title": "Nordic Five Tech Presidents' and Annual Meeting",
            "summary": "The presidents and the annual meeting of the Nordic Five "
            "Tech alliance. By invitation.",
            "description": N5T_DESCRIPTION,
            "venue": main_building,
            "capacity": 60,
            "visibility": Event.Visibility.INVITATION_ONLY,
            "contact_email": "n5t@example.org",
            "website": "https://www.nordicfivetech.org",
            "registration_closes_at": at(n5t_days[0] - timedelta(days=7), "23:59"),
        },
        organiser,
    )
    if created:
        rooms = _rooms(main_building, N5T_ROOMS)
        speakers = _speakers(n5t, N5T_SPEAKERS)
        _programme(n5t, n5t_days, rooms, {}, speakers, N5T_PROGRAMME, organiser)
    return forum, n5t
