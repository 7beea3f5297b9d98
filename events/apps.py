from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import organising_hint
        from .models import EventOrganiser

        for signal in (post_save, post_delete):
            signal.connect(
                organising_hint.forget,
                sender=EventOrganiser,
                dispatch_uid="events.organising_hint",
            )
