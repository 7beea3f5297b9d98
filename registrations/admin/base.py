"""The base of every registrations admin: scoped to the organiser's own events.

Rows of events the user does not organise do not exist for them (404, as in the
schedule admin this extends). Admin pages never write registration rows directly:
changes go through the services, from actions and the organiser pages, so the
change pages are read-only for everyone.
"""

from django.http import Http404
from django.utils.translation import gettext as _

from events.admin.base import EventScopedAdmin as ScheduleScopedAdmin

from .access import (
    ALL_ROLES,
    MANAGE_ROLES,
    get_event_or_404,
    has_any,
    may,
    scope,
)
from .filters import selected_event_id


class EventScopedAdmin(ScheduleScopedAdmin):
    view_roles = ALL_ROLES

    def get_queryset(self, request):
        return scope(
            super(ScheduleScopedAdmin, self).get_queryset(request),
            request,
            self.view_roles,
        )

    def has_module_permission(self, request):
        return has_any(request, self.view_roles)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return has_any(request, self.view_roles)
        return may(request, obj.event_id, self.view_roles)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_manage_permission(self, request):
        """Approve, decline, cancel, invite: owners and editors only."""
        return has_any(request, MANAGE_ROLES)

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        if "event" in request.GET:
            event_id = selected_event_id(request)
            if event_id is None:
                raise Http404(_("No such event."))
            event, role = get_event_or_404(request, event_id, self.view_roles)
            extra_context |= {
                "tools_event": event,
                "tools_can_manage": role in MANAGE_ROLES,
            }
        return super().changelist_view(request, extra_context)
