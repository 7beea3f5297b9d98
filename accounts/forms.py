"""The signup addition (a name) and the profile form."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import User
from .validators import refuse_control_characters


class PlainTextMixin:
    """Every text field of the form refuses control characters (validators.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        refuse_control_characters(self.fields)


class SignupForm(PlainTextMixin, forms.Form):
    """Asked beside allauth's email and password: badges and lists need a name."""

    name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        help_text=_("As it should appear on your badge."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["name"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please tell us your name."))
        return name

    def signup(self, request, user):
        # allauth calls this once the new user is saved.
        user.name = self.cleaned_data["name"]
        user.preferred_language = _supported_language(
            getattr(request, "LANGUAGE_CODE", "")
        )
        user.save(update_fields=["name", "preferred_language"])


def _supported_language(code: str) -> str:
    codes = {language for language, _name in settings.LANGUAGES}
    return code if code in codes else settings.LANGUAGE_CODE


class ProfileForm(PlainTextMixin, forms.ModelForm):
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=lambda: [("", "—")] + list(countries),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=lambda: settings.LANGUAGES,
        help_text=_("Emails from Kokous come in this language."),
    )

    class Meta:
        model = User
        fields = ["name", "sort_name", "affiliation", "country", "preferred_language"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "affiliation": forms.TextInput(attrs={"autocomplete": "organization"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please tell us your name."))
        return name

    def clean_sort_name(self):
        return " ".join(self.cleaned_data["sort_name"].split())
