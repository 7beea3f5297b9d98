"""The admin site: for superusers only.

Organisers (owners, editors, check-in staff) work in the organiser area; an
organiser who follows an old admin link is sent there, anyone else signed in is
refused. The decision is events.access's (`may_use_admin`).
"""

from functools import update_wrapper

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from events import access
from events.access import Capability


class SuperuserAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return access.may_use_admin(request)

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        def superusers_only(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                return refuse(request)
            return guarded(request, *args, **kwargs)

        return update_wrapper(superusers_only, guarded)


def refuse(request):
    """Organisers to the organiser area; anyone else: 403."""
    if access.may_somewhere(request, Capability.VIEW_EVENT):
        return redirect("organise:index")
    raise PermissionDenied(_("The admin is for the site's administrators."))
