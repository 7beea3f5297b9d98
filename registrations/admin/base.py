"""The base of every registrations admin: scoped to the organiser's own events.

Rows of events the user does not organise do not exist for them (404, as in the
schedule admin this extends). Admin pages never write registration rows: changes
go through the services from the organiser area, so the change pages are
read-only for everyone. Who may do what is events.access's call.
"""

from django.http import Http404
from django.utils.translation import gettext as _

from events import access
from events.access import Capability
from events.admin.base import EventScopedAdmin as ScheduleScopedAdmin

from .filters import selected_event_id


class EventScopedAdmin(ScheduleScopedAdmin):
    view_capability = Capability.VIEW_REGISTRATIONS
    edit_capability = Capability.MANAGE_REGISTRATIONS  # what the actions need

    def get_queryset(self, request):
        return access.scope(
            super(ScheduleScopedAdmin, self).get_queryset(request),
            request,
            self.view_capability,
        )

    def has_module_permission(self, request):
        return access.may_somewhere(request, self.view_capability)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return access.may_somewhere(request, self.view_capability)
        return access.may(request, self.view_capability, obj.event_id)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        if "event" in request.GET:
            event_id = selected_event_id(request)
            if event_id is None:
                raise Http404(_("No such event."))
            event, _role = access.get_event_or_404(
                request, event_id, self.view_capability
            )
            extra_context |= {
                "tools_event": event,
                "tools_can_manage": access.may(
                    request, Capability.MANAGE_REGISTRATIONS, event.pk
                ),
            }
        return super().changelist_view(request, extra_context)
