"""The registrations admin: lists, filters, bulk approval, history and the organiser
pages (summary, session lists, exports, check-in, on-behalf, invitations).

Rows are read-only here: every change goes through a service, from an action or an
organiser page. Everything is scoped to the events the user organises.
"""

from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import (
    admin_events,  # noqa: F401 - re-registers Event and Session with our tools
    invitation_views,
    organiser_views,
)
from .admin_base import EventScopedAdmin
from .admin_filters import AnswerFilter, CheckedInFilter, EventFilter, TypeFilter
from .models import Activity, Invitation, Registration
from .services import RegistrationError
from .services.approval import approve_registrations, decline_registrations
from .services.invitations import approve_substitute


class ActivityInline(admin.TabularInline):
    model = Activity
    fk_name = "registration"
    fields = ["created_at", "verb", "actor", "session", "details"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["created_at", "pk"]
    verbose_name_plural = gettext_lazy("history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _one_event(modeladmin, request, queryset):
    event_ids = set(queryset.values_list("event_id", flat=True))
    if len(event_ids) != 1:
        modeladmin.message_user(
            request, _("Choose registrations of one event at a time."), messages.ERROR
        )
        return None
    return event_ids.pop()


@admin.register(Registration)
class RegistrationAdmin(EventScopedAdmin):
    list_display = [
        "attendee_name", "attendee_email", "event", "registration_type", "status",
        "created_at", "checked_in_at",
    ]  # fmt: skip
    list_filter = [EventFilter, "status", TypeFilter, CheckedInFilter, AnswerFilter]
    search_fields = ["attendee__name", "attendee__email", "attendee__affiliation"]
    list_select_related = ["attendee", "event", "registration_type"]
    readonly_fields = [
        "event", "attendee", "registration_type", "status", "waitlisted_at",
        "offer_expires_at", "checked_in_at", "checked_in_by", "registered_by",
        "capacity_override", "privacy_accepted_at", "created_at", "cancelled_at",
    ]  # fmt: skip
    exclude = ["privacy_notice_accepted"]
    inlines = [ActivityInline]
    actions = ["approve", "decline"]
    ordering = ["-created_at"]

    @admin.display(description=gettext_lazy("name"), ordering="attendee__name")
    def attendee_name(self, registration):
        return registration.attendee.name or "–"

    @admin.display(description=gettext_lazy("email"), ordering="attendee__email")
    def attendee_email(self, registration):
        return registration.attendee.email

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if not self.has_manage_permission(request):
            actions.pop("approve", None)
            actions.pop("decline", None)
        return actions

    def _bulk(self, request, queryset, service, done_message, **kwargs):
        event_id = _one_event(self, request, queryset)
        if event_id is None:
            return
        from .admin_access import MANAGE_ROLES, may

        if not may(request, event_id, MANAGE_ROLES):
            self.message_user(
                request, _("Your role does not allow this."), messages.ERROR
            )
            return
        try:
            done = service(registrations=list(queryset), actor=request.user, **kwargs)
        except RegistrationError as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return
        self.message_user(
            request, done_message % {"count": len(done)}, messages.SUCCESS
        )

    @admin.action(description=gettext_lazy("Approve selected registrations"))
    def approve(self, request, queryset):
        self._bulk(
            request, queryset, approve_registrations,
            _("%(count)s approved (when full, they join the waitlist)."),
        )  # fmt: skip

    @admin.action(description=gettext_lazy("Decline selected registrations"))
    def decline(self, request, queryset):
        self._bulk(
            request,
            queryset,
            decline_registrations,
            _("%(count)s registrations declined."),
        )

    def get_urls(self):
        def view(func):
            return self.admin_site.admin_view(partial(func, model_admin=self))

        return [
            path("summary/<int:event_id>/", view(organiser_views.summary),
                 name="registrations_registration_summary"),
            path("session/<int:event_id>/<int:session_id>/",
                 view(organiser_views.session_attendees),
                 name="registrations_registration_session"),
            path("export/<int:event_id>/<str:file_format>/",
                 view(organiser_views.export),
                 name="registrations_registration_export"),
            path("checkin/<int:event_id>/", view(organiser_views.checkin),
                 name="registrations_registration_checkin"),
            path("register/<int:event_id>/", view(organiser_views.register_on_behalf),
                 name="registrations_registration_register"),
            *super().get_urls(),
        ]  # fmt: skip


@admin.register(Invitation)
class InvitationAdmin(EventScopedAdmin):
    list_display = [
        "email", "name", "institution", "event", "registration_type", "status",
        "rsvp_deadline", "reserves_seat", "created_at",
    ]  # fmt: skip
    list_filter = [EventFilter, "status", "reserves_seat"]
    search_fields = ["email", "name", "institution"]
    list_select_related = ["event", "registration_type"]
    readonly_fields = [
        "event", "registration_type", "email", "name", "institution", "status",
        "rsvp_deadline", "reserves_seat", "invited_by", "substitute_for",
        "registration",
        "created_at", "responded_at",
    ]  # fmt: skip
    exclude = ["token"]
    actions = ["approve_substitutes"]

    @admin.action(description=gettext_lazy("Approve selected substitutes"))
    def approve_substitutes(self, request, queryset):
        from .admin_access import MANAGE_ROLES, may

        approved = 0
        for invitation in queryset.filter(status=Invitation.Status.AWAITING_APPROVAL):
            if not may(request, invitation.event_id, MANAGE_ROLES):
                continue
            try:
                approve_substitute(invitation=invitation, actor=request.user)
            except RegistrationError as refused:
                self.message_user(request, str(refused), messages.ERROR)
                continue
            approved += 1
        self.message_user(
            request, _("%(count)s substitutes approved.") % {"count": approved}
        )

    def get_urls(self):
        invite = self.admin_site.admin_view(
            partial(invitation_views.organiser_invite, model_admin=self)
        )
        return [
            path(
                "invite/<int:event_id>/", invite, name="registrations_invitation_invite"
            ),
            *super().get_urls(),
        ]
