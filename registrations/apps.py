from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from events.signals import schedule_changed, timetable_marks

        from .services.commitments import follow_schedule_changes
        from .timetable import on_timetable_marks

        timetable_marks.connect(on_timetable_marks, dispatch_uid="registrations")
        schedule_changed.connect(follow_schedule_changes, dispatch_uid="registrations")
