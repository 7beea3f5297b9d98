"""The programme, settings and team pages of an event, and creating events."""

from django.urls import path

from .views import (
    changes,
    creating,
    places,
    programme,
    registration_setup,
    schedule,
    schedule_actions,
    sessions,
    settings,
    team,
)

urlpatterns = [
    path("new/", creating.new_event, name="new_event"),
    # sessions
    path("<slug:event>/sessions/", sessions.session_list, name="sessions"),
    path("<slug:event>/sessions/new/", sessions.session_create, name="sessions_new"),
    path(
        "<slug:event>/sessions/<int:session_id>/",
        sessions.session_edit,
        name="sessions_edit",
    ),
    path(
        "<slug:event>/sessions/<int:session_id>/status/",
        sessions.session_status,
        name="sessions_status",
    ),
    # rooms and venues
    path("<slug:event>/rooms/", places.room_list, name="rooms"),
    path("<slug:event>/rooms/new/", places.room_create, name="rooms_new"),
    path("<slug:event>/rooms/<int:room_id>/", places.room_edit, name="rooms_edit"),
    path("<slug:event>/venues/new/", places.venue_create, name="rooms_venue_new"),
    path(
        "<slug:event>/venues/<int:venue_id>/",
        places.venue_edit,
        name="rooms_venue_edit",
    ),
    # tracks and speakers
    path("<slug:event>/tracks/", programme.track_list, name="tracks"),
    path("<slug:event>/tracks/new/", programme.track_create, name="tracks_new"),
    path(
        "<slug:event>/tracks/<int:track_id>/",
        programme.track_edit,
        name="tracks_edit",
    ),
    path(
        "<slug:event>/tracks/<int:track_id>/delete/",
        programme.track_delete,
        name="tracks_delete",
    ),
    path("<slug:event>/speakers/", programme.speaker_list, name="speakers"),
    path("<slug:event>/speakers/new/", programme.speaker_create, name="speakers_new"),
    path(
        "<slug:event>/speakers/<int:speaker_id>/",
        programme.speaker_edit,
        name="speakers_edit",
    ),
    path(
        "<slug:event>/speakers/<int:speaker_id>/delete/",
        programme.speaker_delete,
        name="speakers_delete",
    ),
    path("<slug:event>/changes/", changes.change_log, name="changes"),
    # settings
    path("<slug:event>/settings/", settings.settings_index, name="settings"),
    path(
        "<slug:event>/settings/preview/",
        registration_setup.preview,
        name="settings_preview",
    ),
    path(
        "<slug:event>/settings/types/new/",
        registration_setup.type_create,
        name="settings_types_new",
    ),
    path(
        "<slug:event>/settings/types/<int:type_id>/",
        registration_setup.type_edit,
        name="settings_types_edit",
    ),
    path(
        "<slug:event>/settings/types/<int:type_id>/delete/",
        registration_setup.type_delete,
        name="settings_types_delete",
    ),
    path(
        "<slug:event>/settings/questions/new/",
        registration_setup.question_create,
        name="settings_questions_new",
    ),
    path(
        "<slug:event>/settings/questions/<int:question_id>/",
        registration_setup.question_edit,
        name="settings_questions_edit",
    ),
    path(
        "<slug:event>/settings/questions/<int:question_id>/delete/",
        registration_setup.question_delete,
        name="settings_questions_delete",
    ),
    path(
        "<slug:event>/settings/<slug:step>/",
        settings.settings_step,
        name="settings_step",
    ),
    # the team
    path("<slug:event>/team/", team.team, name="team"),
    path(
        "<slug:event>/team/<int:organiser_id>/",
        team.change_role,
        name="team_role",
    ),
    path(
        "<slug:event>/team/<int:organiser_id>/remove/",
        team.remove,
        name="team_remove",
    ),
]

urlpatterns += [
    # the timetable editor
    path("<slug:event>/schedule/", schedule.editor, name="schedule"),
    path("<slug:event>/schedule/undo/", schedule_actions.undo, name="schedule_undo"),
    path("<slug:event>/schedule/draft/", schedule_actions.draft, name="schedule_draft"),
    path("<slug:event>/schedule/told/", schedule_actions.told, name="schedule_told"),
    path(
        "<slug:event>/schedule/sessions/<int:session_id>/",
        schedule.session_place,
        name="schedule_session",
    ),
    path(
        "<slug:event>/schedule/sessions/<int:session_id>/check/",
        schedule.check,
        name="schedule_check",
    ),
    path(
        "<slug:event>/schedule/sessions/<int:session_id>/tray/",
        schedule.tray,
        name="schedule_tray",
    ),
    path(
        "<slug:event>/schedule/sessions/<int:session_id>/move/",
        schedule.move,
        name="schedule_move",
    ),
]
