"""The door's form: a check-in code, typed or scanned into the field."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
