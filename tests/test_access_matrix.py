"""Every URL, asked by every kind of person, answers as the access policy says.

The test walks the whole URLconf (the admin's generated pages included) and asks
each organiser URL, with the ids of one event's rows filled in, as: a superuser,
that event's owner, editor and check-in staff, the owner of another event, an
attendee of the event, and an anonymous visitor. Each answer is checked against
the table below. Public pages are asked by the attendee and the anonymous visitor
and must not fail. A URL pattern missing from the tables fails the test by name:
whoever adds a page says here who may open it.

Answers: a status code, "login" for a redirect to a login page, or "organise" for
a redirect to the organiser area. The admin is for superusers; in the organiser
area, events one does not organise do not exist (404) and pages one's role does
not allow are 403.
"""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from events import services as schedule
from events.models import Event, ScheduleChange
from meetings.models import (
    Meeting,
    MeetingBlock,
    MeetingRequest,
    MeetingSettings,
    Network,
    Profile,
    Table,
)
from meetings.services.network_members import add_member
from meetings.services.networks import save_network
from notifications.models import Broadcast, Message, ScheduleDigest
from registrations.models import BulkOperation, PersonalCalendar
from registrations.services import door, door_setup
from tests.conftest import MfaVerifiedClient
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    InvitationFactory,
    QuestionFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    SessionFactory,
    SessionSeatFactory,
    SpeakerFactory,
    TrackFactory,
    UserFactory,
)

# The admin's app index lists every app label in its pattern, in registration order.
APP_INDEX = "admin/^(?P<app_label>...)/$"

ROLES = ["superuser", "owner", "editor", "door", "other", "attendee", "anonymous"]

