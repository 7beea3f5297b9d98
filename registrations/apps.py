from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from events.signals import schedule_changed, timetable_marks

        from .services.commitments import release_cancelled_sessions
        from .timetable import on_timetable_marks

        timetable_marks.connect(on_timetable_marks, dispatch_uid="registrations")
        schedule_changed.connect(
            release_cancelled_sessions, dispatch_uid="registrations"
        )
