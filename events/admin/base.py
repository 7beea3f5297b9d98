"""The admin bases: refusals from services shown on the form; event scoping.

Who may see and change what is asked of events.access, never decided here.
"""

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.admin import PlainTextAdminMixin

from .. import access, services
from ..access import Capability
from ..models import (
    Speaker,
    Track,
)


def refusal_message(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


class ServiceAdmin(PlainTextAdminMixin, admin.ModelAdmin):
    """Shows a refusal from a service as a form error, keeping the input; edits
    times in the event's own time zone."""

    def editing_timezone(self, request, object_id):
        """The zone form times are shown and read in (None: the site's, UTC)."""
        return None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        zone = self.editing_timezone(request, object_id)
        request._kokous_zone = zone
        with timezone.override(zone):
            try:
                response = super().changeform_view(
                    request, object_id, form_url, extra_context
                )
            except (services.ScheduleError, ValidationError) as error:
                # The admin's transaction rolled back; validate again, refused.
                request._kokous_schedule_error = refusal_message(error)
                response = super().changeform_view(
                    request, object_id, form_url, extra_context
                )
            if hasattr(response, "render"):
                response.render()  # widgets show times in the zone: render inside
            return response

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.schedule_error = getattr(request, "_kokous_schedule_error", None)
        zone = getattr(request, "_kokous_zone", None)
        note = (
            _("Local time in %(zone)s.") % {"zone": zone}
            if zone
            else _("Local time of the event chosen above.")
        )
        for name in ("starts_at", "ends_at"):
            if name in form.base_fields:
                form.base_fields[name].help_text = note
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

    edit_capability = Capability.EDIT_PROGRAMME  # what bulk actions need

    def editing_timezone(self, request, object_id):
        if object_id:
            obj = (
                self.get_queryset(request)
                .filter(pk=object_id if str(object_id).isdigit() else None)
                .select_related("event")
                .first()
            )
            return obj.event.tzinfo if obj else None
        chosen = request.POST.get("event") or request.GET.get("event") or ""
        if chosen.isdigit():
            event = access.events(request, Capability.VIEW_EVENT)
            event = event.filter(pk=chosen).first()
            return event.tzinfo if event else None
        return None

    def get_queryset(self, request):
        return access.scope(
            super().get_queryset(request), request, Capability.VIEW_EVENT
        )

    def has_module_permission(self, request):
        return access.may_somewhere(request, Capability.VIEW_EVENT)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return access.may_somewhere(request, Capability.VIEW_EVENT)
        return access.may(request, Capability.VIEW_EVENT, obj.event_id)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return access.may_somewhere(request, Capability.EDIT_PROGRAMME)
        return access.may(request, Capability.EDIT_PROGRAMME, obj.event_id)

    def has_add_permission(self, request):
        return access.may_somewhere(request, Capability.EDIT_PROGRAMME)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        ids = access.event_ids(request, Capability.EDIT_PROGRAMME)
        if "event" not in initial and ids is not None and len(ids) == 1:
            initial["event"] = next(iter(ids))  # most organisers run one event
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "event":
            kwargs["queryset"] = access.events(request, Capability.EDIT_PROGRAMME)
        elif db_field.name == "track":
            kwargs["queryset"] = access.scope(
                Track.objects.select_related("event"),
                request,
                Capability.EDIT_PROGRAMME,
            )
        elif db_field.name == "room":
            kwargs["queryset"] = access.visible_rooms(request).select_related("venue")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "speakers":
            kwargs["queryset"] = access.scope(
                Speaker.objects.all(), request, Capability.EDIT_PROGRAMME
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
        """403 unless the user may edit every event the objects belong to."""
        access.require(request, self.edit_capability, {o.event_id for o in objects})