# Organiser pages. Columns: superuser, the event's owner, editor and check-in
# staff ("door"), another event's owner, an attendee, anonymous.
ORGANISER_AREA = {
    "organise/": "200 200 200 200 200 403 login",
    "organise/<slug:event>/": "200 200 200 200 404 404 login",
    "organise/<slug:event>/check-in/": "200 200 200 200 404 404 login",
    # the door: check-in staff scan on every list; a paired phone only on its own
    # (tests/organise/test_door_devices.py)
    "organise/<slug:event>/check-in/<int:list_id>/": "200 200 200 200 404 404 login",
    "organise/<slug:event>/check-in/<int:list_id>/roster/": (
        "200 200 200 200 404 404 login"
    ),
    "organise/<slug:event>/check-in/<int:list_id>/scans/": (
        "405 405 405 405 404 404 login"  # POST only
    ),
    "organise/<slug:event>/check-in/lists/": "200 200 200 200 404 404 login",
    "organise/<slug:event>/check-in/duplicates/": "200 200 200 200 404 404 login",
    # which lists there are and what their verdicts show: owners
    "organise/<slug:event>/check-in/lists/new/": "200 200 403 403 404 404 login",
    "organise/<slug:event>/check-in/<int:list_id>/edit/": (
        "200 200 403 403 404 404 login"
    ),
    # pairing phones and registering walk-ins: owners and editors
    "organise/<slug:event>/check-in/<int:list_id>/devices/": (
        "200 200 200 403 404 404 login"
    ),
    "organise/<slug:event>/check-in/devices/<int:device_id>/": (
        "200 200 200 403 404 404 login"
    ),
    "organise/<slug:event>/check-in/walk-in/": "200 200 200 403 404 404 login",
    # registrations: check-in staff read the lists and exports
    "organise/<slug:event>/registrations/": "200 200 200 200 404 404 login",
    "organise/<slug:event>/registrations/export.<str:file_format>": (
        "200 200 200 200 404 404 login"
    ),
    "organise/<slug:event>/registrations/<int:registration>/": (
        "200 200 200 200 404 404 login"
    ),
    # badges: the sheets for those who read the lists, one badge for the door
    "organise/<slug:event>/registrations/badges/": "200 200 200 200 404 404 login",
    "organise/<slug:event>/registrations/badges.pdf": (
        "400 400 400 400 404 404 login"  # asked with no choice of whom or sheet
    ),
    "organise/<slug:event>/registrations/<int:registration>/badge.pdf": (
        "200 200 200 200 404 404 login"
    ),
    # POST only: a GET is refused before anything else is asked.
    "organise/<slug:event>/registrations/<int:registration>/sort-name/": (
        "405 405 405 405 405 405 405"
    ),
    # acting on people: owners and editors (an action named by nobody: 400)
    "organise/<slug:event>/registrations/new/": "200 200 200 403 404 404 login",
    "organise/<slug:event>/registrations/actions/": "400 400 400 403 404 404 login",
    "organise/<slug:event>/registrations/actions/<int:operation>/": (
        "200 200 200 403 404 404 login"
    ),
    # invitations: not the door's business
    "organise/<slug:event>/invitations/": "200 200 200 403 404 404 login",
    "organise/<slug:event>/invitations/new/": "200 200 200 403 404 404 login",
    "organise/<slug:event>/invitations/actions/": "400 400 400 403 404 404 login",
    "organise/<slug:event>/invitations/news/": "405 405 405 403 404 404 login",
    # The admin's old organiser pages: a redirect to their place for those with a
    # role in the event (the page there checks the role as usual).
    **dict.fromkeys(
        [
            "admin/registrations/registration/summary/<int:event_id>/",
            "admin/registrations/registration/session/<int:event_id>/<int:session_id>/",
            "admin/registrations/registration/export/<int:event_id>/<str:file_format>/",
            "admin/registrations/registration/checkin/<int:event_id>/",
            "admin/registrations/registration/register/<int:event_id>/",
            "admin/registrations/invitation/invite/<int:event_id>/",
        ],
        "302 302 302 302 404 404 login",
    ),
    # creating events: owners (of any event) create more
    "organise/new/": "200 200 403 403 200 403 login",
    # the programme: everyone in the team reads it, editors change it
    **dict.fromkeys(
        [
            f"organise/<slug:event>/{page}"
            for page in ["sessions/", "rooms/", "tracks/", "speakers/", "changes/"]
        ],
        "200 200 200 200 404 404 login",
    ),
    **dict.fromkeys(
        [
            f"organise/<slug:event>/{page}"
            for page in [
                "sessions/new/",
                "sessions/<int:session_id>/",
                "sessions/<int:session_id>/status/",
                "rooms/new/",
                "rooms/<int:room_id>/",
                "venues/new/",
                "venues/<int:venue_id>/",
                "tracks/new/",
                "tracks/<int:track_id>/",
                "tracks/<int:track_id>/delete/",
                "speakers/new/",
                "speakers/<int:speaker_id>/",
                "speakers/<int:speaker_id>/delete/",
            ]
        ],
        "200 200 200 403 404 404 login",
    ),
    # the timetable editor: owners and editors (a GET of a POST-only action: 405)
    "organise/<slug:event>/schedule/": "200 200 200 403 404 404 login",
    "organise/<slug:event>/schedule/draft/": "200 200 200 403 404 404 login",
    "organise/<slug:event>/schedule/sessions/<int:session_id>/": (
        "200 200 200 403 404 404 login"
    ),
    **dict.fromkeys(
        [
            f"organise/<slug:event>/{page}"
            for page in [
                "schedule/undo/",
                "schedule/told/",
                "schedule/sessions/<int:session_id>/check/",
                "schedule/sessions/<int:session_id>/move/",
                "schedule/sessions/<int:session_id>/tray/",
            ]
        ],
        "405 405 405 405 405 405 405",
    ),
    # the event's settings and its team: owners only
    "organise/<slug:event>/settings/": "302 302 403 403 404 404 login",
    **dict.fromkeys(
        [
            f"organise/<slug:event>/{page}"
            for page in [
                "settings/<slug:step>/",
                "settings/preview/",
                "settings/types/new/",
                "settings/types/<int:type_id>/",
                "settings/types/<int:type_id>/delete/",
                "settings/questions/new/",
                "settings/questions/<int:question_id>/",
                "settings/questions/<int:question_id>/delete/",
                "team/",
                "team/<int:organiser_id>/",
                "team/<int:organiser_id>/remove/",
            ]
        ],
        "200 200 403 403 404 404 login",
    ),
    "organise/<slug:event>/messages/": "200 200 200 403 404 404 login",
    "organise/<slug:event>/messages/new/": "200 200 200 403 404 404 login",
    "organise/<slug:event>/messages/count/": "200 200 200 403 404 404 login",
    "organise/<slug:event>/messages/<int:broadcast>/": (
        "200 200 200 403 404 404 login"
    ),
    "organise/<slug:event>/messages/<int:broadcast>/preview.html": (
        "200 200 200 403 404 404 login"
    ),
    "organise/<slug:event>/messages/<int:broadcast>/send/": (
        "200 200 200 403 404 404 login"  # GET only asks; nothing is sent
    ),
    "organise/<slug:event>/messages/<int:broadcast>/progress/": (
        "302 302 302 403 404 404 login"  # without htmx: on to the whole page
    ),
    # POST only: a GET is refused before anything else is asked.
    "organise/<slug:event>/messages/<int:broadcast>/test/": (
        "405 405 405 405 405 405 405"
    ),
    "organise/<slug:event>/messages/<int:broadcast>/retry/": (
        "405 405 405 405 405 405 405"
    ),
    "organise/<slug:event>/registrations/<int:registration>/note/": (
        "405 405 405 405 405 405 405"
    ),
    # one-to-one meetings: the team follows them, editors set blocks and tables,
    # owners the settings
    **dict.fromkeys(
        [f"organise/<slug:event>/meetings/{page}" for page in ["", "map/", "report/"]],
        "200 200 200 200 404 404 login",
    ),
    "organise/<slug:event>/meetings/nudge/": "200 200 200 403 404 404 login",
    **dict.fromkeys(
        [
            f"organise/<slug:event>/meetings/{page}"
            for page in [
                "setup/",
                "blocks/new/",
                "blocks/<int:block_id>/",
                "blocks/<int:block_id>/delete/",
                "tables/new/",
                "tables/<int:table_id>/",
                "tables/<int:table_id>/delete/",
            ]
        ],
        "200 200 200 403 404 404 login",
    ),
    "organise/<slug:event>/meetings/<uuid:meeting_uuid>/move/": (
        "200 200 200 403 404 404 login"
    ),
    "organise/<slug:event>/meetings/settings/": "200 200 403 403 404 404 login",
    # networks: editors and owners manage them; the door has no part in them
    **dict.fromkeys(
        [
            f"organise/<slug:event>/meetings/networks/{page}"
            for page in [
                "",
                "new/",
                "<int:network_id>/",
                "<int:network_id>/edit/",
                "<int:network_id>/cancel/",
                "<int:network_id>/delete/",
            ]
        ],
        "200 200 200 403 404 404 login",
    ),
    **dict.fromkeys(
        [
            f"organise/<slug:event>/meetings/networks/<int:network_id>/{page}"
            for page in [
                "members/",
                "members/<int:member_id>/remove/",
                "requests/<int:member_id>/",
                "restore/",
            ]
        ],
        "405 405 405 403 404 404 login",  # POST only, after the role is checked
    ),
    "organise/<slug:event>/meetings/limits/": "200 200 403 403 404 404 login",
}

