from django.urls import path

from .views import attendance, hub, networks, people

app_name = "meetings"

urlpatterns = [
    path("events/<slug:slug>/meetings/", hub.hub, name="hub"),
    path("events/<slug:slug>/meetings/profile/", people.profile, name="profile"),
    path("events/<slug:slug>/meetings/people/", people.directory, name="directory"),
    path(
        "events/<slug:slug>/meetings/people/<int:profile_id>/request/",
        people.ask,
        name="request",
    ),
    path(
        "events/<slug:slug>/meetings/requests/<int:request_id>/answer/",
        hub.answer,
        name="answer",
    ),
    path(
        "events/<slug:slug>/meetings/requests/<int:request_id>/withdraw/",
        hub.withdraw_request,
        name="withdraw",
    ),
    path("events/<slug:slug>/meetings/networks/", networks.networks, name="networks"),
    path(
        "events/<slug:slug>/meetings/networks/<int:network_id>/answer/",
        networks.answer,
        name="network_answer",
    ),
    path(
        "events/<slug:slug>/meetings/networks/<int:network_id>/join/",
        networks.join,
        name="network_join",
    ),
    path(
        "events/<slug:slug>/meetings/<uuid:meeting_uuid>/cancel/",
        hub.cancel,
        name="cancel",
    ),
    path(
        "events/<slug:slug>/meetings/<uuid:meeting_uuid>/met/",
        attendance.met,
        name="met",
    ),
    path("events/<slug:slug>/meetings/sheet/", attendance.sheet, name="sheet"),
    path(
        "events/<slug:slug>/meetings/at/<str:token>/",
        attendance.arrive,
        name="arrive",
    ),
]
