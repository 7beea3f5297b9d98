"""The settings' registration types and questions, one form each, and a preview
of the registration form as an attendee will see it. Writes go through
registrations.services.setup."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from events.access import Capability
from events.models import Session
from registrations.forms import RegistrationForm
from registrations.models import Question, RegistrationType
from registrations.selectors.questions import questions_of
from registrations.services import RegistrationError, setup

from ..forms.fields import add_service_errors, refusal_text
from ..forms.settings import QuestionForm, RegistrationTypeForm
from ..pages import organiser_page, page
from .settings import BY_SLUG, settings_url

REFUSALS = (ValidationError, RegistrationError)


def _crumbs(event, step: str, label):
    return [
        (_("Settings"), settings_url(event)),
        (BY_SLUG[step].label, settings_url(event, step)),
        (label, None),
    ]


def _url(event, name: str, row) -> str:
    return reverse(f"organise:settings_{name}", args=[event.slug, row.pk])


def _form_page(request, event, step, form, heading, delete_url=None):
    return page(
        request,
        event,
        "organise/form_page.html",
        crumbs=_crumbs(event, step, heading),
        heading=heading,
        form=form,
        submit_label=_("Save"),
        cancel_url=settings_url(event, step),
        delete_url=delete_url,
    )


def _data(request):
    return request.POST if request.method == "POST" else None


def _type_form(request, event, registration_type):
    instance = registration_type or RegistrationType(event=event)
    form = RegistrationTypeForm(_data(request), instance=instance, event=event)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            saved = setup.save_registration_type(
                event=event,
                registration_type=registration_type,
                actor=request.user,
                **fields,
            )
        except REFUSALS as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, _("Saved “%(name)s”.") % {"name": saved.name})
            return redirect(settings_url(event, "registration"))
    heading = registration_type.name if registration_type else _("New type")
    delete_url = registration_type and _url(event, "types_delete", registration_type)
    return _form_page(request, event, "registration", form, heading, delete_url)


def _type_or_404(event, type_id) -> RegistrationType:
    return get_object_or_404(RegistrationType, event=event, pk=type_id)


@organiser_page(Capability.MANAGE_SETTINGS)
def type_create(request, event):
    return _type_form(request, event, None)


@organiser_page(Capability.MANAGE_SETTINGS)
def type_edit(request, event, type_id):
    return _type_form(request, event, _type_or_404(event, type_id))


def _confirm_delete(request, event, step, row, delete):
    """Ask first; on POST call `delete(row)`, whose refusal becomes a message."""
    if request.method == "POST":
        try:
            delete(row)
        except REFUSALS as refused:
            messages.error(request, refusal_text(refused))
        else:
            messages.success(request, _("Deleted “%(name)s”.") % {"name": row})
        return redirect(settings_url(event, step))
    return page(
        request,
        event,
        "organise/confirm.html",
        crumbs=_crumbs(event, step, str(row)),
        heading=_("Delete “%(name)s”?") % {"name": row},
        explanation=_("This cannot be undone."),
        button=_("Delete"),
        danger=True,
        cancel_url=settings_url(event, step),
    )


@organiser_page(Capability.MANAGE_SETTINGS)
def type_delete(request, event, type_id):
    return _confirm_delete(
        request,
        event,
        "registration",
        _type_or_404(event, type_id),
        lambda row: setup.delete_registration_type(registration_type=row),
    )


def _question_form(request, event, question):
    instance = question or Question(event=event)
    form = QuestionForm(_data(request), instance=instance, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            saved = setup.save_question(
                event=event,
                question=question,
                registration_types=form.cleaned_data["registration_types"],
                **form.question_fields(),
            )
        except REFUSALS as refused:
            add_service_errors(form, refused, {"choices": "choices_text"})
        else:
            messages.success(request, _("Saved “%(name)s”.") % {"name": saved.label})
            return redirect(settings_url(event, "questions"))
    heading = question.label if question else _("New question")
    delete_url = question and _url(event, "questions_delete", question)
    return _form_page(request, event, "questions", form, heading, delete_url)


def _question_or_404(event, question_id) -> Question:
    return get_object_or_404(Question, event=event, pk=question_id)


@organiser_page(Capability.MANAGE_SETTINGS)
def question_create(request, event):
    return _question_form(request, event, None)


@organiser_page(Capability.MANAGE_SETTINGS)
def question_edit(request, event, question_id):
    return _question_form(request, event, _question_or_404(event, question_id))


@organiser_page(Capability.MANAGE_SETTINGS)
def question_delete(request, event, question_id):
    return _confirm_delete(
        request,
        event,
        "questions",
        _question_or_404(event, question_id),
        lambda row: setup.delete_question(question=row),
    )


@organiser_page(Capability.MANAGE_SETTINGS)
def preview(request, event):
    """The registration form as attendees will see it, every field disabled."""
    form = RegistrationForm(
        event=event,
        types=[t for t in event.registration_types.all() if not t.invitation_only],
        questions=questions_of(event),
        sessions=event.sessions.filter(
            signup_required=True,
            status=Session.Status.SCHEDULED,
            starts_at__isnull=False,
        )
        .select_related("room")
        .order_by("starts_at", "title"),
    )
    for field in form.fields.values():
        field.disabled = True
    return page(
        request,
        event,
        "organise/registration_preview.html",
        crumbs=[(_("Settings"), settings_url(event)), (_("Preview"), None)],
        form=form,
    )