# The admin: superusers only. Everyone else with a role in some event is sent to
# the organiser area ("organise"), other people signed in are refused, and
# anonymous visitors asked to sign in. Each route gives the superuser's answer.
NOT_SUPERUSER = "organise organise organise organise 403 login"
ADMIN_FOR_SUPERUSERS = {
    "admin/": "200",
    "admin/password_change/": "200",
    "admin/password_change/done/": "200",
    "admin/autocomplete/": "403",
    "admin/jsi18n/": "200",
    "admin/r/<path:content_type_id>/<path:object_id>/": "302",  # view on site
    APP_INDEX: "200",
    "admin/(?P<url>.*)$": "404",
    "admin/accounts/user/<id>/password/": "200",
    **{
        f"admin/{model}/{page}": code
        for model in [
            "auth/group",
            "account/emailaddress",
            "socialaccount/socialapp",
            "socialaccount/socialtoken",
            "socialaccount/socialaccount",
            "accounts/user",
            "mfa/authenticator",
            "events/venue",
            "events/room",
            "events/event",
            "events/session",
            "events/speaker",
            "events/schedulechange",
            "registrations/registration",
            "registrations/invitation",
            "notifications/message",
            "notifications/broadcast",
            "notifications/scheduledigest",
        ]
        for page, code in {
            "": "200",
            "add/": "200",
            "<path:object_id>/history/": "200",
            "<path:object_id>/delete/": "200",
            "<path:object_id>/change/": "200",
            "<path:object_id>/": "302",  # the admin's old address of a row
        }.items()
    },
    # Rows that are written by services only: nobody adds or deletes them here.
    **dict.fromkeys(
        [
            f"admin/{model}/{page}"
            for model in [
                "events/schedulechange",
                "registrations/registration",
                "registrations/invitation",
                "notifications/message",
                "notifications/scheduledigest",
            ]
            for page in ["add/", "<path:object_id>/delete/"]
        ]
        + [
            f"admin/{model}/<path:object_id>/delete/"
            for model in [
                "events/venue",
                "events/room",
                "events/event",
                "events/session",
                "notifications/broadcast",
            ]
        ],
        "403",
    ),
    # Nobody adds a second factor for someone else.
    "admin/mfa/authenticator/add/": "403",
}

