"""Venues, rooms, and events with their tracks and organisers inline."""

import zoneinfo

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from accounts.admin import PlainTextAdminMixin

from .. import access, services
from ..access import Capability
from ..conflicts import find_conflicts
from ..forms import EventAdminForm, OrganiserForm, OrganiserFormSet
from ..models import (
    Event,
    EventOrganiser,
    Room,
    Track,
    Venue,
    validate_timezone,
)
from ..times import show_datetime
from .base import ServiceAdmin


class CampusAdmin(ServiceAdmin):
    def has_module_permission(self, request):
        return access.may_somewhere(request, Capability.VIEW_EVENT)

    def has_view_permission(self, request, obj=None):
        return access.may_somewhere(request, Capability.VIEW_EVENT)

    def has_add_permission(self, request):
        return access.may_somewhere(request, Capability.EDIT_PROGRAMME)

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
            return access.may_somewhere(request, Capability.EDIT_PROGRAMME)
        return access.may_change_venue(request, obj)

    def save_model(self, request, obj, form, change):
        services.save_venue(venue=obj)


@admin.register(Room)
class RoomAdmin(TranslationAdmin, CampusAdmin):
    list_display = ["name", "venue", "capacity"]
    list_filter = [("venue", RelatedOnlyFieldListFilter)]
    search_fields = ["name", "venue__name"]
    list_select_related = ["venue"]

    def get_queryset(self, request):
        return access.visible_rooms(request).select_related("venue")

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return access.may_somewhere(request, Capability.EDIT_PROGRAMME)
        return access.may_change_room(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "venue":
            kwargs["queryset"] = access.visible_venues(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.save_room(room=obj)


# --- events ----------------------------------------------------------------------


class TrackInline(PlainTextAdminMixin, TranslationTabularInline):
    model = Track
    extra = 0
    fields = ["name", "slug", "colour"]

    def has_view_permission(self, request, obj=None):
        return True  # the event's admin decided who sees the event

    def has_add_permission(self, request, obj=None):
        return obj is None or access.may(request, Capability.EDIT_PROGRAMME, obj.pk)

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
        return obj is not None and access.may(request, Capability.MANAGE_ROLES, obj.pk)

    has_change_permission = has_delete_permission = has_add_permission

    def get_fields(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return ["email", "role"]
        return ["user", "role"]


class EventAdmin(ServiceAdmin):
    """Events; their tracks and organisers inline. Sessions have their own list.

    Not registered here: config/admin.py registers it with the mixins of the apps
    above (their inlines, links and actions).

    Hook: `save_capacity(request, event, new_capacity)` is called when the capacity
    field changed on an existing event, after the other fields were saved, inside
    the admin's transaction. The default passes it to update_event; registrations'
    mixin overrides it to change capacity through its own service, which promotes
    waiting people when places grow.
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
        return access.scope(queryset, request, Capability.VIEW_EVENT, field="pk")

    def editing_timezone(self, request, object_id):
        # Times of a new event are read in the zone chosen on the form itself.
        if not object_id:
            chosen = request.POST.get("timezone") or settings.DEFAULT_EVENT_TIMEZONE
            try:
                validate_timezone(chosen)
            except ValidationError:
                return None
            return zoneinfo.ZoneInfo(chosen)
        event = self.get_queryset(request).filter(
            pk=object_id if str(object_id).isdigit() else None
        )
        return event[0].tzinfo if event else None

    def has_module_permission(self, request):
        return access.may_somewhere(request, Capability.VIEW_EVENT)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return access.may_somewhere(request, Capability.VIEW_EVENT)
        return access.may(request, Capability.VIEW_EVENT, obj.pk)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return access.may_somewhere(request, Capability.EDIT_PROGRAMME)
        return access.may(request, Capability.EDIT_PROGRAMME, obj.pk)

    def has_add_permission(self, request):
        # The creator becomes the new event's owner.
        return access.may_somewhere(request, Capability.CREATE_EVENTS)

    def has_delete_permission(self, request, obj=None):
        # Only drafts: a published event is cancelled instead.
        if obj is None:
            return access.may_somewhere(request, Capability.DELETE_EVENT)
        return obj.status == Event.Status.DRAFT and access.may(
            request, Capability.DELETE_EVENT, obj.pk
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
        return show_datetime(event.starts_at, event)

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
