"""Organisers' view of the outbox, their broadcasts and pending schedule digests.

Who may read and send is events.access's call: owners and editors of an event
read its messages (whose bodies hold attendees' personal links) and send to its
people; check-in staff do neither. Superusers see all. Rows are never edited by
hand: retrying, sending and "notify now" go through the services.

The event admin's "notify now" action is exported as a mixin, which
config/admin.py composes into the event admin.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR, ActionLocation
from django.db.models import Q
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import PlainTextAdminMixin
from events import access
from events.access import Capability
from events.models import Session
from registrations.models import Registration, RegistrationType

from .models import Broadcast, Message, ScheduleDigest
from .services import broadcasts, delivery, digests


class OrganiserScopedAdmin(PlainTextAdminMixin, admin.ModelAdmin):
    """Rows of the events whose messages the user may read; sending needs more."""

    def get_queryset(self, request):
        return access.scope(
            super().get_queryset(request), request, Capability.VIEW_MESSAGES
        )

    def has_module_permission(self, request):
        return access.may_somewhere(request, Capability.VIEW_MESSAGES)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return access.may_somewhere(request, Capability.VIEW_MESSAGES)
        return access.may(request, Capability.VIEW_MESSAGES, obj.event_id)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_send_permission(self, request):
        """Retry, send, notify now: the actions' `permissions=["send"]`."""
        return access.may_somewhere(request, Capability.SEND_MESSAGES)

    def check_sendable(self, request, rows) -> None:
        """403 unless the user may send for every event the rows belong to."""
        access.require(request, Capability.SEND_MESSAGES, {r.event_id for r in rows})


class EventFilter(admin.SimpleListFilter):
    title = _("event")
    parameter_name = "event"

    def lookups(self, request, model_admin):
        events = access.events(request, Capability.VIEW_MESSAGES)
        return [(str(e.pk), e.title) for e in events]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(event_id=self.value())
        return queryset


