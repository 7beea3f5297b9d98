"""The registrations admin, for superusers: lists, filters and each row's answers
and history, read-only.

Organisers work with registrations in the organiser area (/organise/<event>/),
where every action goes through a service after a confirmation page; the admin
changes no registration.
"""

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy

from events import access
from events.access import Capability
from events.times import show_datetime

from ..exports import display_answer
from ..models import Activity, Answer, Registration
from ..selectors.history import summary
from ..services.questions import ORGANISATION
from .base import EventScopedAdmin
from .filters import AnswerFilter, CheckedInFilter, EventFilter, TypeFilter


class ActivityInline(admin.TabularInline):
    """The history of a registration, oldest first, in the event's time zone."""

    model = Activity
    fk_name = "registration"
    fields = ["when", "verb", "actor", "summary"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["created_at", "pk"]
    verbose_name_plural = gettext_lazy("history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "event")

    def has_view_permission(self, request, obj=None):
        return True  # the parent admin decided who sees the parent

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("when"))
    def when(self, activity):
        return show_datetime(activity.created_at, activity.event)

    @admin.display(description=gettext_lazy("details"))
    def summary(self, activity):
        return summary(activity)


class InvitationActivityInline(ActivityInline):
    fk_name = "invitation"


@admin.register(Registration)
class RegistrationAdmin(EventScopedAdmin):
    view_on_site = False  # the page is the secret manage link
    list_display = [
        "attendee_name", "attendee_email", "affiliation", "registration_type",
        "status", "registered", "is_checked_in", "event",
    ]  # fmt: skip
    list_select_related = ["attendee", "event", "registration_type"]
    list_filter = [EventFilter, "status", TypeFilter, CheckedInFilter, AnswerFilter]
    search_fields = ["attendee__name", "attendee__email", "attendee__affiliation"]
    fields = [
        "event", "attendee", "attendee_email", "registration_type", "status",
        "registered", "waitlisted_at", "offer_expires_at", "checked_in",
        "checked_in_by", "registered_by", "capacity_override", "answers_table",
        "sessions_list", "privacy_accepted_at", "cancelled_at",
    ]  # fmt: skip
    readonly_fields = fields
    inlines = [ActivityInline]
    actions = None
    ordering = ["-created_at"]
    change_list_template = "admin/registrations/registration/change_list.html"

    def get_search_results(self, request, queryset, search_term):
        found, duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip().casefold()
        if not term:
            return found, duplicates
        # Affiliation is also the answer to the organisation question (JSON, so
        # matched here rather than with a database-specific lookup).
        answered = Answer.objects.filter(
            question__key=ORGANISATION, registration__in=queryset
        ).values_list("registration_id", "value")
        ids = [
            pk
            for pk, value in answered
            if isinstance(value, str) and term in value.casefold()
        ]
        return found | queryset.filter(pk__in=ids), duplicates

    def get_object(self, request, object_id, from_field=None):
        registration = super().get_object(request, object_id, from_field)
        # answers_table sees only the row; the admin instance is shared by threads.
        registration.show_sensitive = access.may(
            request, Capability.SEE_SENSITIVE_ANSWERS, registration.event_id
        )
        return registration

    @admin.display(description=gettext_lazy("name"), ordering="attendee__name")
    def attendee_name(self, registration):
        return registration.attendee.name or "–"

    @admin.display(description=gettext_lazy("email"), ordering="attendee__email")
    def attendee_email(self, registration):
        return registration.attendee.email

    @admin.display(
        description=gettext_lazy("affiliation"), ordering="attendee__affiliation"
    )
    def affiliation(self, registration):
        return registration.attendee.affiliation

    @admin.display(description=gettext_lazy("registered"), ordering="created_at")
    def registered(self, registration):
        return show_datetime(registration.created_at, registration.event)

    @admin.display(description=gettext_lazy("checked in"), boolean=True)
    def is_checked_in(self, registration):
        return registration.checked_in_at is not None

    @admin.display(description=gettext_lazy("checked in"))
    def checked_in(self, registration):
        return show_datetime(registration.checked_in_at, registration.event)

    @admin.display(description=gettext_lazy("answers"))
    def answers_table(self, registration):
        show_sensitive = getattr(registration, "show_sensitive", False)
        answers = [
            (answer.question.label, display_answer(answer.value))
            for answer in registration.answers.select_related("question").order_by(
                "question__position", "question__pk"
            )
            if show_sensitive or not answer.question.is_sensitive
        ]
        if not answers:
            return "–"
        rows = format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", answers)
        return format_html("<table>{}</table>", rows)

    @admin.display(description=gettext_lazy("sessions"))
    def sessions_list(self, registration):
        seats = registration.seats.live().select_related("session")
        listed = [f"{s.session.title} ({s.get_status_display()})" for s in seats]
        return ", ".join(listed) or "–"
