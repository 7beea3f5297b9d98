"""A new event: from nothing, or as a copy of one the person owns."""

from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from events.models import Event, Venue, timezone_names

from .fields import ZonedDateTimeField
from .settings import timezone_choices

# Addresses the organiser area uses for its own pages under /organise/.
RESERVED_SLUGS = {"new"}


class NewEventForm(forms.Form):
    copy_from = forms.ModelChoiceField(
        label=_("Copy an earlier event"),
        queryset=Event.objects.none(),
        required=False,
        empty_label=_("No: start from nothing"),
        help_text=_(
            "Its settings, venue, tracks, registration types and questions, "
            "with every date moved as the start moves. Sessions are not copied."
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name in URLs"),
        max_length=80,
        help_text=_("Letters, digits and hyphens, e.g. spring-forum-2027."),
    )
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=timezone_choices,
        initial=settings.DEFAULT_EVENT_TIMEZONE,
        help_text=_("A copy keeps the time zone of the event it copies."),
    )
    starts_at = ZonedDateTimeField(label=_("Starts"))
    ends_at = ZonedDateTimeField(
        label=_("Ends"),
        required=False,
        help_text=_("A copy lasts as long as the event it copies."),
    )
    venue = forms.ModelChoiceField(
        label=_("Venue"), queryset=Venue.objects.none(), required=False
    )

    def __init__(self, *args, sources, venues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = sources
        self.fields["venue"].queryset = venues
        zone = self._zone()
        for name in ("starts_at", "ends_at"):
            self.fields[name].zone = zone

    def _zone(self) -> ZoneInfo:
        # Times are read on the clocks of the event they will belong to.
        chosen = str(self.data.get("copy_from", "")) if self.is_bound else ""
        if chosen.isdigit():
            source = self.fields["copy_from"].queryset.filter(pk=chosen).first()
            if source is not None:
                return source.tzinfo
        zone = self.data.get("timezone") if self.is_bound else None
        if zone not in timezone_names():
            zone = settings.DEFAULT_EVENT_TIMEZONE
        return ZoneInfo(zone)

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This address is reserved; choose another."))
        if Event.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Another event has this address."))
        return slug

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("copy_from") or "ends_at" in self.errors:
            return cleaned  # a copy lasts as long as its source
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and not ends:
            self.add_error("ends_at", _("Give the end of a new event."))
        elif starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        return cleaned
