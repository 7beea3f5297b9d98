from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from events.signals import personal_links, schedule_changed
        from registrations.signals import activity_recorded

        from .selectors_networks import networks_link
        from .services import network_members, networks
        from .services.leaving import on_activity_recorded

        activity_recorded.connect(on_activity_recorded, dispatch_uid="meetings")
        activity_recorded.connect(
            network_members.on_activity_recorded, dispatch_uid="meetings.networks"
        )
        schedule_changed.connect(
            networks.follow_schedule_changes, dispatch_uid="meetings.networks"
        )
        personal_links.connect(networks_link, dispatch_uid="meetings.networks")
