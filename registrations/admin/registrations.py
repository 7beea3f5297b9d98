"""The registrations admin: lists, filters, bulk actions, history, and the organiser
pages (summary, session lists, exports, check-in, on-behalf, invitations).

Rows are read-only here: every change goes through a service, from an action or an
organiser page. Everything is scoped to the events the user organises (404 for
the rest); approving, declining, cancelling and inviting need owner or editor.
"""

from functools import partial

from django.contrib import admin, messages
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events import access
from events.access import Capability
from events.times import show_datetime

from ..exports import display_answer
from ..models import Activity, Answer, Registration
from ..services import RegistrationError
from ..services.approval import approve_registrations, decline_registrations
from ..services.questions import ORGANISATION
from ..services.registering import cancel_registration
from . import organiser_pages
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
        details = activity.details or {}
        parts = [
            f"{key}: {value}"
            for key, value in details.items()
            if key != "sessions" and value not in (None, "", [])
        ]
        titles = [s.get("session_title", "") for s in details.get("sessions") or []]
        if titles:
            parts.append(_("sessions: %(titles)s") % {"titles": ", ".join(titles)})
        return "; ".join(parts) or "–"


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
    actions = ["approve", "decline", "cancel"]
    ordering = ["-created_at"]
    change_list_template = "admin/registrations/registration/change_list.html"

    def get_urls(self):
        def view(func):
            return self.admin_site.admin_view(partial(func, model_admin=self))

        return [
            path("summary/<int:event_id>/", view(organiser_pages.summary),
                 name="registrations_registration_summary"),
            path("session/<int:event_id>/<int:session_id>/",
                 view(organiser_pages.session_attendees),
                 name="registrations_registration_session"),
            path("export/<int:event_id>/<str:file_format>/",
                 view(organiser_pages.export),
                 name="registrations_registration_export"),
            path("checkin/<int:event_id>/", view(organiser_pages.checkin),
                 name="registrations_registration_checkin"),
            path("register/<int:event_id>/", view(organiser_pages.register_on_behalf),
                 name="registrations_registration_register"),
            *super().get_urls(),
        ]  # fmt: skip

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

    # --- actions: owners and editors, through the services -----------------------

    def _bulk(self, request, queryset, service, done_message):
        registrations = list(queryset.select_related("event", "attendee"))
        self.check_editable(request, registrations)  # 403 for check-in staff
        try:
            done = service(registrations=registrations, actor=request.user)
        except RegistrationError as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return
        self.message_user(
            request, done_message % {"count": len(done)}, messages.SUCCESS
        )

    @admin.action(
        description=gettext_lazy("Approve selected registrations"),
        permissions=["manage"],
    )
    def approve(self, request, queryset):
        self._bulk(
            request, queryset, approve_registrations,
            _("%(count)s approved (when full, they join the waitlist)."),
        )  # fmt: skip

    @admin.action(
        description=gettext_lazy("Decline selected registrations"),
        permissions=["manage"],
    )
    def decline(self, request, queryset):
        self._bulk(
            request, queryset, decline_registrations,
            _("%(count)s registrations declined."),
        )  # fmt: skip

    @admin.action(
        description=gettext_lazy("Cancel selected registrations"),
        permissions=["manage"],
    )
    def cancel(self, request, queryset):
        registrations = list(queryset.live().select_related("event", "attendee"))
        self.check_editable(request, registrations)
        cancelled = 0
        for registration in registrations:
            try:
                cancel_registration(registration=registration, actor=request.user)
            except RegistrationError as refused:
                self.message_user(
                    request, f"{registration.attendee}: {refused}", messages.ERROR
                )
            else:
                cancelled += 1
        self.message_user(
            request,
            _("%(count)s registrations cancelled.") % {"count": cancelled},
            messages.SUCCESS,
        )
