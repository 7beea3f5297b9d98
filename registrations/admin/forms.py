"""Forms of the organiser pages: check-in, registering someone, inviting."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import PlainTextMixin
from accounts.models import normalise_email

from ..forms import QuestionsMixin
from ..invitation_import import decode_upload, parse_invitees
from ..selectors.questions import questions_of

MAX_UPLOAD_BYTES = 1_000_000


class CheckInCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=200,
        help_text=_("Type the code or scan the QR code into this field."),
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "characters",
            }
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        # A scanner may deliver a link ending in the code: keep the last part.
        return code.rstrip("/").rsplit("/", 1)[-1].strip().upper()


class OnBehalfForm(PlainTextMixin, QuestionsMixin, forms.Form):
    """Organisers may leave any question unanswered (they may not know)."""

    email = forms.EmailField(label=_("Email of the person"))
    name = forms.CharField(label=_("Their name"), max_length=200)
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


class InviteOneForm(PlainTextMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"))
    institution = forms.CharField(
        label=_("Institution"), max_length=200, required=False
    )


class InviteOptionsForm(forms.Form):
    registration_type = forms.ModelChoiceField(
        label=_("Registration type"),
        queryset=None,
        help_text=_("For people in a list: used when a line names no type."),
    )
    rsvp_deadline = forms.DateTimeField(
        label=_("Answer by (event's time zone)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reserves_seat = forms.BooleanField(
        label=_("Reserve a place for each invitee until they answer"), required=False
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["registration_type"].queryset = event.registration_types.all()

    def clean_rsvp_deadline(self):
        deadline = self.cleaned_data["rsvp_deadline"]
        if deadline is None:
            return None
        # Organisers mean the event's local time, whatever the server's zone.
        return deadline.replace(tzinfo=None).replace(tzinfo=self.event.tzinfo)


class InviteListForm(forms.Form):
    text = forms.CharField(
        label=_("People to invite"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One person a line: name, email, institution, type (separated by "
            "commas, semicolons or tabs; a header row is optional)."
        ),
    )
    upload = forms.FileField(label=_("…or a CSV file"), required=False)

    def __init__(self, *args, event, default_type=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.default_type = default_type
        self.rows = []

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("text", "")
        upload = cleaned.get("upload")
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(_("The file is larger than 1 MB."))
            try:
                text = decode_upload(upload.read())
            except ValueError as error:
                raise forms.ValidationError(str(error)) from error
        rows, errors = parse_invitees(
            text,
            types=list(self.event.registration_types.all()),
            default_type=self.default_type,
        )
        if errors:
            raise forms.ValidationError(errors)
        self.rows = rows
        return cleaned
