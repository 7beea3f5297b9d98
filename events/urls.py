from django.urls import path

from . import feeds, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("events.ics", feeds.all_events_feed, name="all_events_feed"),
    path("events/<slug:slug>/", views.event_detail, name="detail"),
    path("events/<slug:slug>/schedule/", views.schedule, name="schedule"),
    path("events/<slug:slug>/schedule.ics", feeds.schedule_feed, name="schedule_feed"),
    path(
        "events/<slug:slug>/sessions/<uuid:session_uuid>/",
        views.session_detail,
        name="session",
    ),
    path(
        "events/<slug:slug>/sessions/<uuid:session_uuid>.ics",
        feeds.session_feed,
        name="session_feed",
    ),
]
