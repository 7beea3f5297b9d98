from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from registrations.signals import activity_recorded

        from .services.leaving import on_activity_recorded

        activity_recorded.connect(on_activity_recorded, dispatch_uid="meetings")
