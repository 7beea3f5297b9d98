"""The door's setup forms: a check-in list, a paired phone, a walk-in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import PlainTextMixin
from accounts.models import normalise_email
from registrations.models import CheckInList


class CheckInListForm(PlainTextMixin, forms.ModelForm):
    notes = forms.MultipleChoiceField(
        label=_("Attention notes its verdicts show"),
        choices=CheckInList.Note.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = CheckInList
        fields = ["name", "kind", "sessions", "notes", "allows_walk_ins"]
        widgets = {"sessions": forms.CheckboxSelectMultiple}
        help_texts = {
            "kind": _(
                "Single entry: a second scan is “already checked in”. Entry and "
                "exit: scans alternate in and out, and the list counts who is "
                "inside now."
            ),
            "sessions": _(
                "A workshop's door admits those with a seat in its sessions. "
                "None chosen: everyone confirmed for the event."
            ),
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = event.sessions.filter(
            starts_at__isnull=False  # one in the tray, never placed, admits nobody
        ).order_by("starts_at")
        self.fields["sessions"].required = False
        self.fields["sessions"].label = _("Sessions it admits")


class DeviceForm(PlainTextMixin, forms.Form):
    name = forms.CharField(
        label=_("Name of the phone"),
        max_length=100,
        help_text=_("For example “Main door, left”."),
    )


class WalkInForm(PlainTextMixin, forms.Form):
    name = forms.CharField(label=_("Their name"), max_length=200)
    email = forms.EmailField(label=_("Their email"))
    registration_type = forms.ModelChoiceField(
        label=_("Registration type"), queryset=None, required=False
    )
    override_capacity = forms.BooleanField(
        label=_("Register even if the event or type is full"), required=False
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        types = event.registration_types.all()
        self.fields["registration_type"].queryset = types
        self.fields["registration_type"].required = types.exists()

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class NoteForm(PlainTextMixin, forms.Form):
    note = forms.CharField(
        label=_("Organisers' note"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown at the door by the check-in lists that show notes."),
    )
