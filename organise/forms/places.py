"""Rooms, venues, tracks and speakers: model forms that validate (constraints
included); events.services saves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Room, Speaker, Track, Venue

from .fields import ColourInput
from .translated import TranslatedFieldsMixin, expand


class VenueForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = [
            "name", "address", "city", "country", "latitude", "longitude", "map_url",
        ]  # fmt: skip


class RoomForm(TranslatedFieldsMixin, forms.ModelForm):
    translated = ("name",)
    required_texts = ("name",)

    class Meta:
        model = Room
        fields = expand(["venue", "name", "capacity", "accessibility_note"], ("name",))

    def __init__(self, *args, venues, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_languages(None)
        self.fields["venue"].queryset = venues
        self.fields["venue"].empty_label = None


class TrackForm(TranslatedFieldsMixin, forms.ModelForm):
    translated = ("name",)
    required_texts = ("name",)

    class Meta:
        model = Track
        fields = expand(["name", "slug", "colour"], ("name",))
        widgets = {"colour": ColourInput()}
        help_texts = {"slug": _("In the schedule's filter links: letters, digits, -.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_languages(self.instance.event if self.instance.event_id else None)


class SpeakerForm(forms.ModelForm):
    class Meta:
        model = Speaker
        fields = ["name", "affiliation", "bio", "email"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"email": _("Seen by the organisers only; never published.")}


def saved_fields(form: forms.ModelForm) -> dict:
    """The form's fields as keyword arguments for events.services.save_*."""
    return {name: form.cleaned_data[name] for name in form.Meta.fields}