ORGANISER = {
    **ORGANISER_AREA,
    # The admin's login is allauth's (rate limits, second factor); signed-in
    # organisers are sent on to the organiser area, others to the front page.
    "admin/login/": "302 organise organise organise organise 302 login",
    "admin/logout/": "307 307 307 307 307 307 307",  # on to allauth's logout
    **{
        route: f"{code} {NOT_SUPERUSER}" for route, code in ADMIN_FOR_SUPERUSERS.items()
    },
}

# Pages for attendees and the public: they decide by token, sign-in or the event's
# own state, not by organiser role. Asked by the attendee and anonymously.
PUBLIC = {
    "healthz",
    "i18n/setlang/",
    "accounts/profile/",
    "accounts/login/",
    "accounts/2fa/",
    "accounts/2fa/authenticate/",
    "accounts/2fa/reauthenticate/",
    "accounts/2fa/totp/activate/",
    "accounts/2fa/totp/deactivate/",
    "accounts/2fa/recovery-codes/",
    "accounts/2fa/recovery-codes/generate/",
    "accounts/2fa/recovery-codes/download/",
    "accounts/logout/",
    "accounts/inactive/",
    "accounts/signup/",
    "accounts/reauthenticate/",
    "accounts/reauthenticate/code/",
    "accounts/reauthenticate/code/confirm/",
    "accounts/email/",
    "accounts/confirm-email/",
    "accounts/password/change/",
    "accounts/password/set/",
    "accounts/password/reset/",
    "accounts/login/code/confirm/",
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$",
    "accounts/password/reset/key/done/",
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
    "accounts/password/reset/done/",
    "accounts/login/code/",
    "accounts/3rdparty/login/cancelled/",
    "accounts/3rdparty/login/error/",
    "accounts/3rdparty/signup/",
    "accounts/3rdparty/",
    "accounts/social/login/cancelled/",
    "accounts/social/login/error/",
    "accounts/social/signup/",
    "accounts/social/connections/",
    "events/<slug:slug>/register/",
    "events/<slug:slug>/participants/",
    "events/<slug:slug>/sessions/<uuid:session_uuid>/seat/",
    "events/<slug:slug>/sessions/<uuid:session_uuid>/bookmark/",
    "registrations/",
    "registrations/<str:token>/",
    "invitations/<str:token>/",
    "calendar/",
    "calendar/<str:token>.ics",
    "",
    "events.ics",
    "events/<slug:slug>/",
    "events/<slug:slug>/schedule/",
    "events/<slug:slug>/schedule.ics",
    "events/<slug:slug>/sessions/<uuid:session_uuid>/",
    "events/<slug:slug>/sessions/<uuid:session_uuid>.ics",
    "registrations/<str:token>/cancel/",
    "registrations/<str:token>/answers/",
    "registrations/<str:token>/sessions/",
    "registrations/schedule/",
    "organise/pair/<str:token>/",  # a paired phone's secret link
    "organise/door-worker.js",  # the door's service worker: a script, no data
    # meetings between participants: confirmed participants who opted in
    # (tests/meetings/test_views.py)
    "events/<slug:slug>/meetings/",
    "events/<slug:slug>/meetings/profile/",
    "events/<slug:slug>/meetings/people/",
    "events/<slug:slug>/meetings/people/<int:profile_id>/request/",
    "events/<slug:slug>/meetings/requests/<int:request_id>/answer/",
    "events/<slug:slug>/meetings/requests/<int:request_id>/withdraw/",
    "events/<slug:slug>/meetings/<uuid:meeting_uuid>/cancel/",
    # networks: a participant's own (tests/meetings/test_network_views.py)
    "events/<slug:slug>/meetings/networks/",
    "events/<slug:slug>/meetings/networks/<int:network_id>/answer/",
    "events/<slug:slug>/meetings/networks/<int:network_id>/join/",
    "events/<slug:slug>/meetings/<uuid:meeting_uuid>/met/",
    "events/<slug:slug>/meetings/sheet/",
    "events/<slug:slug>/meetings/at/<str:token>/",  # a table's QR code
}

