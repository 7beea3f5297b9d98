from django.urls import path

from .urls_meetings import urlpatterns as meeting_urls
from .urls_programme import urlpatterns as programme_urls
from .views import (
    badges,
    bulk,
    checkin,
    door_setup,
    events,
    invitations,
    messages,
    registrations,
)

app_name = "organise"

urlpatterns = [
    path("", events.index, name="index"),
    *programme_urls,  # before <slug:event>/: "new/" is a page, not an event
    path("<slug:event>/", events.home, name="home"),
    *meeting_urls,
    path("pair/<str:token>/", door_setup.pair, name="checkin_pair"),
    path("door-worker.js", checkin.worker, name="checkin_worker"),
    path("<slug:event>/check-in/", checkin.checkin, name="checkin"),
    path("<slug:event>/check-in/<int:list_id>/", checkin.checkin, name="checkin_list"),
    path(
        "<slug:event>/check-in/<int:list_id>/scans/",
        checkin.scans,
        name="checkin_scans",
    ),
    path(
        "<slug:event>/check-in/<int:list_id>/roster/",
        checkin.roster,
        name="checkin_roster",
    ),
    path(
        "<slug:event>/check-in/<int:list_id>/devices/",
        door_setup.device_index,
        name="checkin_devices",
    ),
    path(
        "<slug:event>/check-in/<int:list_id>/edit/",
        door_setup.list_edit,
        name="checkin_list_edit",
    ),
    path(
        "<slug:event>/check-in/devices/<int:device_id>/",
        door_setup.device_detail,
        name="checkin_device",
    ),
    path("<slug:event>/check-in/lists/", door_setup.list_index, name="checkin_lists"),
    path(
        "<slug:event>/check-in/lists/new/",
        door_setup.list_edit,
        name="checkin_list_new",
    ),
    path(
        "<slug:event>/check-in/duplicates/",
        door_setup.duplicates,
        name="checkin_duplicates",
    ),
    path(
        "<slug:event>/check-in/walk-in/",
        door_setup.walk_in,
        name="checkin_walk_in",
    ),
    path("<slug:event>/messages/", messages.index, name="messages"),
    path("<slug:event>/messages/new/", messages.compose, name="message_compose"),
    path("<slug:event>/messages/count/", messages.count, name="message_count"),
    path(
        "<slug:event>/messages/<int:broadcast>/",
        messages.broadcast_page,
        name="message",
    ),
    path(
        "<slug:event>/messages/<int:broadcast>/preview.html",
        messages.preview_html,
        name="message_preview_html",
    ),
    path(
        "<slug:event>/messages/<int:broadcast>/test/",
        messages.test_send,
        name="message_test",
    ),
    path(
        "<slug:event>/messages/<int:broadcast>/send/",
        messages.send,
        name="message_send",
    ),
    path(
        "<slug:event>/messages/<int:broadcast>/progress/",
        messages.progress,
        name="message_progress",
    ),
    path(
        "<slug:event>/messages/<int:broadcast>/retry/",
        messages.retry,
        name="message_retry",
    ),
    path(
        "<slug:event>/registrations/",
        registrations.registration_list,
        name="registrations",
    ),
    path(
        "<slug:event>/registrations/export.<str:file_format>",
        registrations.registration_export,
        name="registrations_export",
    ),
    path(
        "<slug:event>/registrations/badges/",
        badges.badge_sheets,
        name="registrations_badges",
    ),
    path(
        "<slug:event>/registrations/badges.pdf",
        badges.badges_file,
        name="badges",
    ),
    path(
        "<slug:event>/registrations/new/",
        registrations.register_someone,
        name="registration_new",
    ),
    path(
        "<slug:event>/registrations/actions/",
        bulk.registration_action,
        name="registration_action",
    ),
    path(
        "<slug:event>/registrations/actions/<int:operation>/",
        bulk.bulk_operation,
        name="bulk_operation",
    ),
    path(
        "<slug:event>/registrations/<int:registration>/",
        registrations.registration_detail,
        name="registration",
    ),
    path(
        "<slug:event>/registrations/<int:registration>/note/",
        door_setup.registration_note,
        name="registration_note",
    ),
    path(
        "<slug:event>/registrations/<int:registration>/badge.pdf",
        badges.registration_badge,
        name="registration_badge",
    ),
    path(
        "<slug:event>/registrations/<int:registration>/sort-name/",
        badges.sort_name,
        name="registration_sort_name",
    ),
    path("<slug:event>/invitations/", invitations.invitation_list, name="invitations"),
    path(
        "<slug:event>/invitations/new/",
        invitations.invite_people,
        name="invitation_new",
    ),
    path(
        "<slug:event>/invitations/actions/",
        bulk.invitation_action,
        name="invitation_action",
    ),
    path(
        "<slug:event>/invitations/news/",
        invitations.invitation_news,
        name="invitation_news",
    ),
]
