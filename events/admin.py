"""The organisers' admin for venues, rooms, events, sessions, speakers, the log.

Every write goes through events.services, so conflicts are refused, `sequence`
and the schedule version move, and the change log holds. Who sees what is decided
in events.admin_access (by EventOrganiser role, not Django permissions).

Extending: registrations re-registers EventAdmin and SessionAdmin with subclasses
that override `save_capacity` (see there), so waitlists move when capacity grows.
"""

from datetime import date, datetime, time, timedelta

from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter, helpers
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import admin_access as access
from . import services
from .conflicts import conflicting_session_ids, find_conflicts
from .forms import EventAdminForm, OrganiserForm, OrganiserFormSet, SessionAdminForm
from .models import (
    Event,
    EventOrganiser,
    Room,
    ScheduleChange,
    Session,
    Speaker,
    Track,
    Venue,
)


def local(moment, event) -> str:
    return date_format(moment.astimezone(event.tzinfo), "D j M Y H:i")


def _refusal(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


class ServiceAdmin(admin.ModelAdmin):
    """Shows a refusal from a service as a form error, keeping the input."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (services.ScheduleError, ValidationError) as error:
            # The admin's transaction rolled back; validate again with the refusal.
            request._kokous_schedule_error = _refusal(error)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.schedule_error = getattr(request, "_kokous_schedule_error", None)
        return form

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:  # absent or another event's: the same answer, no leak
            raise Http404(_("No such item."))
        return obj

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)  # deletes go through the services
        return actions


class EventScopedAdmin(ServiceAdmin):
    """Rows that belong to one event: limited to the user's events."""

    def get_queryset(self, request):
        return access.scope(super().get_queryset(request), request)

    def has_module_permission(self, request):
        return access.has_any(request)

    def has_view_permission(self, request, obj=None):
        return access.may(request, obj.event_id) if obj else access.has_any(request)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return access.has_any(request, access.EDIT_ROLES)
        return access.may(request, obj.event_id, access.EDIT_ROLES)

    def has_add_permission(self, request):
        return access.has_any(request, access.EDIT_ROLES)

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "event":
            kwargs["queryset"] = access.scope(
                Event.objects.all(), request, access.EDIT_ROLES, field="pk"
            )
        elif db_field.name == "track":
            kwargs["queryset"] = access.scope(
                Track.objects.select_related("event"), request, access.EDIT_ROLES
            )
        elif db_field.name == "room":
            kwargs["queryset"] = access.visible_rooms(request).select_related("venue")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "speakers":
            kwargs["queryset"] = access.scope(
                Speaker.objects.all(), request, access.EDIT_ROLES
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def response_action(self, request, queryset, *args, **kwargs):
        # Acting on a row one cannot see is a 404, as opening it would be.
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(value.isdigit() for value in selected):
            raise Http404(_("No such item."))
        wanted = {int(value) for value in selected}
        if self.get_queryset(request).filter(pk__in=wanted).count() != len(wanted):
            raise Http404(_("No such item."))
        return super().response_action(request, queryset, *args, **kwargs)

    def check_editable(self, request, objects) -> None:
        """403 unless the user edits every event the objects belong to."""
        if not all(access.may(request, o.event_id, access.EDIT_ROLES) for o in objects):
            raise PermissionDenied(_("Your role for this event does not allow this."))


# --- venues and rooms ------------------------------------------------------------


class CampusAdmin(ServiceAdmin):
    def has_module_permission(self, request):
        return access.has_any(request)

    def has_view_permission(self, request, obj=None):
        return access.has_any(request)

    def has_add_permission(self, request):
        return access.has_any(request, access.EDIT_ROLES)

    def has_delete_permission(self, request, obj=None):
        return False  # rooms and venues in use are protected; nothing to gain


@admin.register(Venue)
class VenueAdmin(CampusAdmin):
    list_display = ["name", "address", "city", "country"]
    search_fields = ["name", "address", "city"]

    def get_queryset(self, request):
        return access.visible_venues(request)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return access.has_any(request, access.EDIT_ROLES)
        return access.may_change_venue(request, obj)

    def save_model(self, request, obj, form, change):
        services.save_venue(venue=obj)


@admin.register(Room)
class RoomAdmin(CampusAdmin):
    list_display = ["name", "venue", "capacity"]
    list_filter = [("venue", RelatedOnlyFieldListFilter)]
    search_fields = ["name", "venue__name"]
    list_select_related = ["venue"]

    def get_queryset(self, request):
        return access.visible_rooms(request).select_related("venue")

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return access.has_any(request, access.EDIT_ROLES)
        return access.may_change_room(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "venue":
            kwargs["queryset"] = access.visible_venues(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.save_room(room=obj)


# --- events ----------------------------------------------------------------------


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0
    fields = ["name", "slug", "colour"]

    def has_view_permission(self, request, obj=None):
        return True  # the event's admin decided who sees the event

    def has_add_permission(self, request, obj=None):
        return obj is None or access.may(request, obj.pk, access.EDIT_ROLES)

    has_change_permission = has_delete_permission = has_add_permission


class OrganiserInline(admin.TabularInline):
    model = EventOrganiser
    form = OrganiserForm
    formset = OrganiserFormSet
    extra = 0

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        # Only owners name organisers; whoever creates an event becomes its owner.
        return obj is not None and access.may(request, obj.pk, {access.Role.OWNER})

    has_change_permission = has_delete_permission = has_add_permission

    def get_fields(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return ["email", "role"]
        return ["user", "role"]


@admin.register(Event)
class EventAdmin(ServiceAdmin):
    """Events; their tracks and organisers inline. Sessions have their own list.

    Subclass hook: `save_capacity(request, event, new_capacity)` is called when the
    capacity field changed on an existing event, after the other fields were saved,
    inside the admin's transaction. The default passes it to update_event;
    registrations overrides it to change capacity through its own service, which
    promotes waiting people when places grow.
    """

    form = EventAdminForm
    inlines = [TrackInline, OrganiserInline]
    list_display = ["title", "starts", "status", "visibility", "schedule_version"]
    list_filter = ["status", "visibility"]
    search_fields = ["title", "slug"]
    readonly_fields = ["schedule_conflicts", "schedule_version", "uuid"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("venue")
        return access.scope(queryset, request, field="pk")

    def has_module_permission(self, request):
        return access.has_any(request)

    def has_view_permission(self, request, obj=None):
        return access.may(request, obj.pk) if obj else access.has_any(request)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return access.has_any(request, access.EDIT_ROLES)
        return access.may(request, obj.pk, access.EDIT_ROLES)

    def has_add_permission(self, request):
        # Superusers and owners of an event; the creator becomes the new one's owner.
        return access.has_any(request, {access.Role.OWNER})

    def has_delete_permission(self, request, obj=None):
        # Superusers only, and only drafts: a published event is cancelled instead.
        return request.user.is_superuser and (
            obj is None or obj.status == Event.Status.DRAFT
        )

    def get_prepopulated_fields(self, request, obj=None):
        if obj and obj.status != Event.Status.DRAFT:
            return {}
        return super().get_prepopulated_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj and obj.status != Event.Status.DRAFT:
            fields.append("slug")  # the public address is fixed once published
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "venue":
            kwargs["queryset"] = access.visible_venues(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=gettext_lazy("starts"), ordering="starts_at")
    def starts(self, event):
        return local(event.starts_at, event)

    @admin.display(description=gettext_lazy("schedule conflicts"))
    def schedule_conflicts(self, event):
        if event.pk is None:
            return "–"
        conflicts = find_conflicts(event)
        if not conflicts:
            return _("None")
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((c.message,) for c in conflicts)),
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        names = set(data) & services.EVENT_FIELDS
        if not change:
            created = services.create_event(
                actor=request.user, **{name: data[name] for name in names}
            )
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        changed = set(form.changed_data) & names
        fields = {name: data[name] for name in changed - {"capacity"}}
        if fields:
            services.update_event(event=obj, actor=request.user, **fields)
        if "capacity" in changed:
            self.save_capacity(request, obj, data["capacity"])

    def save_capacity(self, request, event: Event, new_capacity: int | None) -> None:
        """Change the event's capacity (None: unlimited). Override to promote."""
        services.update_event(event=event, actor=request.user, capacity=new_capacity)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Track:
            formset.save()
            return
        for track in formset.save(commit=False):
            services.save_track(track=track)
        for track in formset.deleted_objects:
            services.delete_track(track=track)


# --- sessions ----------------------------------------------------------------------


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
        return [(d.isoformat(), date_format(d, "D j M Y")) for d in sorted(days)]

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


@admin.register(Session)
class SessionAdmin(EventScopedAdmin):
    """Sessions of the user's events. Subclass hook as in EventAdmin:
    `save_capacity(request, session, new_capacity)` for the seats field."""

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
        return local(session.starts_at, session.event)

    def changelist_view(self, request, extra_context=None):
        chosen = request.GET.get("event__id__exact", "")
        if request.method == "GET" and chosen.isdigit():
            event = self.get_queryset(request).filter(event_id=chosen).first()
            if event is not None:
                for conflict in find_conflicts(event.event):
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
            except services.ScheduleError as error:
                self.message_user(request, f"{session}: {error}", messages.ERROR)
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
        except services.ScheduleError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(
                request,
                _("Swapped “%(a)s” and “%(b)s”.") % {"a": a.title, "b": b.title},
                messages.SUCCESS,
            )


# --- speakers and the log -------------------------------------------------------


@admin.register(Speaker)
class SpeakerAdmin(EventScopedAdmin):
    list_display = ["name", "affiliation", "event"]
    list_filter = [("event", RelatedOnlyFieldListFilter)]
    search_fields = ["name", "affiliation", "email"]
    list_select_related = ["event"]

    def get_readonly_fields(self, request, obj=None):
        return ["event"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return obj is not None and access.may(request, obj.event_id, access.EDIT_ROLES)

    def save_model(self, request, obj, form, change):
        services.save_speaker(speaker=obj)

    def delete_model(self, request, obj):
        services.delete_speaker(speaker=obj)


@admin.register(ScheduleChange)
class ScheduleChangeAdmin(EventScopedAdmin):
    list_display = ["created_at", "event", "kind", "title", "actor", "summary"]
    list_filter = [("event", RelatedOnlyFieldListFilter), "kind"]
    list_select_related = ["event", "actor"]
    fields = ["created_at", "event", "session", "kind", "changes", "snapshot", "actor"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("session"))
    def title(self, change):
        return change.snapshot.get("title", "")

    @admin.display(description=gettext_lazy("what changed"))
    def summary(self, change):
        return "; ".join(
            f"{name}: {old} → {new}" for name, (old, new) in change.changes.items()
        )