# Routes written as regular expressions, and what to ask for them.
REGEX_PATHS = {
    APP_INDEX: "/admin/events/",
    "admin/(?P<url>.*)$": "/admin/nowhere/",
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": "/accounts/confirm-email/nokey/",
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
        "/accounts/password/reset/key/1-nokey/"
    ),
}


def routes(patterns=None, prefix=""):
    """Every URL pattern's full route, as written, depth first."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield re.sub(
                r"\(\?P<app_label>[\w|]+\)",
                "(?P<app_label>...)",
                prefix + str(entry.pattern),
            )


def test_every_url_pattern_is_classified():
    known = ORGANISER.keys() | PUBLIC
    unknown = [route for route in routes() if route not in known]
    gone = sorted(known - set(routes()))

    assert unknown == [], f"add these URL patterns to {__name__}: {unknown}"
    assert gone == [], f"these URL patterns no longer exist: {gone}"
    assert not ORGANISER.keys() & PUBLIC
    assert all(len(codes.split()) == len(ROLES) for codes in ORGANISER.values())


# --- the world ------------------------------------------------------------------------


def _meeting(registration, block, table) -> Meeting:
    """The attendee's meeting with another participant, at the table."""
    other = RegistrationFactory(
        event=block.event, registration_type=registration.registration_type
    )
    mine, theirs = (
        Profile.objects.create(registration=r, opted_in=True)
        for r in (registration, other)
    )
    request = MeetingRequest.objects.create(
        requester=mine,
        recipient=theirs,
        block=block,
        slot_start=block.starts_at,
        expires_at=block.starts_at,
        status=MeetingRequest.Status.ACCEPTED,
    )
    return Meeting.objects.create(
        request=request,
        table=table,
        starts_at=block.starts_at,
        ends_at=block.starts_at + block.slot_length,
    )


def build_world() -> dict:
    """One event with a row of every kind, its organisers, an attendee; another
    event with its owner."""
    event = EventFactory(title="Spring Forum")
    other = EventFactory(title="Nordic Five")
    people = {
        "superuser": UserFactory(is_staff=True, is_superuser=True),
        "owner": EventOrganiserFactory(event=event, role="owner").user,
        "editor": EventOrganiserFactory(event=event, role="editor").user,
        "door": EventOrganiserFactory(event=event, role="checkin").user,
        "other": EventOrganiserFactory(event=other, role="owner").user,
    }
    session = SessionFactory(event=event, capacity=20)
    track = TrackFactory(event=event)
    speaker = SpeakerFactory(event=event)
    registration_type = RegistrationTypeFactory(event=event)
    question = QuestionFactory(event=event)
    registration = RegistrationFactory(event=event, registration_type=registration_type)
    people["attendee"] = registration.attendee
    SessionSeatFactory(registration=registration, session=session)
    invitation = InvitationFactory(event=event, registration_type=registration_type)
    checkin_list = door.main_list(event)
    device = door_setup.add_device(checkin_list=checkin_list, name="Door phone")
    schedule.update_session(session=session, title="Opening keynote")
    # one in the editor's tray, with no time yet (not public)
    schedule.create_unplaced_session(event=event, title="Waiting workshop", length=30)
    MeetingSettings.objects.create(event=event, enabled=True)
    block = MeetingBlock.objects.create(
        event=event,
        starts_at=event.starts_at,
        ends_at=event.starts_at + timedelta(hours=1),
    )
    table = Table.objects.create(event=event, name="Table 1")
    network = save_network(
        event=event,
        name="Mobility coordinators",
        session=session,
        join_policy=Network.JoinPolicy.REQUEST,
    )
    member = add_member(network=network, registration=registration)
    meeting = _meeting(registration, block, table)
    people["attendee"].emailaddress_set.create(
        email=people["attendee"].email, verified=True, primary=True
    )
    app = SocialApp.objects.create(provider="openid_connect", name="Uni", client_id="x")
    account = SocialAccount.objects.create(
        user=UserFactory(), provider="openid_connect", uid="1"
    )
    objects = {
        "events.venue": event.venue,
        "events.room": session.room,
        "events.event": event,
        "events.session": session,
        "events.speaker": speaker,
        "events.schedulechange": ScheduleChange.objects.filter(event=event).first(),
        "registrations.registration": registration,
        "registrations.invitation": invitation,
        "notifications.message": Message.objects.create(
            event=event, key="k", kind="confirmed", to_email="a@example.org"
        ),
        "notifications.broadcast": Broadcast.objects.create(
            event=event, author=people["owner"], subject="Hi", body="Hello"
        ),
        "notifications.scheduledigest": ScheduleDigest.objects.get_or_create(
            event=event, defaults={"due_at": timezone.now() + timedelta(hours=1)}
        )[0],
        "auth.group": Group.objects.create(name="Helpers"),
        "account.emailaddress": EmailAddress.objects.get(user=people["attendee"]),
        "socialaccount.socialapp": app,
        "socialaccount.socialaccount": account,
        "socialaccount.socialtoken": SocialToken.objects.create(
            app=app, account=account, token="t"
        ),
        "accounts.user": people["attendee"],
        "mfa.authenticator": Authenticator.objects.create(
            user=people["superuser"], type=Authenticator.Type.TOTP, data={}
        ),
    }
    tokens = {
        "registrations/": registration.manage_token,
        "invitations/": invitation.token,
        "calendar/": PersonalCalendar.objects.create(user=people["attendee"]).token,
        "organise/pair/": device.token,
        "events/": table.token,  # a table's QR code
    }
    return {
        "people": people,
        "objects": objects,
        "values": {
            "event_id": event.pk,
            "session_id": session.pk,
            "file_format": "csv",
            "id": people["attendee"].pk,
            "content_type_id": ContentType.objects.get_for_model(Event).pk,
            "slug": event.slug,
            "event": event.slug,
            "session_uuid": session.uuid,
            "registration": registration.pk,
            "operation": BulkOperation.objects.create(
                event=event, kind="cancel", target_ids=[registration.pk], total=1
            ).pk,
            "room_id": session.room_id,
            "venue_id": event.venue_id,
            "track_id": track.pk,
            "speaker_id": speaker.pk,
            "type_id": registration_type.pk,
            "question_id": question.pk,
            "organiser_id": event.organisers.get(user=people["door"]).pk,
            "step": "basics",
            "broadcast": objects["notifications.broadcast"].pk,
            "list_id": checkin_list.pk,
            "device_id": device.pk,
            "block_id": block.pk,
            "table_id": table.pk,
            "network_id": network.pk,
            "member_id": member.pk,
            "profile_id": 1,
            "request_id": 1,
            "meeting_uuid": meeting.uuid,
        },
        "tokens": tokens,
    }


