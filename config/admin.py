"""The event and session admins, composed from what each app adds, registered once.

events knows nobody above it, so it exports its EventAdmin and SessionAdmin
without registering them; registrations and notifications export mixins for
them. Here, where the apps are wired together, each final class lists its parts
in order (a mixin before the class it extends) and is registered: no app replaces
another's admin, and the order of INSTALLED_APPS does not matter. Django's admin
imports this module as the `config` app's admin module.
"""

from django.contrib import admin

from events.admin import EventAdmin as ScheduleEventAdmin
from events.admin import SessionAdmin as ScheduleSessionAdmin
from events.models import Event, Session
from notifications.admin import EventAdminNotificationsMixin
from registrations.admin import (
    EventAdminRegistrationsMixin,
    SessionAdminRegistrationsMixin,
)


@admin.register(Event)
class EventAdmin(
    EventAdminNotificationsMixin, EventAdminRegistrationsMixin, ScheduleEventAdmin
):
    """Events: the schedule's admin, registrations' inlines, tools and capacity
    rules, and notifications' "notify now"."""


@admin.register(Session)
class SessionAdmin(SessionAdminRegistrationsMixin, ScheduleSessionAdmin):
    """Sessions: the schedule's admin with registrations' attendee lists and seats."""
