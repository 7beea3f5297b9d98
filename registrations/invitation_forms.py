"""Forms of the invitee's page: accept (with the event's questions), sign up,
name a substitute."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
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
    """Accept without an account yet: the link proves the address."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("The password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, invitation=invitation, **kwargs)
        self.email = invitation.email
        self.fields["name"].initial = invitation.name

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = get_user_model()(email=self.email, name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SubstituteForm(PlainTextMixin, forms.Form):
    substitute_name = forms.CharField(label=_("Their name"), max_length=200)
    substitute_email = forms.EmailField(label=_("Their email"))
