from django.urls import path

from .urls_programme import urlpatterns as programme_urls
from .views import badges, bulk, checkin, events, invitations, messages, registrations

app_name = "organise"

urlpatterns = [
    path("", events.index, name="index"),
    *programme_urls,  # before <slug:event>/: "new/" is a page, not an event
    path("<slug:event>/", events.home, name="home"),
    path("<slug:event>/check-in/", checkin.checkin, name="checkin"),
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
