"""What every participant page needs: the event, the person's place, their profile."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from events.models import Event
from registrations.models import Registration

from ..models import Meeting, MeetingSettings, Profile
from ..selectors import participant


@dataclass
class Visit:
    event: Event
    settings: MeetingSettings
    registration: Registration | None
    profile: Profile | None

    @property
    def opted_in(self) -> bool:
        return self.profile is not None and self.profile.opted_in


def visit(request, slug: str) -> Visit:
    """The event (published, meetings on) and who is asking; 404 otherwise."""
    event = get_object_or_404(Event.objects.published(), slug=slug)
    settings = MeetingSettings.objects.filter(event=event, enabled=True).first()
    if settings is None:
        raise Http404("no meetings at this event")
    registration = participant(request.user, event)
    profile = None
    if registration is not None:
        profile = Profile.objects.filter(registration=registration).first()
    return Visit(event, settings, registration, profile)


def refuse(request, visit: Visit):
    """The page for someone who may not see this: a participant not opted in
    is sent to opt in; anyone else is told why, with a 403."""
    if visit.registration is not None:
        messages.info(
            request, _("Fill in your profile and open yourself to meetings first.")
        )
        return redirect("meetings:profile", slug=visit.event.slug)
    return render(
        request, "meetings/not_participant.html", {"event": visit.event}, status=403
    )


def meeting_of(visit: Visit, meeting_uuid) -> Meeting:
    """A meeting of the visited event, by its uuid; 404 for any other."""
    return get_object_or_404(
        Meeting, uuid=meeting_uuid, request__block__event=visit.event
    )


def back_to_hub(slug: str):
    return redirect("meetings:hub", slug=slug)


def error_to_message(request, error: Exception) -> None:
    messages.error(request, str(error))
