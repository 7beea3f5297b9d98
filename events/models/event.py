"""Events, who organises them, and the checks on their fields."""

import uuid
import zoneinfo
from datetime import timedelta
from functools import cache, cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MinValueValidator,
)
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from ..languages import default_event_languages, validate_languages
from .places import Venue


@cache
def timezone_names() -> frozenset[str]:
    # available_timezones() walks the tz database on disk: read it once.
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in timezone_names():
        raise ValidationError(
            _("“%(value)s” is not an IANA time zone name (like Europe/Helsinki)."),
            params={"value": value},
        )


POSITIVE = [MinValueValidator(1)]


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])

    def listed(self):
        """Public, published events: the ones on the front page and in /events.ics."""
        return self.published().filter(visibility=Event.Visibility.PUBLIC)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now())


EVENT_ENDS_MESSAGE = _("The event must end after it starts.")
REGISTRATION_CLOSES_MESSAGE = _("Registration must close after it opens.")


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        UNLISTED = "unlisted", _("Unlisted (link only)")
        INVITATION_ONLY = "invitation_only", _("By invitation only")

    class WaitlistMode(models.TextChoices):
        AUTOMATIC = "automatic", _("Promote the next person automatically")
        OFFER = "offer", _("Offer the place to the next person for a limited time")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Raised on every change of time, place or status: calendar apps compare it.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    slug = models.SlugField(_("short name in URLs"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Codes from settings.LANGUAGES in order, comma-separated; the first is the
    # default, and empty translations fall back through the rest.
    languages = models.CharField(
        _("languages"),
        max_length=40,
        blank=True,
        default=default_event_languages,
        validators=[validate_languages],
        help_text=_(
            "Language codes in order, the default first, e.g. “fi, sv, en”. "
            "Text not written in a language is shown in the first one that has it."
        ),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.DEFAULT_EVENT_TIMEZONE,
        validators=[validate_timezone],
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility, default=Visibility.PUBLIC
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens"), null=True, blank=True
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True
    )
    modification_deadline = models.DateTimeField(
        _("attendees may change answers and cancel until"), null=True, blank=True
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, validators=POSITIVE
    )
    waitlist_enabled = models.BooleanField(_("waitlist"), default=True)
    waitlist_mode = models.CharField(
        _("when a place frees"),
        max_length=20,
        choices=WaitlistMode,
        default=WaitlistMode.AUTOMATIC,
    )
    offer_hours = models.PositiveIntegerField(
        _("offers valid for (hours)"), default=48, validators=POSITIVE
    )
    approval_required = models.BooleanField(
        _("organiser approval required"), default=False
    )
    substitutes_need_approval = models.BooleanField(
        _("substitutes named by invitees need approval"), default=False
    )
    privacy_notice = models.TextField(
        _("privacy notice shown at registration"), blank=True
    )
    participant_list_public = models.BooleanField(
        _("public participant list"), default=False
    )
    reminder_hours_before = models.PositiveIntegerField(
        _("reminder before the event (hours, 0 = none)"), default=24
    )
    session_reminder_minutes = models.PositiveIntegerField(
        _("reminder before sessions with seats (minutes, 0 = none)"), default=0
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # Raised on every change to anything a schedule page or feed shows; the feeds'
    # ETag. schedule_changed_at is their Last-Modified.
    schedule_version = models.PositiveIntegerField(default=1, editable=False)
    schedule_changed_at = models.DateTimeField(default=now, editable=False)
    # Raised by registrations whenever a registration type or question changes: the
    # registration form's cached fields are kept under it (with schedule_version
    # for the sessions with seats they offer).
    registration_form_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(default=now, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=EVENT_ENDS_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_closes_after_open",
                violation_error_message=REGISTRATION_CLOSES_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
                violation_error_message=_("Capacity must be at least 1 (or empty)."),
            ),
            models.CheckConstraint(
                condition=Q(offer_hours__gte=1),
                name="event_offer_hours_positive",
                violation_error_message=_("Offers must be valid for at least an hour."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = EVENT_ENDS_MESSAGE
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = REGISTRATION_CLOSES_MESSAGE
        if errors:
            raise ValidationError(errors)

    @cached_property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_invitation_only(self) -> bool:
        return self.visibility == self.Visibility.INVITATION_ONLY

    def is_open_for_registration(self, now=None) -> bool:
        now = now or timezone.now()
        if self.status != self.Status.PUBLISHED or now >= self.ends_at:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now >= self.registration_closes_at)

    def local_days(self) -> list:
        """The calendar dates the event spans, in its own time zone."""
        first = self.starts_at.astimezone(self.tzinfo).date()
        last = self.ends_at.astimezone(self.tzinfo).date()
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


class EventOrganiser(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        EDITOR = "editor", _("Editor")
        CHECKIN = "checkin", _("Check-in staff")

    class InvitationNews(models.TextChoices):
        """How the organiser hears of invitees' answers."""

        OFF = "off", _("Off")
        IMMEDIATE = "immediate", _("An email for each answer")
        DAILY = "daily", _("A daily summary")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="organisers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organised_events",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.EDITOR)
    # Accepts, declines, substitutions and expiries of the event's invitations.
    invitation_news = models.CharField(
        _("news of invitation answers"),
        max_length=20,
        choices=InvitationNews,
        default=InvitationNews.DAILY,
    )

    class Meta:
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], name="one_role_per_organiser"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"
