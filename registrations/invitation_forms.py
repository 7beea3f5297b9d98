"""Forms of the invitee's page: accept (with the event's questions), with or
without an account, decline with a reason, name a substitute."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import PlainTextMixin

from .forms import QuestionsMixin
from .selectors.questions import questions_of


class AcceptForm(PlainTextMixin, QuestionsMixin, forms.Form):
    """The event's questions for the invitation's type (as the registration page
    asks them), and the privacy notice."""

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        event = invitation.event
        self.registration_type = invitation.registration_type
        self.add_question_fields(
            [
                question
                for question in questions_of(event)
                if self.applies(question, self.registration_type)
            ]
        )
        if event.privacy_notice:
            self.fields["privacy_accepted"] = forms.BooleanField(
                label=_("I have read the privacy notice above."), required=True
            )

    def clean(self):
        cleaned = super().clean()
        self.check_required(self.registration_type)
        return cleaned

    def answers(self) -> dict:
        return super().answers(self.registration_type)


class SignUpAcceptForm(AcceptForm):
    """Accept through the link alone: no account needed, no password asked (the
    link proves the address). The name is asked only of a person without an
    account yet."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["name"]

    def __init__(self, *args, invitation, needs_name: bool = True, **kwargs):
        super().__init__(*args, invitation=invitation, **kwargs)
        self.fields["name"].initial = invitation.name
        if not needs_name:
            del self.fields["name"]


class DeclineForm(PlainTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Would you tell the organisers why? (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SubstituteForm(PlainTextMixin, forms.Form):
    substitute_name = forms.CharField(label=_("Their name"), max_length=200)
    substitute_email = forms.EmailField(label=_("Their email"))
