"""Admin forms for the schedule. They validate; events.services writes.

A form that the admin shows again after a service refused the save (a race the
form could not see) carries the refusal in `schedule_error` and shows it as a
form error, so the organiser's input is kept.
"""

import copy

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import normalise_email
from accounts.services import find_person

from .conflicts import check_session
from .models import Event, EventOrganiser, Session, timezone_names
from .services import CHECKED_FIELDS


class ServiceErrorFormMixin:
    schedule_error: str | None = None  # set by the admin on the second pass

    def clean(self):
        cleaned = super().clean()
        if self.schedule_error:
            raise ValidationError(self.schedule_error)
        return cleaned


def _timezone_choices():
    return [(name, name) for name in sorted(timezone_names())]


class EventAdminForm(ServiceErrorFormMixin, forms.ModelForm):
    timezone = forms.ChoiceField(
        label=_("time zone"),
        choices=_timezone_choices,
        initial=settings.DEFAULT_EVENT_TIMEZONE,
    )

    class Meta:
        model = Event
        exclude = []  # noqa: DJ006 - every editable field; the admin orders them


class SessionAdminForm(ServiceErrorFormMixin, forms.ModelForm):
    class Meta:
        model = Session
        fields = [
            "event", "title", "abstract", "kind", "track", "starts_at", "ends_at",
            "room", "speakers", "capacity", "signup_required", "status",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        event = cleaned.get("event") or (
            self.instance.event if self.instance.event_id else None
        )
        if event is None:
            return cleaned
        speakers = cleaned.get("speakers")
        if speakers is None:
            speakers = list(self.instance.speakers.all()) if self.instance.pk else []
        if any(s.event_id != event.pk for s in speakers):
            self.add_error("speakers", _("Choose speakers of this session's event."))
        track = cleaned.get("track")
        if track and track.event_id != event.pk:
            self.add_error("track", _("This track belongs to another event."))
        if self.errors:
            return cleaned
        if self.instance.pk and not set(self.changed_data) & CHECKED_FIELDS:
            return cleaned  # a title or abstract fix never fails on an older clash
        candidate = copy.copy(self.instance)
        candidate.event = event
        for name in ("starts_at", "ends_at", "room", "status"):
            if name in cleaned:
                setattr(candidate, name, cleaned[name])
        if candidate.starts_at and candidate.ends_at:
            conflicts = check_session(candidate, speaker_ids=[s.pk for s in speakers])
            if conflicts:
                raise ValidationError([c.message for c in conflicts])
        return cleaned


class OrganiserForm(forms.ModelForm):
    """An organiser is named by the email of their account, never picked from a
    list: the list of all users (attendees included) is nobody's business."""

    email = forms.EmailField(label=_("email of their account"))

    class Meta:
        model = EventOrganiser
        fields = ["email", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["email"].initial = self.instance.user.email

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = find_person(email)
        if user is None:
            raise ValidationError(
                _("No account uses this address; ask the person to sign up first.")
            )
        event_id = self.instance.event_id
        if (
            event_id
            and EventOrganiser.objects.filter(event_id=event_id, user=user)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise ValidationError(_("This person is already an organiser."))
        self.instance.user = user
        return email


class OrganiserFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        emails = [
            normalise_email(form.cleaned_data["email"])
            for form in self.forms
            if form.cleaned_data.get("email") and not form.cleaned_data.get("DELETE")
        ]
        if len(emails) != len(set(emails)):
            raise ValidationError(_("Name each organiser once."))
        owners = [
            form
            for form in self.forms
            if form.cleaned_data.get("role") == EventOrganiser.Role.OWNER
            and not form.cleaned_data.get("DELETE")
        ]
        if self.instance.pk and not owners:
            raise ValidationError(_("An event needs at least one owner."))
