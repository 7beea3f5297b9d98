from django.urls import path

from .views import (
    attendee,
    calendar,
    cancelling,
    invitations,
    managing,
    my_schedule,
    participants,
    seats,
)

app_name = "registrations"

urlpatterns = [
    path("events/<slug:slug>/register/", attendee.register, name="register"),
    path(
        "events/<slug:slug>/participants/",
        participants.participant_list,
        name="participants",
    ),
    path(
        "events/<slug:slug>/sessions/<uuid:session_uuid>/seat/",
        seats.session_seat,
        name="seat",
    ),
    path(
        "events/<slug:slug>/sessions/<uuid:session_uuid>/bookmark/",
        seats.bookmark,
        name="bookmark",
    ),
    path("registrations/", attendee.my_registrations, name="mine"),
    # Before the manage link's token route, which would take "schedule" as a token.
    path("registrations/schedule/", my_schedule.my_schedule_page, name="my_schedule"),
    path("registrations/<str:token>/", managing.manage, name="manage"),
    path(
        "registrations/<str:token>/answers/",
        managing.change_answers,
        name="change_answers",
    ),
    path(
        "registrations/<str:token>/sessions/",
        managing.change_sessions,
        name="change_sessions",
    ),
    path(
        "registrations/<str:token>/cancel/",
        cancelling.cancel_registration_page,
        name="cancel",
    ),
    path("invitations/<str:token>/", invitations.invitation, name="invitation"),
    path("calendar/", calendar.personal_calendar_page, name="personal_calendar"),
    path("calendar/<str:token>.ics", calendar.personal_feed, name="personal_feed"),
]