def concrete_path(route: str, world: dict) -> str:
    if route in REGEX_PATHS:
        return REGEX_PATHS[route]

    def fill(match):
        name = match.group(1)
        if name == "token":
            return world["tokens"][route.split("<")[0]]
        if name == "object_id" and route.startswith("admin/r/"):
            return str(world["values"]["event_id"])
        if name == "object_id":
            app_label, model = route.split("/")[1:3]
            return str(world["objects"][f"{app_label}.{model}"].pk)
        return str(world["values"][name])

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", fill, route)


def answer(response) -> str:
    if response.status_code == 302 and response.url.split("?")[0] in {
        reverse("admin:login"),
        reverse("account_login"),
    }:
        return "login"
    if response.status_code == 302 and response.url == reverse("organise:index"):
        return "organise"
    return str(response.status_code)


def clients(world) -> dict[str, Client]:
    signed_in = {}
    for role in ROLES:
        signed_in[role] = MfaVerifiedClient(raise_request_exception=False)
        if role != "anonymous":
            signed_in[role].force_login(world["people"][role])
    return signed_in


@pytest.mark.django_db
def test_every_organiser_url_answers_each_person_as_the_policy_says():
    world = build_world()
    signed_in = clients(world)
    wrong = []
    for route, codes in ORGANISER.items():
        path = concrete_path(route, world)
        for role, expected in zip(ROLES, codes.split(), strict=True):
            got = answer(signed_in[role].get(path))
            if got != expected:
                wrong.append(f"{route} as {role}: {got}, expected {expected}")

    assert wrong == [], "\n".join(wrong)


@pytest.mark.django_db
def test_every_public_url_answers_without_failing():
    world = build_world()
    signed_in = clients(world)
    failed = []
    for route in sorted(PUBLIC):
        path = concrete_path(route, world)
        for role in ["attendee", "anonymous"]:
            status = signed_in[role].get(path).status_code
            if status >= 500:
                failed.append(f"{route} as {role}: {status}")

    assert failed == [], "\n".join(failed)
