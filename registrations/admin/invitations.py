"""The invitations admin: lists, history, and actions through the services."""

from functools import partial

from django.contrib import admin, messages
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.access import Capability
from events.times import show_datetime

from ..models import Invitation
from ..services import RegistrationError
from ..services.invitations import (
    approve_substitute,
    resend_invitation,
    withdraw_invitation,
)
from . import invitation_pages
from .base import EventScopedAdmin
from .filters import EventFilter
from .registrations import InvitationActivityInline


@admin.register(Invitation)
class InvitationAdmin(EventScopedAdmin):
    view_on_site = False  # the page is the secret invitation link
    # Check-in staff have no business with invitations.
    view_capability = Capability.MANAGE_REGISTRATIONS
    list_display = [
        "email", "name", "institution", "registration_type", "status", "answer_by",
        "reserves_seat", "substitute_for", "event",
    ]  # fmt: skip
    list_select_related = ["event", "registration_type", "substitute_for"]
    list_filter = [EventFilter, "status", "reserves_seat"]
    search_fields = ["email", "name", "institution"]
    fields = [
        "event", "registration_type", "email", "name", "institution", "status",
        "answer_by", "reserves_seat", "invited_by", "substitute_for", "registration",
        "created_at", "responded_at",
    ]  # fmt: skip
    readonly_fields = fields
    inlines = [InvitationActivityInline]
    actions = ["approve_substitutes", "resend", "withdraw"]
    change_list_template = "admin/registrations/invitation/change_list.html"

    def get_urls(self):
        invite = self.admin_site.admin_view(
            partial(invitation_pages.organiser_invite, model_admin=self)
        )
        return [
            path(
                "invite/<int:event_id>/", invite, name="registrations_invitation_invite"
            ),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("answer by"), ordering="rsvp_deadline")
    def answer_by(self, invitation):
        return show_datetime(invitation.rsvp_deadline, invitation.event)

    def _each(self, request, queryset, service, done_message):
        invitations = list(queryset.select_related("event"))
        self.check_editable(request, invitations)
        done = 0
        for invitation in invitations:
            try:
                service(invitation=invitation, actor=request.user)
            except RegistrationError as refused:
                self.message_user(
                    request, f"{invitation.email}: {refused}", messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(
        description=gettext_lazy("Approve selected substitutes"),
        permissions=["manage"],
    )
    def approve_substitutes(self, request, queryset):
        self._each(
            request, queryset, approve_substitute,
            _("%(count)s substitutes approved: they get their invitation now."),
        )  # fmt: skip

    @admin.action(
        description=gettext_lazy("Send a new link (the old one stops working)"),
        permissions=["manage"],
    )
    def resend(self, request, queryset):
        self._each(
            request, queryset, resend_invitation,
            _("%(count)s invitations sent again with new links."),
        )  # fmt: skip

    @admin.action(
        description=gettext_lazy("Withdraw selected invitations (frees their places)"),
        permissions=["manage"],
    )
    def withdraw(self, request, queryset):
        self._each(
            request, queryset, withdraw_invitation,
            _("%(count)s invitations withdrawn: their links no longer work."),
        )  # fmt: skip
