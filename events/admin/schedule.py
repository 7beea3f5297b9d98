"""Sessions (their own list: 60+ per event), speakers, and the change log."""

from datetime import date, datetime, time, timedelta

from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import access, services
from ..access import Capability
from ..conflicts import conflicting_session_ids, find_conflicts
from ..forms import SessionAdminForm
from ..models import (
    Event,
    ScheduleChange,
    Session,
    Speaker,
)
from ..times import short_date, show_datetime
from .base import EventScopedAdmin, refusal_message


class DayFilter(admin.SimpleListFilter):
    """Local calendar days of the listed events (each in its own time zone)."""

    title = gettext_lazy("day")
    parameter_name = "day"

    def _events(self, request, model_admin):
        events = Event.objects.filter(
            pk__in=model_admin.get_queryset(request).values("event_id")
        )
        chosen = request.GET.get("event__id__exact", "")
        return events.filter(pk=chosen) if chosen.isdigit() else events

    def lookups(self, request, model_admin):
        days = {d for e in self._events(request, model_admin) for d in e.local_days()}
        return [(d.isoformat(), short_date(d)) for d in sorted(days)]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            day = date.fromisoformat(self.value())
        except ValueError:
            return queryset.none()
        match = Q(pk__in=[])
        for event in Event.objects.filter(pk__in=queryset.values("event_id")):
            start = datetime.combine(day, time(), tzinfo=event.tzinfo)
            end = datetime.combine(day + timedelta(days=1), time(), tzinfo=event.tzinfo)
            match |= Q(event=event, starts_at__gte=start, starts_at__lt=end)
        return queryset.filter(match)


