"""Setting up the door: check-in lists (owners), phones paired to a list
(organisers), the report of offline duplicates, and walk-ins."""

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import access
from events.access import Capability
from registrations.models import CheckInDevice, CheckInList, Registration
from registrations.selectors import door as door_selectors
from registrations.services import RegistrationError, door, door_setup

from ..door_access import remember_device
from ..forms.door import CheckInListForm, DeviceForm, NoteForm, WalkInForm
from ..pages import organiser_page, page


def _door_url(event, checkin_list=None) -> str:
    if checkin_list is None or checkin_list.is_main:
        return reverse("organise:checkin", kwargs={"event": event.slug})
    return reverse(
        "organise:checkin_list",
        kwargs={"event": event.slug, "list_id": checkin_list.pk},
    )


def _crumbs(event, label) -> list:
    return [(_("Check-in"), _door_url(event)), (label, None)]


@organiser_page(Capability.CHECK_IN)
def list_index(request, event):
    door.main_list(event)
    lists = list(event.checkin_lists.prefetch_related("sessions"))
    for checkin_list in lists:
        checkin_list.count = door_selectors.count(checkin_list)
        checkin_list.url = _door_url(event, checkin_list)
    may_edit = access.may(request, Capability.MANAGE_SETTINGS, event.pk)
    return page(
        request,
        event,
        "organise/checkin_lists.html",
        crumbs=_crumbs(event, _("Check-in lists")),
        lists=lists,
        may_edit=may_edit,
    )


@organiser_page(Capability.MANAGE_SETTINGS)
def list_edit(request, event, list_id=None):
    instance = (
        get_object_or_404(CheckInList, pk=list_id, event=event)
        if list_id
        else CheckInList(event=event)
    )
    form = CheckInListForm(request.POST or None, instance=instance, event=event)
    if request.method == "POST" and form.is_valid():
        checkin_list = form.save(commit=False)
        door_setup.save_list(
            checkin_list=checkin_list,
            sessions=form.cleaned_data["sessions"],
            actor=request.user,
        )
        messages.success(request, _("The list is saved."))
        return redirect("organise:checkin_lists", event=event.slug)
    heading = instance.name if list_id else _("New check-in list")
    response = page(
        request,
        event,
        "organise/form_page.html",
        crumbs=_crumbs(event, heading),
        heading=heading,
        form=form,
        submit_label=_("Save"),
    )
    response.status_code = 400 if request.method == "POST" else 200
    return response


@organiser_page(Capability.MANAGE_REGISTRATIONS)
def device_index(request, event, list_id):
    checkin_list = get_object_or_404(CheckInList, pk=list_id, event=event)
    form = DeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = door_setup.add_device(
            checkin_list=checkin_list,
            name=form.cleaned_data["name"],
            actor=request.user,
        )
        return redirect(
            "organise:checkin_device", event=event.slug, device_id=device.pk
        )
    response = page(
        request,
        event,
        "organise/checkin_devices.html",
        crumbs=_crumbs(event, _("Paired phones")),
        form=form,
        checkin_list=checkin_list,
        devices=checkin_list.devices.all(),
    )
    response.status_code = 400 if request.method == "POST" else 200
    return response


@organiser_page(Capability.MANAGE_REGISTRATIONS)
def device_detail(request, event, device_id):
    device = get_object_or_404(
        CheckInDevice.objects.select_related("checkin_list"),
        pk=device_id,
        checkin_list__event=event,
    )
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            door_setup.revoke_device(device=device, actor=request.user)
            messages.success(request, _("The phone's access has ended."))
        elif request.POST.get("action") == "rotate":
            door_setup.rotate_device(device=device, actor=request.user)
            messages.success(
                request, _("A new link is made; the old one no longer works.")
            )
        return redirect(
            "organise:checkin_device", event=event.slug, device_id=device.pk
        )
    link = request.build_absolute_uri(
        reverse("organise:checkin_pair", kwargs={"token": device.token})
    )
    qr = segno.make(link, error="m").svg_inline(scale=4) if device.is_active else ""
    return page(
        request,
        event,
        "organise/checkin_device.html",
        crumbs=_crumbs(event, device.name),
        device=device,
        link=link,
        qr_svg=qr,
    )


@organiser_page(Capability.CHECK_IN)
def duplicates(request, event):
    rows = door_selectors.offline_duplicates(event)[:500]
    return page(
        request,
        event,
        "organise/checkin_duplicates.html",
        crumbs=_crumbs(event, _("Duplicate scans")),
        rows=rows,
    )


@organiser_page(Capability.CHECK_IN)
def walk_in(request, event):
    """Owners and editors register walk-ins at any list; check-in staff at a
    list whose owner allows it, without overriding capacity."""
    list_id = request.GET.get("list", "")
    checkin_list = (
        event.checkin_lists.filter(pk=int(list_id)).first()
        if list_id.isdigit()
        else None
    ) or door.main_list(event)
    may_manage = access.may(request, Capability.MANAGE_REGISTRATIONS, event.pk)
    if not (may_manage or checkin_list.allows_walk_ins):
        raise PermissionDenied(_("Walk-ins are not allowed at this list."))
    form = _walk_in_form(request, event, may_manage)
    verdict = None
    if request.method == "POST" and form.is_valid():
        try:
            verdict = _register_and_admit(request, checkin_list, form)
        except RegistrationError as refused:
            form.add_error(None, str(refused))
        else:
            form = _walk_in_form(None, event, may_manage)
    response = page(
        request,
        event,
        "organise/checkin_walk_in.html",
        crumbs=_crumbs(event, _("Walk-in")),
        form=form,
        verdict=verdict,
        checkin_list=checkin_list,
    )
    response.status_code = 400 if form.errors else 200
    return response


def _walk_in_form(request, event, may_manage) -> WalkInForm:
    data = request.POST if request is not None and request.method == "POST" else None
    form = WalkInForm(data, event=event)
    if not may_manage:  # beyond capacity only by those who manage registrations
        del form.fields["override_capacity"]
    return form


def _register_and_admit(request, checkin_list, form) -> door.Verdict:
    data = form.cleaned_data
    return door_setup.register_walk_in(
        checkin_list=checkin_list,
        email=data["email"],
        name=data["name"],
        registration_type=data["registration_type"],
        override_capacity=data.get("override_capacity", False),
        actor=request.user,
    )


def pair(request, token):
    """A door volunteer's phone opens the organiser's link; a POST pairs it."""
    if request.method == "POST":
        device = door_setup.pair_device(token=token)
        if device is not None:
            remember_device(request, device)
            return redirect(_door_url(device.checkin_list.event, device.checkin_list))
    device = (
        CheckInDevice.objects.select_related("checkin_list__event")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )
    status = 200 if device else 404
    return render(
        request, "organise/checkin_pair.html", {"device": device}, status=status
    )


@require_POST
@organiser_page(Capability.MANAGE_REGISTRATIONS)
def registration_note(request, event, registration):
    """The organisers' note on one person (shown by lists that show it)."""
    registration = get_object_or_404(Registration, pk=registration, event=event)
    form = NoteForm(request.POST)
    if form.is_valid():
        door_setup.set_organiser_note(
            registration=registration,
            note=form.cleaned_data["note"],
            actor=request.user,
        )
        messages.success(request, _("The note is saved."))
    else:
        messages.error(request, " ".join(form.errors.get("note", [])))
    return redirect(
        "organise:registration", event=event.slug, registration=registration.pk
    )
