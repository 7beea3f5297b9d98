"""The invitations admin, for superusers: lists and each one's history, read-only.

Inviting, reminding, new links, withdrawing and approving substitutes happen in
the organiser area, after a confirmation page.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from events.access import Capability
from events.times import show_datetime

from ..models import Invitation
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
        "answer_by", "reserves_seat", "language", "message", "invited_by",
        "substitute_for", "registration", "created_at", "responded_at",
    ]  # fmt: skip
    readonly_fields = fields
    inlines = [InvitationActivityInline]
    actions = None
    change_list_template = "admin/registrations/invitation/change_list.html"

    @admin.display(description=gettext_lazy("answer by"), ordering="rsvp_deadline")
    def answer_by(self, invitation):
        return show_datetime(invitation.rsvp_deadline, invitation.event)
