"""Attendee forms: registering (type, questions, sessions, privacy) and answers.

Questions become fields named `q_<id>`. Input errors belong here; capacity,
windows and invitations are the services' business.
"""

import functools

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.validators import validate_multi_line, validate_single_line
from events.models import Session
from events.times import show_span

from .models import Question

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


@functools.cache
def _countries_in(language: str | None) -> list[tuple[str, str]]:
    return [("", "—"), *countries]


def _country_choices() -> list[tuple[str, str]]:
    # Named and sorted in the active language once per process, not per form.
    return _countries_in(get_language())


def _field_for(question: Question) -> forms.Field:
    common = {
        "label": question.label,
        "help_text": question.help_text,
        "required": False,
    }
    kind = question.kind
    if kind == Question.Kind.LONG_TEXT:
        return forms.CharField(
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 4}),
            validators=[validate_multi_line],
            **common,
        )
    if kind == Question.Kind.SINGLE_CHOICE:
        return forms.ChoiceField(
            choices=question.choice_pairs(),
            widget=forms.RadioSelect,
            **common,
        )
    if kind == Question.Kind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=question.choice_pairs(),
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if kind == Question.Kind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if kind == Question.Kind.COUNTRY:
        return forms.ChoiceField(choices=_country_choices, **common)
    if kind == Question.Kind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    return forms.CharField(max_length=300, validators=[validate_single_line], **common)


def _stored(question: Question, value):
    """The JSON value kept for an answer (None: no answer)."""
    if value in (None, "", []):
        return None
    if question.kind == Question.Kind.YES_NO:
        return value == "yes"
    if question.kind == Question.Kind.DATE:
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    return value


def _initial(question: Question, value):
    if question.kind == Question.Kind.YES_NO and isinstance(value, bool):
        return "yes" if value else "no"
    return value


class QuestionsMixin:
    """Adds one field per question; `applies(question)` decides which are asked."""

    def add_question_fields(self, questions, initial_answers=None):
        self.questions = list(questions)
        initial_answers = initial_answers or {}
        for question in self.questions:
            field = _field_for(question)
            # The form checks required answers itself (only for the types a
            # question applies to); the mark tells the person beforehand.
            field.answer_required = question.required
            if question.pk in initial_answers:
                field.initial = _initial(question, initial_answers[question.pk])
            self.fields[f"q_{question.pk}"] = field

    def question_types(self, question) -> frozenset[int]:
        return question.type_ids  # questions come from selectors.questions_of

    def applies(self, question, registration_type) -> bool:
        types = self.question_types(question)
        return not types or (
            registration_type is not None and registration_type.pk in types
        )

    def check_required(self, registration_type):
        for question in self.questions:
            name = f"q_{question.pk}"
            if name in self.errors:
                continue
            value = self.cleaned_data.get(name)
            if (
                question.required
                and self.applies(question, registration_type)
                and (value in (None, "", []))
            ):
                self.add_error(name, _("Please answer this question."))

    def answers(self, registration_type) -> dict:
        return {
            question: _stored(question, self.cleaned_data.get(f"q_{question.pk}"))
            for question in self.questions
            if self.applies(question, registration_type)
        }


class RegistrationForm(QuestionsMixin, forms.Form):
    def __init__(self, *args, event, types, questions, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.types = list(types)
        if len(self.types) > 1:
            # Choices from the types in hand: choosing one reads nothing more.
            self.fields["registration_type"] = forms.TypedChoiceField(
                label=_("Registration type"),
                choices=[(t.pk, t.name) for t in self.types],
                coerce={str(t.pk): t for t in self.types}.get,
                widget=forms.RadioSelect,
            )
        self.add_question_fields(questions)
        # `sessions` is a queryset, read only when the page lists the choices or a
        # POST names some; the template hides the field when there are none.
        self.fields["sessions"] = forms.ModelMultipleChoiceField(
            label=_("Sessions with limited seats"),
            queryset=sessions,
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text=_(
                "Seats go first come, first served; full ones have a waitlist."
            ),
        )
        self.fields["sessions"].label_from_instance = self._session_label
        if event.privacy_notice:
            self.fields["privacy"] = forms.BooleanField(
                label=_("I have read and accept the privacy notice above."),
                required=True,
            )

    def type_choices(self) -> list:
        """Each registration type's radio button with the type it stands for, so
        its description can sit beside it."""
        if "registration_type" not in self.fields:
            return []
        return list(zip(self["registration_type"], self.types, strict=True))

    def _session_label(self, session) -> str:
        when = show_span(session.starts_at, session.ends_at, self.event)
        return f"{session.title} ({when})"

    def chosen_type(self):
        if "registration_type" in self.fields:
            return self.cleaned_data.get("registration_type")
        return self.types[0] if self.types else None

    def clean(self):
        cleaned = super().clean()
        self.check_required(self.chosen_type())
        return cleaned

    def session_ids(self) -> list[int]:
        if not self["sessions"].data:
            # None chosen: the field's empty `queryset.none()` would still build SQL.
            return []
        return [s.pk for s in self.cleaned_data.get("sessions") or []]


class AnswersForm(QuestionsMixin, forms.Form):
    def __init__(self, *args, registration, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.registration = registration
        current = {a.question_id: a.value for a in registration.answers.all()}
        self.add_question_fields(
            [q for q in questions if self.applies(q, registration.registration_type)],
            current,
        )

    def clean(self):
        cleaned = super().clean()
        self.check_required(self.registration.registration_type)
        return cleaned


class SessionChoiceForm(forms.Form):
    """Change the sessions one holds seats in (from the manage page)."""

    def __init__(self, *args, event, sessions, chosen, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["sessions"] = forms.ModelMultipleChoiceField(
            label=_("Your sessions"),
            queryset=Session.objects.filter(pk__in=[s.pk for s in sessions]),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            initial=chosen,
        )
        self.fields[
            "sessions"
        ].label_from_instance = RegistrationForm._session_label.__get__(self)
