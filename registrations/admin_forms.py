"""Forms of the organiser pages: check-in, registering someone, inviting."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .invitation_import import decode_upload, parse_invitees
from .models import Question

MAX_UPLOAD_BYTES = 1_000_000


def question_field(question: Question, *, required: bool = False) -> forms.Field:
    """A form field asking `question`; organisers may leave anything empty."""
    common = {
        "label": question.label,
        "help_text": question.help_text,
        "required": required,
    }
    choices = [(str(c), str(c)) for c in question.choices]
    match question.kind:
        case Question.Kind.LONG_TEXT:
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), **common)
        case Question.Kind.SINGLE_CHOICE:
            return forms.ChoiceField(choices=[("", "—"), *choices], **common)
        case Question.Kind.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        case Question.Kind.YES_NO if required:
            return forms.TypedChoiceField(
                choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))],
                coerce=lambda value: value == "true",
                **common,
            )
        case Question.Kind.YES_NO:
            return forms.NullBooleanField(
                widget=forms.Select(
                    choices=[("unknown", "—"), ("true", _("Yes")), ("false", _("No"))]
                ),
                **common,
            )
        case Question.Kind.DATE:
            return forms.DateField(
                widget=forms.DateInput(attrs={"type": "date"}), **common
            )
        case _:
            return forms.CharField(max_length=500, **common)


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


class OnBehalfForm(forms.Form):
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
        self.questions = list(event.questions.all())
        for question in self.questions:
            self.fields[f"question_{question.pk}"] = question_field(question)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def answers(self) -> dict:
        return answers_from(self.cleaned_data, self.questions)


def answers_from(cleaned_data: dict, questions) -> dict:
    """{question id: value} for the questions given an answer in a form."""
    result = {}
    for question in questions:
        value = cleaned_data.get(f"question_{question.pk}")
        if value in (None, "", []):
            continue
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        result[question.pk] = value
    return result


class InviteOneForm(forms.Form):
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
