"""Changelist filters for registrations and invitations, scoped to one event.

The type and answer filters offer choices only once an event is chosen (the
`event` filter); answers to sensitive questions are offered only to roles that may
see them.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from events import access
from events.access import Capability

from ..models import Answer, Question, RegistrationType


def selected_event_id(request) -> int | None:
    try:
        return int(request.GET.get("event", ""))
    except ValueError:
        return None


class EventFilter(admin.SimpleListFilter):
    title = _("event")
    parameter_name = "event"

    def lookups(self, request, model_admin):
        events = access.events(request, model_admin.view_capability)
        return [(str(e.pk), e.title) for e in events.order_by("-starts_at")]

    def queryset(self, request, queryset):
        event_id = selected_event_id(request)
        return queryset if event_id is None else queryset.filter(event_id=event_id)


class TypeFilter(admin.SimpleListFilter):
    title = _("registration type")
    parameter_name = "type"

    def lookups(self, request, model_admin):
        event_id = selected_event_id(request)
        if event_id is None:
            return []
        types = RegistrationType.objects.filter(event_id=event_id)
        return [(str(t.pk), t.name) for t in types]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(registration_type_id=self.value())
        return queryset


class CheckedInFilter(admin.SimpleListFilter):
    title = _("checked in")
    parameter_name = "checked_in"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(checked_in_at__isnull=self.value() == "no")
        return queryset


def _answer_matches(value, wanted: str) -> bool:
    if isinstance(value, list):
        return wanted in [str(item) for item in value]
    if isinstance(value, bool):
        return wanted == ("yes" if value else "no")
    return value is not None and str(value) == wanted


class AnswerFilter(admin.SimpleListFilter):
    """Registrations whose answer to a choice question includes a given choice.

    The value is "<question id>:<choice>"; yes/no answers use "yes" and "no".
    """

    title = _("answer")
    parameter_name = "answer"

    def _questions(self, request):
        event_id = selected_event_id(request)
        if event_id is None:
            return []
        questions = Question.objects.filter(
            event_id=event_id, kind__in=Question.CLOSED_KINDS
        )
        if not access.may(request, Capability.SEE_SENSITIVE_ANSWERS, event_id):
            questions = questions.filter(is_sensitive=False)
        return list(questions)

    def lookups(self, request, model_admin):
        options = []
        for question in self._questions(request):
            if question.kind == Question.Kind.YES_NO:
                values = [("yes", _("Yes")), ("no", _("No"))]
            elif question.kind == Question.Kind.COUNTRY:
                answered = Answer.objects.filter(question=question).values_list(
                    "value", flat=True
                )
                values = [(v, v) for v in sorted({str(v) for v in answered if v})]
            else:
                values = question.choice_pairs()
            options += [
                (f"{question.pk}:{value}", f"{question.label}: {label}")
                for value, label in values
            ]
        return options

    def queryset(self, request, queryset):
        question_id, _sep, wanted = (self.value() or "").partition(":")
        allowed = {str(q.pk) for q in self._questions(request)}
        if not self.value() or question_id not in allowed:
            return queryset
        matching = [
            registration_id
            for registration_id, value in Answer.objects.filter(
                question_id=question_id
            ).values_list("registration_id", "value")
            if _answer_matches(value, wanted)
        ]
        return queryset.filter(pk__in=matching)
