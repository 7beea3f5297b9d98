"""Rooms and venues. Rooms belong to venues, which events share: the page lists
this event's venues (where it is held and where its sessions are) and venues no
event uses yet; a room or venue another event's schedule shows changes only for
those who may edit that event too (events.access)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from events import access
from events import services as schedule
from events.access import Capability
from events.models import Event, Room, Venue
from events.selectors import event_venues

from ..forms.fields import add_service_errors
from ..forms.places import RoomForm, VenueForm, saved_fields
from ..pages import organiser_page, page


def unused_venues(request):
    """Venues no event uses yet, that this person sees (new ones)."""
    return (
        access.visible_venues(request)
        .exclude(pk__in=Event.objects.filter(venue__isnull=False).values("venue_id"))
        .exclude(pk__in=Room.objects.filter(sessions__isnull=False).values("venue_id"))
    )


def shown_venues(request, event):
    """Every venue the page shows: the event's, and the unused ones."""
    return Venue.objects.filter(
        pk__in=event_venues(event).values("pk")
    ) | Venue.objects.filter(pk__in=unused_venues(request).values("pk"))


def _with_rooms(venues):
    return list(
        venues.prefetch_related(Prefetch("rooms", Room.objects.order_by("name")))
    )


@organiser_page(Capability.VIEW_EVENT)
def room_list(request, event):
    ours = _with_rooms(event_venues(event))
    others = []
    may_edit = access.may(request, Capability.EDIT_PROGRAMME, event.pk)
    if may_edit:
        others = _with_rooms(
            unused_venues(request).exclude(pk__in=[v.pk for v in ours])
        )
    venues = ours + others
    rooms = [room for venue in venues for room in venue.rooms.all()]
    return page(
        request,
        event,
        "organise/room_list.html",
        crumbs=[(_("Rooms and venues"), None)],
        ours=ours,
        others=others,
        may_edit=may_edit,
        changeable_rooms=access.changeable_rooms(request, rooms) if may_edit else (),
        changeable_venues=access.changeable_venues(request, venues) if may_edit else (),
    )


def _crumbs(event, label):
    return [
        (_("Rooms and venues"), reverse("organise:rooms", args=[event.slug])),
        (label, None),
    ]


def _place_form(request, event, form, save, heading):
    """Validate `form`, save it with `save(**fields)`, or show it again."""
    if request.method == "POST" and form.is_valid():
        try:
            save(**saved_fields(form))
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, _("Saved “%(name)s”.") % {"name": form.instance})
            return redirect("organise:rooms", event=event.slug)
    return page(
        request,
        event,
        "organise/form_page.html",
        crumbs=_crumbs(event, heading),
        heading=heading,
        form=form,
        submit_label=_("Save"),
        cancel_url=reverse("organise:rooms", args=[event.slug]),
    )


def _data(request):
    return request.POST if request.method == "POST" else None


@organiser_page(Capability.EDIT_PROGRAMME)
def room_create(request, event):
    venues = shown_venues(request, event)
    initial = {"venue": request.GET.get("venue") or event.venue_id}
    form = RoomForm(_data(request), venues=venues, initial=initial)

    def save(**fields):
        schedule.save_room(room=form.instance, **fields)

    return _place_form(request, event, form, save, _("New room"))


@organiser_page(Capability.EDIT_PROGRAMME)
def room_edit(request, event, room_id):
    venues = shown_venues(request, event)
    room = get_object_or_404(Room, pk=room_id, venue__in=venues)
    if not access.may_change_room(request, room):
        raise PermissionDenied(_("Another event you do not edit uses this room."))
    form = RoomForm(_data(request), venues=venues, instance=room)

    def save(**fields):
        schedule.save_room(room=room, **fields)

    return _place_form(request, event, form, save, room.name)


@organiser_page(Capability.EDIT_PROGRAMME)
def venue_create(request, event):
    form = VenueForm(_data(request))

    def save(**fields):
        schedule.save_venue(venue=form.instance, **fields)

    return _place_form(request, event, form, save, _("New venue"))


@organiser_page(Capability.EDIT_PROGRAMME)
def venue_edit(request, event, venue_id):
    venue = get_object_or_404(shown_venues(request, event), pk=venue_id)
    if not access.may_change_venue(request, venue):
        raise PermissionDenied(_("Another event you do not edit uses this venue."))
    form = VenueForm(_data(request), instance=venue)

    def save(**fields):
        schedule.save_venue(venue=venue, **fields)

    return _place_form(request, event, form, save, venue.name)
