"""Inviting people (one, or a pasted or uploaded list), finding invitations,
and an organiser's choice of news about answers."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.forms import PlainTextMixin
from events.models import EventOrganiser
from registrations.invitation_import import decode_upload, parse_invitees
from registrations.models import Invitation

from .fields import LOCAL_INPUT

MAX_UPLOAD_BYTES = 1_000_000
MAX_MESSAGE = 2000


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
    message = forms.CharField(
        label=_("Personal message"),
        required=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown in the invitation above the link. Plain text."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        required=False,
        help_text=_("For people in a list: used when a line names no language."),
    )
    rsvp_deadline = forms.DateTimeField(
        label=_("Answer by (event's time zone)"),
        required=False,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format=LOCAL_INPUT
        ),
    )
    reserves_seat = forms.BooleanField(
        label=_("Reserve a place for each invitee until they answer"), required=False
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["registration_type"].queryset = event.registration_types.all()
        self.fields["language"].choices = [
            ("", _("The site's default")),
            *settings.LANGUAGES,
        ]

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
            "One person a line: name, email, institution, type, language "
            "(separated by commas, semicolons or tabs; a header row is optional)."
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


class InvitationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Name, email or institution"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), *Invitation.Status.choices],
    )


class InvitationNewsForm(forms.Form):
    invitation_news = forms.ChoiceField(
        label=_("Email me about answers"),
        choices=EventOrganiser.InvitationNews.choices,
        widget=forms.RadioSelect,
    )
