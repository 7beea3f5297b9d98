from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from events.signals import schedule_changed, timetable_marks

        from .form_fragments import form_changed
        from .models import Question, RegistrationType
        from .services.commitments import follow_schedule_changes
        from .timetable import on_timetable_marks

        uid = "registrations.form_fragments"
        for model in (RegistrationType, Question):
            for signal in (post_save, post_delete):
                signal.connect(form_changed, sender=model, dispatch_uid=uid)

        timetable_marks.connect(on_timetable_marks, dispatch_uid="registrations")
        schedule_changed.connect(follow_schedule_changes, dispatch_uid="registrations")