@admin.register(Message)
class MessageAdmin(OrganiserScopedAdmin):
    list_display = [
        "created_at", "event", "kind", "to_email", "status", "attempts",
        "short_error", "sent_at",
    ]  # fmt: skip
    list_filter = [EventFilter, "status", "kind", "queue"]
    search_fields = ["to_email", "subject"]
    list_select_related = ["event"]
    actions = ["retry"]
    readonly_fields = [
        "event", "registration", "broadcast", "kind", "queue", "to_email",
        "language", "subject", "body_text", "status", "attempts", "last_error",
        "next_attempt_at", "claimed_at", "created_at", "sent_at", "key",
    ]  # fmt: skip
    exclude = ["recipient", "body_html", "ics_attachment", "ics_filename", "reply_to"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("last error"))
    def short_error(self, message):
        # Long enough for a mail server's whole reply ("550 5.1.1 <…>: User unknown").
        return message.last_error[:200]

    @admin.action(
        description=_("Retry the selected failed messages"), permissions=["send"]
    )
    def retry(self, request, queryset):
        chosen = list(queryset.only("pk", "event_id"))
        self.check_sendable(request, chosen)
        count = delivery.retry_failed([message.pk for message in chosen])
        self.message_user(
            request,
            ngettext(
                "%(count)d message queued again.",
                "%(count)d messages queued again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


class BroadcastForm(forms.ModelForm):
    statuses = forms.MultipleChoiceField(
        label=_("registrations with status"),
        choices=Registration.Status.choices,
        initial=[Registration.Status.CONFIRMED],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Confirmed attendees when none is ticked."),
        required=False,
    )
    types = forms.ModelMultipleChoiceField(
        label=_("only these registration types"),
        queryset=RegistrationType.objects.none(),
        required=False,
    )
    sessions = forms.ModelMultipleChoiceField(
        label=_("only people with a seat in these sessions"),
        queryset=Session.objects.none(),
        required=False,
    )

    class Meta:
        model = Broadcast
        fields = ["event", "subject", "body"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        events = access.events(request, Capability.SEND_MESSAGES)
        choices = {
            "event": events,
            "types": RegistrationType.objects.filter(event__in=events),
            "sessions": Session.objects.filter(event__in=events),
        }
        for name, queryset in choices.items():
            if name in self.fields:  # a written broadcast shows its event read-only
                self.fields[name].queryset = queryset

    def clean(self):
        data = super().clean()
        event = data.get("event")
        if event is not None:
            strays = [
                item
                for item in [*data.get("types", []), *data.get("sessions", [])]
                if item.event_id != event.pk
            ]
            if strays:
                raise forms.ValidationError(
                    _("Pick registration types and sessions of the chosen event.")
                )
        return data

    def save(self, commit=True):
        self.instance.audience = {
            # None ticked: confirmed attendees, as the help text says.
            "statuses": list(
                self.cleaned_data.get("statuses") or [Registration.Status.CONFIRMED]
            ),
            "types": [t.pk for t in self.cleaned_data.get("types", [])],
            "sessions": [s.pk for s in self.cleaned_data.get("sessions", [])],
        }
        return super().save(commit)


@admin.register(Broadcast)
class BroadcastAdmin(OrganiserScopedAdmin):
    form = BroadcastForm
    list_display = ["subject", "event", "created_at", "recipients", "progress_text"]
    list_filter = [EventFilter]
    actions = ["send"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class RequestForm(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, request=request, **inner)

        return RequestForm

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["recipients"]
        # Once written it is a record of what was said: read-only.
        return ["event", "subject", "body", "recipients", "progress_text", "sent_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["event", "subject", "body", "statuses", "types", "sessions"]
        return self.get_readonly_fields(request, obj)

    def has_add_permission(self, request):
        return self.has_send_permission(request)

    def save_model(self, request, obj, form, change):
        obj.author = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            _("Saved. It reaches %(count)d people; select it and send it.")
            % {
                "count": broadcasts.preview_count(event=obj.event, filters=obj.audience)
            },
        )
        return super().response_add(request, obj, post_url_continue)

    @admin.display(description=_("recipients"))
    def recipients(self, broadcast):
        if broadcast is None or broadcast.pk is None:
            return _("Shown after saving.")
        return broadcasts.preview_count(
            event=broadcast.event, filters=broadcast.audience
        )

    @admin.display(description=_("progress"))
    def progress_text(self, broadcast):
        if broadcast.queued_at is None:
            return _("not sent")
        counts = broadcasts.progress(broadcast)
        return format_html_join(
            ", ", "{}: {}", [(Message.Status(k).label, v) for k, v in counts.items()]
        )

    @admin.action(description=_("Send the selected broadcasts"), permissions=["send"])
    def send(self, request, queryset):
        chosen = list(queryset.filter(Q(queued_at__isnull=True)))
        self.check_sendable(request, chosen)
        for broadcast in chosen:
            broadcasts.send_broadcast(broadcast=broadcast)
        self.message_user(
            request,
            ngettext(
                "%(count)d broadcast is being sent.",
                "%(count)d broadcasts are being sent.",
                len(chosen),
            )
            % {"count": len(chosen)},
            messages.SUCCESS,
        )


@admin.register(ScheduleDigest)
class ScheduleDigestAdmin(OrganiserScopedAdmin):
    """Schedule changes waiting for their quiet period before people are told."""

    list_display = ["event", "due_at"]
    actions = ["notify_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(
        description=_("Notify now: tell people about these changes"),
        permissions=["send"],
    )
    def notify_now(self, request, queryset):
        chosen = list(queryset.select_related("event"))
        self.check_sendable(request, chosen)
        sent = sum(digests.notify_now(event=d.event) for d in chosen)
        self.message_user(
            request,
            ngettext(
                "%(count)d person is being told.",
                "%(count)d people are being told.",
                sent,
            )
            % {"count": sent},
            messages.SUCCESS,
        )


# On the event list only: a change-form action would put a second form control
# on the event's edit page, and a post without "_save" would run it.
@admin.action(description=_("Notify now of schedule changes"))
def notify_schedule_changes_now(modeladmin, request, queryset):
    """On the event's own admin: send its pending digest without waiting."""
    chosen = list(queryset)
    access.require(request, Capability.SEND_MESSAGES, {event.pk for event in chosen})
    sent = sum(digests.notify_now(event=event) for event in chosen)
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d person is being told about the changes.",
            "%(count)d people are being told about the changes.",
            sent,
        )
        % {"count": sent},
        messages.SUCCESS,
    )


class EventAdminNotificationsMixin:
    """For events.admin.EventAdmin: "notify now" on the event list, for those
    who may send to the event's people (the list is already scoped to theirs)."""

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if self.actions is None or IS_POPUP_VAR in request.GET:
            return actions  # actions are off on this page
        if not access.may_somewhere(request, Capability.SEND_MESSAGES):
            return actions
        action = self.get_action(notify_schedule_changes_now, action_location)
        if action is not None:  # None: not offered on the change form
            actions[action.name] = action
        return actions
