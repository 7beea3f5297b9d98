"""My profile (opting in), the directory of participants, and asking to meet one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_safe

from ..forms import DirectoryForm, ProfileForm, RequestForm, parse_slot, slot_value
from ..models import MeetingBlock, Profile
from ..selectors import free_slots, slot_choices, visible_profile, visible_profiles
from ..services import MeetingError
from ..services.profiles import save_profile
from ..services.requests import request_meeting
from .base import refuse, visit


def _initial(profile: Profile | None) -> dict:
    if profile is None:
        return {"opted_in": True, "reminders": True}
    slots = {s: b for b, s in slot_choices(profile.registration.event)}
    return {
        "opted_in": profile.opted_in,
        "organisation": profile.organisation,
        "role": profile.role,
        "country": profile.country,
        "interests": profile.interests,
        "text": profile.text,
        "partners": "\n".join(profile.partner_organisations),
        "reminders": profile.reminders,
        "unavailable": [
            slot_value(slots[u.slot_start], u.slot_start)
            for u in profile.unavailable.all()
            if u.slot_start in slots
        ],
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request, slug):
    seen = visit(request, slug)
    if seen.registration is None:
        return refuse(request, seen)
    form = ProfileForm(
        request.POST or None,
        initial=_initial(seen.profile),
        interests=seen.settings.interests(),
        slots=slot_choices(seen.event),
        event=seen.event,
    )
    if form.is_valid():
        try:
            save_profile(
                registration=seen.registration,
                actor=request.user,
                **form.profile_fields(),
            )
            messages.success(request, _("Your meeting profile is saved."))
            return redirect("meetings:hub", slug=slug)
        except MeetingError as error:
            form.add_error(None, str(error))
    context = {"event": seen.event, "form": form, "profile": seen.profile}
    return render(request, "meetings/profile.html", context)


@login_required
@require_safe
@cache_control(private=True)
def directory(request, slug):
    seen = visit(request, slug)
    if not seen.opted_in:
        return refuse(request, seen)
    form = DirectoryForm(request.GET or None, interests=seen.settings.interests())
    filters = form.cleaned_data if form.is_valid() else {}
    people = visible_profiles(
        viewer=request.user,
        event=seen.event,
        organisation=filters.get("q", ""),
        country=filters.get("country", ""),
        interest=filters.get("interest", ""),
        partner=filters.get("partner", ""),
    )
    context = {"event": seen.event, "form": form, "people": people}
    return render(request, "meetings/directory.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ask(request, slug, profile_id):
    seen = visit(request, slug)
    if not seen.opted_in:
        return refuse(request, seen)
    other = visible_profile(viewer=request.user, event=seen.event, pk=profile_id)
    if other is None:  # not opted in, not at this event, or oneself
        raise Http404("no such participant")
    slots = [
        (block, start)
        for block in MeetingBlock.objects.filter(event=seen.event)
        for start in free_slots(block, seen.profile, other)
    ]
    form = RequestForm(
        request.POST or None,
        slots=slots,
        grid=slot_choices(seen.event),
        event=seen.event,
    )
    if form.is_valid():
        block_id, start = parse_slot(form.cleaned_data["slot"])
        try:
            request_meeting(
                requester=seen.profile,
                recipient=other,
                block=MeetingBlock.objects.get(pk=block_id, event=seen.event),
                slot_start=start,
                message=form.cleaned_data["message"],
                actor=request.user,
            )
            messages.success(request, _("Your request is sent."))
            return redirect("meetings:hub", slug=slug)
        except MeetingError as error:
            form.add_error(None, str(error))
    context = {"event": seen.event, "form": form, "other": other}
    return render(request, "meetings/request.html", context)
