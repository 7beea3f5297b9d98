"""Tracks and speakers: lists, forms and deleting (sessions stay, without them).
Writes go through events.services, which re-validates the schedules they show in."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from events import access
from events import services as schedule
from events.access import Capability
from events.models import Speaker, Track

from ..forms.fields import add_service_errors
from ..forms.places import SpeakerForm, TrackForm, saved_fields
from ..pages import organiser_page, page

# What each kind of row needs: its list's name, its label, its form, its writes.
KINDS = {
    "tracks": {
        "model": Track,
        "label": _("Tracks"),
        "form": TrackForm,
        "save": lambda obj, fields: schedule.save_track(track=obj, **fields),
        "delete": lambda obj: schedule.delete_track(track=obj),
        "new": _("New track"),
    },
    "speakers": {
        "model": Speaker,
        "label": _("Speakers"),
        "form": SpeakerForm,
        "save": lambda obj, fields: schedule.save_speaker(speaker=obj, **fields),
        "delete": lambda obj: schedule.delete_speaker(speaker=obj),
        "new": _("New speaker"),
    },
}


def _list_url(event, kind: str) -> str:
    return reverse(f"organise:{kind}", args=[event.slug])


def _crumbs(event, kind: str, label: str):
    return [(KINDS[kind]["label"], _list_url(event, kind)), (label, None)]


@organiser_page(Capability.VIEW_EVENT)
def track_list(request, event):
    tracks = event.tracks.annotate(session_count=Count("sessions")).order_by("name")
    return page(
        request,
        event,
        "organise/track_list.html",
        crumbs=[(_("Tracks"), None)],
        tracks=tracks,
        may_edit=access.may(request, Capability.EDIT_PROGRAMME, event.pk),
    )


@organiser_page(Capability.VIEW_EVENT)
def speaker_list(request, event):
    search = request.GET.get("q", "").strip()[:100]
    speakers = event.speakers.annotate(session_count=Count("sessions"))
    if search:
        speakers = speakers.filter(
            Q(name__icontains=search) | Q(affiliation__icontains=search)
        )
    return page(
        request,
        event,
        "organise/speaker_list.html",
        crumbs=[(_("Speakers"), None)],
        speakers=speakers.order_by("name"),
        search=search,
        may_edit=access.may(request, Capability.EDIT_PROGRAMME, event.pk),
    )


def _edit(request, event, kind: str, obj):
    spec = KINDS[kind]
    form = spec["form"](
        request.POST if request.method == "POST" else None, instance=obj
    )
    if request.method == "POST" and form.is_valid():
        try:
            spec["save"](obj, saved_fields(form))
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, _("Saved “%(name)s”.") % {"name": obj.name})
            return redirect(f"organise:{kind}", event=event.slug)
    heading = obj.name if obj.pk else spec["new"]
    return page(
        request,
        event,
        "organise/form_page.html",
        crumbs=_crumbs(event, kind, heading),
        heading=heading,
        form=form,
        submit_label=_("Save"),
        cancel_url=_list_url(event, kind),
        delete_url=obj.pk
        and reverse(f"organise:{kind}_delete", args=[event.slug, obj.pk]),
    )


def _delete(request, event, kind: str, obj):
    if request.method == "POST":
        KINDS[kind]["delete"](obj)
        messages.success(request, _("Deleted “%(name)s”.") % {"name": obj.name})
        return redirect(f"organise:{kind}", event=event.slug)
    return page(
        request,
        event,
        "organise/confirm.html",
        crumbs=_crumbs(event, kind, obj.name),
        heading=_("Delete “%(name)s”?") % {"name": obj.name},
        explanation=_(
            "Its %(count)s sessions stay in the programme without it. Calendars "
            "and schedule pages update."
        )
        % {"count": obj.sessions.count()},
        button=_("Delete"),
        danger=True,
        cancel_url=_list_url(event, kind),
    )


def _row(event, kind: str, pk: int):
    return get_object_or_404(KINDS[kind]["model"], event=event, pk=pk)


@organiser_page(Capability.EDIT_PROGRAMME)
def track_create(request, event):
    return _edit(request, event, "tracks", Track(event=event))


@organiser_page(Capability.EDIT_PROGRAMME)
def track_edit(request, event, track_id):
    return _edit(request, event, "tracks", _row(event, "tracks", track_id))


@organiser_page(Capability.EDIT_PROGRAMME)
def track_delete(request, event, track_id):
    return _delete(request, event, "tracks", _row(event, "tracks", track_id))


@organiser_page(Capability.EDIT_PROGRAMME)
def speaker_create(request, event):
    return _edit(request, event, "speakers", Speaker(event=event))


@organiser_page(Capability.EDIT_PROGRAMME)
def speaker_edit(request, event, speaker_id):
    return _edit(request, event, "speakers", _row(event, "speakers", speaker_id))


@organiser_page(Capability.EDIT_PROGRAMME)
def speaker_delete(request, event, speaker_id):
    return _delete(request, event, "speakers", _row(event, "speakers", speaker_id))
