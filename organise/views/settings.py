"""The event's settings in steps: basics, time and place, registration,
questions, privacy. Each step is one page with its own form; the event's fields
are saved through events.services.update_event, the registration rules through
registrations (a larger capacity moves waiting people up)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events import access
from events import services as schedule
from events.access import Capability
from events.models import Event
from registrations.models import Question
from registrations.services import RegistrationError, setup

from ..forms.fields import add_service_errors, refusal_text
from ..forms.settings import (
    BasicsForm,
    PrivacyForm,
    RegistrationRulesForm,
    TimeAndPlaceForm,
)
from ..pages import organiser_page, page

REFUSALS = (schedule.ScheduleError, ValidationError, RegistrationError)


def _save_event(request, event, fields) -> None:
    schedule.update_event(event=event, actor=request.user, **fields)


def _save_rules(request, event, fields) -> None:
    setup.change_registration_rules(event=event, actor=request.user, **fields)


@dataclass(frozen=True)
class Step:
    slug: str
    label: Promise
    form: type | None = None
    save: Callable | None = None


STEPS = [
    Step("basics", gettext_lazy("Basics"), BasicsForm, _save_event),
    Step(
        "time-and-place", gettext_lazy("Time and place"), TimeAndPlaceForm, _save_event
    ),
    Step(
        "registration", gettext_lazy("Registration"), RegistrationRulesForm, _save_rules
    ),
    Step("questions", gettext_lazy("Questions")),
    Step("privacy", gettext_lazy("Privacy"), PrivacyForm, _save_event),
]
BY_SLUG = {step.slug: step for step in STEPS}


def settings_url(event, step: str = "basics") -> str:
    return reverse("organise:settings_step", args=[event.slug, step])


@organiser_page(Capability.MANAGE_SETTINGS)
def settings_index(request, event):
    return redirect(settings_url(event))


def _form(request, event, step: Step):
    if step.form is None:
        return None
    extra = {}
    if step.form is TimeAndPlaceForm:
        extra["venues"] = access.visible_venues(request)
    return step.form(
        request.POST if request.method == "POST" else None, event=event, **extra
    )


def _save(request, event, step: Step, form) -> bool:
    if not form.is_valid():
        return False
    fields = form.changed_fields()
    if not fields:
        messages.info(request, _("Nothing changed."))
        return True
    try:
        step.save(request, event, fields)
    except REFUSALS as refused:
        add_service_errors(form, refused)
        return False
    messages.success(request, _("Saved: %(step)s.") % {"step": step.label})
    return True


def _publish(request, event) -> None:
    try:
        schedule.publish_event(event=event, actor=request.user)
    except REFUSALS as refused:
        messages.error(request, refusal_text(refused))
    else:
        messages.success(request, _("The event is published."))


@organiser_page(Capability.MANAGE_SETTINGS)
def settings_step(request, event, step):
    step = BY_SLUG.get(step)
    if step is None:
        raise Http404(_("No such step."))
    form = _form(request, event, step)
    if request.method == "POST":
        if request.POST.get("action") == "publish" and event.status == "draft":
            _publish(request, event)
            return redirect(settings_url(event, step.slug))
        if form is not None and _save(request, event, step, form):
            return redirect(settings_url(event, step.slug))
    return page(
        request,
        event,
        "organise/settings_step.html",
        crumbs=[(_("Settings"), settings_url(event)), (step.label, None)],
        steps=[(s, settings_url(event, s.slug)) for s in STEPS],
        step=step,
        form=form,
        may_publish=event.status == Event.Status.DRAFT,
        **_step_lists(event, step),
    )


def _step_lists(event, step: Step) -> dict:
    """The rows a step lists below its form: types, or questions."""
    if step.slug == "registration":
        types = event.registration_types.annotate(
            registration_count=Count("registrations", distinct=True)
        ).order_by("position", "name")
        return {"registration_types": types}
    if step.slug == "questions":
        questions = (
            Question.objects.filter(event=event)
            .prefetch_related("registration_types")
            .annotate(answer_count=Count("answers"))
            .order_by("position", "pk")  # aggregation drops Meta.ordering
        )
        return {"questions": questions}
    return {}
