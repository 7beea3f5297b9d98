from django.urls import path

from .views import bulk, events, invitations, registrations

app_name = "organise"

urlpatterns = [
    path("", events.index, name="index"),
    path("<slug:event>/", events.home, name="home"),
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
