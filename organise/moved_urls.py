"""The admin addresses of the organiser pages that moved to /organise/ (see
views/moved.py). Included before the admin's own URLs, under admin/registrations/."""

from django.urls import path

from .views import moved

urlpatterns = [
    path("registration/summary/<int:event_id>/", moved.summary),
    path(
        "registration/session/<int:event_id>/<int:session_id>/",
        moved.session_attendees,
    ),
    path("registration/export/<int:event_id>/<str:file_format>/", moved.export),
    path("registration/checkin/<int:event_id>/", moved.checkin),
    path("registration/register/<int:event_id>/", moved.register_someone),
    path("invitation/invite/<int:event_id>/", moved.invite),
]
