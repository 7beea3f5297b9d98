"""The Spring Forum's texts in Finnish and Swedish for the demo: its title and
summary, its tracks, some rooms and sessions. What is not here falls back to
English, as an organiser's half-translated event would."""

from . import services
from .models import Event, Room

FORUM_TEXTS = {
    "title": (
        "Korkeakoulujen kansainvälisten asioiden kevätpäivät",
        "Vårforum för högskolornas internationella frågor",
    ),
    "summary": (
        "Kolme päivää suomalaisen korkeakoulutuksen kansainvälisistä asioista "
        "Otaniemen kampuksella.",
        "Tre dagar om den finländska högskoleutbildningens internationella frågor "
        "på campus i Otnäs.",
    ),
}

TRACK_NAMES = {
    "strategy": ("Strategia ja politiikka", "Strategi och policy"),
    "mobility": ("Liikkuvuus ja opiskelijat", "Mobilitet och studerande"),
    "networks": ("Verkostot", "Nätverk"),
    "workshops": ("Taidot ja työpajat", "Färdigheter och workshoppar"),
}

ROOM_NAMES = {
    "Dipoli lobby": ("Dipolin aula", "Dipolis foajé"),
    "Tuuli meeting room": ("Kokoushuone Tuuli", "Mötesrummet Tuuli"),
}

SESSION_TITLES = {
    "Registration and morning coffee": (
        "Ilmoittautuminen ja aamukahvi",
        "Registrering och morgonkaffe",
    ),
    "Opening of the Spring Forum": ("Kevätpäivien avaus", "Öppningen av vårforumet"),
    "Keynote: Internationalisation at a crossroads": (
        "Pääpuheenvuoro: Kansainvälistyminen tienhaarassa",
        "Huvudtal: Internationaliseringen vid ett vägskäl",
    ),
    "Lunch": ("Lounas", "Lunch"),
    "Coffee": ("Kahvi", "Kaffe"),
    "National strategy 2030: from targets to practice": (
        "Kansallinen strategia 2030: tavoitteista käytäntöön",
        "Nationell strategi 2030: från mål till praktik",
    ),
    "Green mobility: travelling less, exchanging more": (
        "Vihreä liikkuvuus: vähemmän matkoja, enemmän vaihtoa",
        "Grön mobilitet: resa mindre, utbyta mer",
    ),
    "Evening reception hosted by Aalto University": (
        "Aalto-yliopiston iltavastaanotto",
        "Kvällsmottagning värd Aalto-universitetet",
    ),
}


def _pair(values: tuple[str, str], name: str) -> dict:
    return {f"{name}_fi": values[0], f"{name}_sv": values[1]}


def translate_forum(forum: Event, *, actor=None) -> None:
    """Write the Finnish and Swedish texts above onto the demo's forum."""
    fields: dict = {}
    for name, values in FORUM_TEXTS.items():
        fields |= _pair(values, name)
    services.update_event(event=forum, actor=actor, **fields)
    for track in forum.tracks.all():
        if track.slug in TRACK_NAMES:
            services.save_track(track=track, **_pair(TRACK_NAMES[track.slug], "name"))
    for room in Room.objects.filter(sessions__event=forum).distinct():
        if room.name_en in ROOM_NAMES:
            services.save_room(room=room, **_pair(ROOM_NAMES[room.name_en], "name"))
    for session in forum.sessions.all():
        if session.title_en in SESSION_TITLES:
            services.update_session(
                session=session,
                actor=actor,
                **_pair(SESSION_TITLES[session.title_en], "title"),
            )
