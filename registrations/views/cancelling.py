"""Cancelling a registration from its manage link: a page of its own that asks
first, with the answer at the top so it is the first thing seen on a phone."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from ..models import Registration
from ..services import RegistrationError, changes, registering


# The link is the secret: no shared or browser cache may keep the page.
@cache_control(private=True, no_store=True)
@require_http_methods(["GET", "POST"])
def cancel_registration_page(request, token):
    registration = get_object_or_404(
        Registration.objects.select_related("event", "attendee"), manage_token=token
    )
    if not registration.is_live:
        messages.info(request, _("This registration is already cancelled."))
        return redirect(registration.manage_path())
    if request.method == "POST":
        try:
            registering.cancel_registration(
                registration=registration, actor=registration.attendee
            )
        except RegistrationError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect(registration.manage_path())
    context = {
        "registration": registration,
        "event": registration.event,
        "can_change": changes.changes_allowed(registration.event),
    }
    return render(request, "registrations/registration_cancel.html", context)