class SessionAdmin(EventScopedAdmin):
    """Sessions of the user's events; registered in config/admin.py, as EventAdmin.

    Hook as in EventAdmin: `save_capacity(request, session, new_capacity)` for the
    seats field."""

    form = SessionAdminForm
    list_display = ["title", "starts", "room", "track", "kind", "status"]
    list_filter = [
        ("event", RelatedOnlyFieldListFilter),
        ("track", RelatedOnlyFieldListFilter),
        ("room", RelatedOnlyFieldListFilter),
        "kind",
        "status",
        DayFilter,
    ]
    search_fields = ["title", "speakers__name"]
    list_select_related = ["event", "room", "track"]
    readonly_fields = ["sequence"]
    filter_horizontal = ["speakers"]
    actions = ["cancel_sessions", "restore_sessions", "swap_sessions"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "event"] if obj else fields  # sessions never change event

    def get_list_display(self, request):
        return [*super().get_list_display(request), self._conflict_column()]

    @staticmethod
    def _conflict_column():
        by_event: dict[int, set[int]] = {}

        @admin.display(description=gettext_lazy("conflict"), boolean=True)
        def conflict(session):
            if session.event_id not in by_event:
                by_event[session.event_id] = conflicting_session_ids(session.event)
            return session.pk in by_event[session.event_id]

        return conflict

    @admin.display(description=gettext_lazy("starts"), ordering="starts_at")
    def starts(self, session):
        return show_datetime(session.starts_at, session.event)

    def changelist_view(self, request, extra_context=None):
        chosen = request.GET.get("event__id__exact", "")
        if request.method == "GET" and chosen.isdigit():
            event = access.events(request, Capability.VIEW_EVENT)
            event = event.filter(pk=chosen).first()
            if event is not None:
                for conflict in find_conflicts(event):
                    self.message_user(request, conflict.message, messages.WARNING)
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        names = set(data) & services.SESSION_FIELDS
        if not change:
            created = services.create_session(
                event=data["event"],
                actor=request.user,
                speakers=list(data.get("speakers") or []),
                **{name: data[name] for name in names},
            )
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        changed = set(form.changed_data)
        fields = {name: data[name] for name in (changed & names) - {"capacity"}}
        speakers = list(data["speakers"]) if "speakers" in changed else None
        if fields or speakers is not None:
            services.update_session(
                session=obj, actor=request.user, speakers=speakers, **fields
            )
        if "capacity" in changed:
            self.save_capacity(request, obj, data["capacity"])

    def save_capacity(self, request, session: Session, new_capacity) -> None:
        """Change the session's seats (None: unlimited). Override to promote."""
        services.update_session(
            session=session, actor=request.user, capacity=new_capacity
        )

    def save_related(self, request, form, formsets, change):
        pass  # speakers were set by the service in save_model

    def _each(self, request, queryset, service, done_message):
        sessions = list(queryset.select_related("event"))
        self.check_editable(request, sessions)
        done = 0
        for session in sessions:
            try:
                service(session=session, actor=request.user)
            except (services.ScheduleError, ValidationError) as error:
                self.message_user(
                    request, f"{session}: {refusal_message(error)}", messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(
        description=gettext_lazy("Cancel selected sessions"), permissions=["change"]
    )
    def cancel_sessions(self, request, queryset):
        self._each(
            request, queryset, services.cancel_session, _("Cancelled %(count)d.")
        )

    @admin.action(
        description=gettext_lazy("Restore selected sessions"), permissions=["change"]
    )
    def restore_sessions(self, request, queryset):
        self._each(
            request, queryset, services.restore_session, _("Restored %(count)d.")
        )

    @admin.action(
        description=gettext_lazy("Swap the times and rooms of two selected sessions"),
        permissions=["change"],
    )
    def swap_sessions(self, request, queryset):
        sessions = list(queryset.select_related("event", "room"))
        if len(sessions) != 2:
            self.message_user(
                request, _("Select exactly two sessions."), messages.ERROR
            )
            return
        self.check_editable(request, sessions)
        a, b = sessions
        try:
            services.move_sessions(
                moves=[
                    (
                        a,
                        {
                            "starts_at": b.starts_at,
                            "ends_at": b.ends_at,
                            "room": b.room,
                        },
                    ),
                    (
                        b,
                        {
                            "starts_at": a.starts_at,
                            "ends_at": a.ends_at,
                            "room": a.room,
                        },
                    ),
                ],
                actor=request.user,
            )
        except (services.ScheduleError, ValidationError) as error:
            self.message_user(request, refusal_message(error), messages.ERROR)
        else:
            self.message_user(
                request,
                _("Swapped “%(a)s” and “%(b)s”.") % {"a": a.title, "b": b.title},
                messages.SUCCESS,
            )


@admin.register(Speaker)
class SpeakerAdmin(EventScopedAdmin):
    list_display = ["name", "affiliation", "event"]
    list_filter = [("event", RelatedOnlyFieldListFilter)]
    search_fields = ["name", "affiliation", "email"]
    list_select_related = ["event"]

    def get_readonly_fields(self, request, obj=None):
        return ["event"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return obj is not None and access.may(
            request, Capability.EDIT_PROGRAMME, obj.event_id
        )

    def save_model(self, request, obj, form, change):
        services.save_speaker(speaker=obj)

    def delete_model(self, request, obj):
        services.delete_speaker(speaker=obj)


@admin.register(ScheduleChange)
class ScheduleChangeAdmin(EventScopedAdmin):
    list_display = ["when", "event", "kind", "title", "actor", "summary"]
    list_filter = [("event", RelatedOnlyFieldListFilter), "kind"]
    list_select_related = ["event", "actor"]
    fields = ["created_at", "event", "session", "kind", "changes", "snapshot", "actor"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("when"), ordering="created_at")
    def when(self, change):
        return show_datetime(change.created_at, change.event)

    @admin.display(description=gettext_lazy("session"))
    def title(self, change):
        return change.snapshot.get("title", "")

    @admin.display(description=gettext_lazy("what changed"))
    def summary(self, change):
        return "; ".join(
            f"{name}: {old} → {new}" for name, (old, new) in change.changes.items()
        )
