"""The admins that are put together from several apps, registered once.

events knows nobody above it, so it exports its EventAdmin and SessionAdmin
without registering them; registrations and notifications export mixins for
them. Here, where the apps are wired together, each final class lists its parts
in order (a mixin before the class it extends) and is registered: no app replaces
another's admin, and the order of INSTALLED_APPS does not matter. Django's admin
imports this module as the `config` app's admin module. modeltranslation's
TranslationAdmin joins here too: the translated fields are shown per language.

allauth registers an admin for second factors that shows their secrets; ours
(accounts) takes its place here, the one module that may replace an admin.
"""

from allauth.mfa.models import Authenticator
from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationBaseModelAdmin

from accounts.admin import AuthenticatorAdmin
from events.admin import EventAdmin as ScheduleEventAdmin
from events.admin import SessionAdmin as ScheduleSessionAdmin
from events.models import Event, Session
from notifications.admin import EventAdminNotificationsMixin
from registrations.admin import (
    EventAdminRegistrationsMixin,
    SessionAdminRegistrationsMixin,
)


class TranslatedAdmin(TranslationAdmin):
    """modeltranslation's admin, whose read-only fields go on to the admins after
    it (its own answers only its `readonly_fields`)."""

    def get_readonly_fields(self, request, obj=None):
        fields = super(TranslationBaseModelAdmin, self).get_readonly_fields(
            request, obj
        )
        return self.replace_orig_field(fields)


# modeltranslation's and the service admin's get_form differ only in their stubs'
# signatures; both end in ModelAdmin.get_form.
@admin.register(Event)
class EventAdmin(  # type: ignore[misc]
    EventAdminNotificationsMixin,
    EventAdminRegistrationsMixin,
    TranslatedAdmin,
    ScheduleEventAdmin,
):
    """Events: the schedule's admin, registrations' inlines, tools and capacity
    rules, and notifications' "notify now"; the title, summary and description
    in each language (modeltranslation's fields, default language required)."""


@admin.register(Session)
class SessionAdmin(  # type: ignore[misc]  # get_form, as for EventAdmin
    SessionAdminRegistrationsMixin, TranslatedAdmin, ScheduleSessionAdmin
):
    """Sessions: the schedule's admin with registrations' attendee lists and seats;
    the title and abstract in each language."""


admin.site.unregister(Authenticator)
admin.site.register(Authenticator, AuthenticatorAdmin)
