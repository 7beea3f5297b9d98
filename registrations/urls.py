from django.urls import path

from . import feeds, invitation_views, participant_views, views

app_name = "registrations"

urlpatterns = [
    path("events/<slug:slug>/register/", views.register, name="register"),
    path(
        "events/<slug:slug>/participants/",
        participant_views.participant_list,
        name="participants",
    ),
    path(
        "events/<slug:slug>/sessions/<uuid:session_uuid>/seat/",
        views.session_seat,
        name="seat",
    ),
    path(
        "events/<slug:slug>/sessions/<uuid:session_uuid>/bookmark/",
        views.bookmark,
        name="bookmark",
    ),
    path("registrations/", views.my_registrations, name="mine"),
    path("registrations/<str:token>/", views.manage, name="manage"),
    path("invitations/<str:token>/", invitation_views.invitation, name="invitation"),
    path("calendar/", feeds.personal_calendar_page, name="personal_calendar"),
    path("calendar/<str:token>.ics", feeds.personal_feed, name="personal_feed"),
]
