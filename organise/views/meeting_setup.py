"""One-to-one meetings, set up: the switch, expiry and limits (owners), and the
meeting blocks and tables (editors). meetings.services.setup saves."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from events import access
from events.access import Capability
from events.times import show_span
from meetings.models import MeetingBlock, Table, TypeLimits
from meetings.services import MeetingError
from meetings.services import setup as meeting_setup
from registrations.models import RegistrationType

from ..forms.fields import add_service_errors
from ..forms.meetings import BlockForm, MeetingSettingsForm, TableForm, TypeLimitsForm
from ..pages import organiser_page, page


def _data(request):
    return request.POST if request.method == "POST" else None


def _crumbs(event, label=None):
    home = reverse("organise:meetings", args=[event.slug])
    setup = reverse("organise:meetings_setup", args=[event.slug])
    crumbs = [(_("Meetings"), home), (_("Blocks and tables"), setup)]
    return [*crumbs, (label, None)] if label else [crumbs[0], (crumbs[1][0], None)]


def _form_page(request, event, form, save, heading, delete_url=None):
    """Validate `form`, save it with `save(fields)`, or show it again."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except MeetingError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, _("Saved."))
            return redirect("organise:meetings_setup", event=event.slug)
    return page(
        request,
        event,
        "organise/form_page.html",
        crumbs=_crumbs(event, heading),
        heading=heading,
        form=form,
        submit_label=_("Save"),
        cancel_url=reverse("organise:meetings_setup", args=[event.slug]),
        delete_url=delete_url,
    )


@organiser_page(Capability.EDIT_PROGRAMME)
def setup(request, event):
    return page(
        request,
        event,
        "organise/meeting_setup.html",
        crumbs=_crumbs(event),
        settings=(current := meeting_setup.settings_for(event)),
        expiry_hours=int(current.request_expiry.total_seconds() // 3600),
        blocks=MeetingBlock.objects.filter(event=event),
        tables=Table.objects.filter(event=event),
        type_limits=TypeLimits.objects.filter(
            registration_type__event=event
        ).select_related("registration_type"),
        may_set=access.may(request, Capability.MANAGE_SETTINGS, event.pk),
    )


@organiser_page(Capability.MANAGE_SETTINGS)
def settings(request, event):
    current = meeting_setup.settings_for(event)
    form = MeetingSettingsForm(
        _data(request), initial=MeetingSettingsForm.initial_from(current)
    )

    def save(fields):
        meeting_setup.save_settings(
            event=event, actor=request.user, **form.service_fields()
        )

    return _form_page(request, event, form, save, _("Meeting settings"))


@organiser_page(Capability.MANAGE_SETTINGS)
def type_limits(request, event):
    """Each registration type's limits; an empty one is the event's."""
    current = meeting_setup.settings_for(event)
    form = TypeLimitsForm(
        _data(request),
        initial=TypeLimitsForm.initial_from(
            TypeLimits.objects.filter(registration_type__event=event)
        ),
        types=RegistrationType.objects.filter(event=event),
        settings=current,
    )

    def save(fields):
        meeting_setup.save_type_limits(
            event=event, limits=form.limits(), actor=request.user
        )

    return _form_page(
        request, event, form, save, _("Meeting limits by registration type")
    )


@organiser_page(Capability.EDIT_PROGRAMME)
def block_edit(request, event, block_id=None):
    block = None
    initial = {}
    if block_id is not None:
        block = get_object_or_404(MeetingBlock, pk=block_id, event=event)
        initial = {
            "starts_at": block.starts_at,
            "ends_at": block.ends_at,
            "slot_minutes": block.slot_minutes,
        }
    form = BlockForm(_data(request), initial=initial, zone=event.tzinfo)

    def save(fields):
        meeting_setup.save_block(event=event, block=block, actor=request.user, **fields)

    delete_url = block and reverse(
        "organise:meetings_block_delete", args=[event.slug, block.pk]
    )
    heading = _("Edit the meeting block") if block else _("New meeting block")
    return _form_page(request, event, form, save, heading, delete_url)


@organiser_page(Capability.EDIT_PROGRAMME)
def table_edit(request, event, table_id=None):
    table = None
    initial = {}
    if table_id is not None:
        table = get_object_or_404(Table, pk=table_id, event=event)
        initial = {"name": table.name, "capacity": table.capacity}
    form = TableForm(_data(request), initial=initial)

    def save(fields):
        meeting_setup.save_table(event=event, table=table, actor=request.user, **fields)

    delete_url = table and reverse(
        "organise:meetings_table_delete", args=[event.slug, table.pk]
    )
    heading = _("Edit the table") if table else _("New table")
    return _form_page(request, event, form, save, heading, delete_url)


def _confirm_delete(request, event, thing, delete, heading):
    back = reverse("organise:meetings_setup", args=[event.slug])
    if request.method == "POST":
        try:
            delete()
        except MeetingError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Deleted “%(name)s”.") % {"name": thing})
        return redirect(back)
    return page(
        request,
        event,
        "organise/confirm.html",
        crumbs=_crumbs(event, heading),
        heading=heading,
        explanation=str(thing),
        button=_("Delete"),
        danger=True,
        cancel_url=back,
    )


@organiser_page(Capability.EDIT_PROGRAMME)
def block_delete(request, event, block_id):
    block = get_object_or_404(MeetingBlock, pk=block_id, event=event)
    return _confirm_delete(
        request,
        event,
        show_span(block.starts_at, block.ends_at, event),
        lambda: meeting_setup.delete_block(block=block, actor=request.user),
        _("Delete the meeting block?"),
    )


@organiser_page(Capability.EDIT_PROGRAMME)
def table_delete(request, event, table_id):
    table = get_object_or_404(Table, pk=table_id, event=event)
    return _confirm_delete(
        request,
        event,
        table,
        lambda: meeting_setup.delete_table(table=table, actor=request.user),
        _("Delete the table?"),
    )
