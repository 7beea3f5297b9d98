from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from events.signals import timetable_marks

        from .timetable import on_timetable_marks

        timetable_marks.connect(on_timetable_marks, dispatch_uid="registrations")
