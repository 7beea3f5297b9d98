"""Finding registrations, choosing a bulk action, registering someone."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import PlainTextMixin
from accounts.models import normalise_email
from events.times import show_span
from registrations.forms import QuestionsMixin
from registrations.models import BulkOperation, Question, Registration
from registrations.selectors.lists import (
    RegistrationFilters,
    answer_choices,
    filter_questions,
)
from registrations.selectors.questions import questions_of

ANY = [("", _("Any"))]
YES_NO_ANY = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]
# The list's filters, by their names in the URL (the bulk form repeats them).
FILTER_FIELDS = ("q", "status", "type", "session", "answer", "checked_in", "invited")


class RegistrationFilterForm(forms.Form):
    """The list's search and filters, from the query string. Sensitive (health)
    questions are offered only when the role may see their answers."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Name, email or organisation"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + Registration.Status.choices
    )
    type = forms.TypedChoiceField(label=_("Type"), required=False, coerce=int)
    session = forms.TypedChoiceField(label=_("Session"), required=False, coerce=int)
    answer = forms.ChoiceField(label=_("Answer"), required=False)
    checked_in = forms.ChoiceField(
        label=_("Checked in"), required=False, choices=YES_NO_ANY
    )
    invited = forms.ChoiceField(label=_("Invited"), required=False, choices=YES_NO_ANY)

    def __init__(self, data, *, event, include_sensitive: bool, **kwargs):
        super().__init__(data, **kwargs)
        types = list(event.registration_types.all())
        self.fields["type"].choices = ANY + [(t.pk, t.name) for t in types]
        sessions = event.sessions.filter(
            signup_required=True, starts_at__isnull=False
        ).order_by("starts_at")
        self.fields["session"].choices = ANY + [
            (s.pk, f"{s.title} ({show_span(s.starts_at, s.ends_at, event)})")
            for s in sessions
        ]
        self.questions = {
            q.pk: q
            for q in filter_questions(event, include_sensitive=include_sensitive)
        }
        self.fields["answer"].choices = ANY + [
            (
                question.label,
                [
                    (f"{question.pk}:{value}", self._answer_label(question, label))
                    for value, label in answer_choices(question)
                ],
            )
            for question in self.questions.values()
        ]
        for name in ("type", "session", "answer"):
            if len(self.fields[name].choices) == 1:
                del self.fields[name]  # nothing to choose from

    @staticmethod
    def _answer_label(question: Question, label: str) -> str:
        if question.kind == Question.Kind.YES_NO:
            return str(_("Yes") if label == "yes" else _("No"))
        return label

    def filters(self) -> RegistrationFilters:
        """The valid part of what was asked (all of it when the form is valid)."""
        self.is_valid()
        data = self.cleaned_data

        def yes_no(name):
            return {"yes": True, "no": False}.get(data.get(name) or "")

        answer = None
        if data.get("answer"):
            question_id, _sep, wanted = data["answer"].partition(":")
            answer = (self.questions[int(question_id)], wanted)
        return RegistrationFilters(
            search=(data.get("q") or "").strip(),
            statuses=(data["status"],) if data.get("status") else (),
            type_id=data.get("type") or None,
            session_id=data.get("session") or None,
            checked_in=yes_no("checked_in"),
            invited=yes_no("invited"),
            answer=answer,
        )

    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in FILTER_FIELDS)


class BulkChoiceForm(forms.Form):
    """Which action, for whom: the ticked rows, or every row the filters match."""

    action = forms.ChoiceField(label=_("Action"))
    scope = forms.ChoiceField(
        choices=[("selected", _("The ticked rows")), ("all", _("Everyone listed"))],
        initial="selected",
        required=False,
    )
    ids = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, data, *, kinds, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["action"].choices = [
            (kind, BulkOperation.Kind(kind).label) for kind in kinds
        ]
        # Any whole number: the action applies only to the event's own rows.
        self.fields["ids"].valid_value = lambda value: str(value).isdigit()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") != "all" and not cleaned.get("ids"):
            raise forms.ValidationError(_("Tick at least one row, or choose everyone."))
        return cleaned


class ConfirmForm(forms.Form):
    """The confirmation page's own fields."""

    expected = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    tell = forms.BooleanField(
        label=_("Email them about it"),
        required=False,
        initial=True,
        help_text=_("Untick to change the registrations without telling anyone."),
    )
    reason = forms.CharField(
        label=_("Reason, told to them (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OnBehalfForm(PlainTextMixin, QuestionsMixin, forms.Form):
    """Organisers may leave any question unanswered (they may not know)."""

    email = forms.EmailField(label=_("Email of the person"))
    name = forms.CharField(label=_("Their name"), max_length=200)
    sort_name = forms.CharField(
        label=_("Their name as it sorts"),
        max_length=200,
        required=False,
        help_text=_(
            "For badges and lists, such as “van Dijk”. Empty: the last word of "
            "their name. An existing account keeps a sort name it has."
        ),
    )
    affiliation = forms.CharField(
        label=_("Their affiliation"), max_length=200, required=False
    )
    registration_type = forms.ModelChoiceField(
        label=_("Registration type"), queryset=None, required=False
    )
    override_capacity = forms.BooleanField(
        label=_("Register even if the event, type or sessions are full"),
        help_text=_("Recorded in the registration's history with your name."),
        required=False,
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        types = event.registration_types.all()
        self.fields["registration_type"].queryset = types
        self.fields["registration_type"].required = types.exists()
        self.add_question_fields(questions_of(event))

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def answers(self, registration_type) -> dict:
        given = super().answers(registration_type)
        return {
            question: value for question, value in given.items() if value is not None
        }
