import uuid
import zoneinfo
from datetime import timedelta
from functools import cache, cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _


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


validate_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB, e.g. #1f6feb.")
)


COORDINATES_MESSAGE = _("Give both latitude and longitude, or neither.")
POSITIVE = [MinValueValidator(1)]


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("street address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    map_url = models.URLField(_("map link"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90),
                name="venue_latitude_range",
                violation_error_message=_("Latitude must be between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True)
                | Q(longitude__gte=-180, longitude__lte=180),
                name="venue_longitude_range",
                violation_error_message=_("Longitude must be between -180 and 180."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="venue_coordinates_both_or_neither",
                violation_error_message=COORDINATES_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.city}" if self.city else self.name

    @property
    def one_line_address(self) -> str:
        return ", ".join(
            part for part in (self.name, self.address, self.city, self.country) if part
        )


class Room(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(_("name"), max_length=200)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    accessibility_note = models.CharField(
        _("accessibility note"), max_length=300, blank=True
    )

    class Meta:
        ordering = ["venue__name", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "name"],
                name="room_name_unique_per_venue",
                violation_error_message=_(
                    "This venue already has a room of that name."
                ),
            ),
        ]

    def __str__(self):
        return self.name


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])

    def listed(self):
        """Public, published events: the ones on the front page and in /events.ics."""
        return self.published().filter(visibility=Event.Visibility.PUBLIC)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now())

    def organised_by(self, user):
        if user.is_superuser:
            return self
        return self.filter(organisers__user=user).distinct()


EVENT_ENDS_MESSAGE = _("The event must end after it starts.")
REGISTRATION_CLOSES_MESSAGE = _("Registration must close after it opens.")
SESSION_ENDS_MESSAGE = _("The session must end after it starts.")


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
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

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

    def has_room_for(self, confirmed_count: int) -> bool:
        return self.capacity is None or confirmed_count < self.capacity

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

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="organisers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organised_events",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.EDITOR)

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


class Track(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tracks")
    slug = models.SlugField(_("short name"), max_length=50)
    name = models.CharField(_("name"), max_length=100)
    colour = models.CharField(
        _("colour"), max_length=7, default="#1f6feb", validators=[validate_colour]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "slug"],
                name="track_slug_unique_per_event",
                violation_error_message=_(
                    "This event already has a track with that short name."
                ),
            ),
        ]

    def __str__(self):
        return self.name


class Speaker(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    bio = models.TextField(_("biography"), blank=True)
    # Never shown publicly nor put in a feed.
    email = models.EmailField(_("email (private)"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self):
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name


class Session(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        KEYNOTE = "keynote", _("Keynote")
        TALK = "talk", _("Talk")
        PANEL = "panel", _("Panel")
        WORKSHOP = "workshop", _("Workshop")
        NETWORK_MEETING = "network_meeting", _("Network meeting")
        BREAK = "break", _("Break")
        SOCIAL = "social", _("Social")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    # The public id: in URLs and calendar UIDs. Never changes, never reused.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    abstract = models.TextField(_("abstract"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.TALK)
    track = models.ForeignKey(
        Track, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="sessions")
    capacity = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, validators=POSITIVE
    )
    signup_required = models.BooleanField(_("sign-up required"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.SCHEDULED
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The last change to anything this session's calendar entry shows: DTSTAMP.
    changed_at = models.DateTimeField(default=now, editable=False)

    class Meta:
        ordering = ["starts_at", "room__name", "title"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=SESSION_ENDS_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="session_capacity_positive",
                violation_error_message=_("Seats must be at least 1 (or empty)."),
            ),
        ]
        indexes = [models.Index(fields=["event", "starts_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "events:session",
            kwargs={"slug": self.event.slug, "session_uuid": self.uuid},
        )

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = SESSION_ENDS_MESSAGE
        if self.track_id and self.event_id and self.track.event_id != self.event_id:
            errors["track"] = _("This track belongs to another event.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def has_seats(self) -> bool:
        """Seats are booked (and waitlisted) only for sessions that need sign-up."""
        return self.signup_required

    def overlaps(self, other: "Session") -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


class ScheduleChange(models.Model):
    """One change to the schedule, written in the same transaction as the change.

    `changes` maps each changed field to [old, new] as displayable text (times in
    ISO 8601 UTC, rooms by name), so notifications can say what changed even
    after later edits.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("Added")
        MOVED = "moved", _("Moved")
        CHANGED = "changed", _("Changed")
        CANCELLED = "cancelled", _("Cancelled")
        RESTORED = "restored", _("Restored")
        EVENT_CHANGED = "event_changed", _("Event changed")
        EVENT_CANCELLED = "event_cancelled", _("Event cancelled")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="schedule_changes"
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    changes = models.JSONField(default=dict, blank=True)
    # What the session looked like after the change (title, times, room), for messages.
    snapshot = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=now, db_index=True)
    # Set by notifications once it has composed its messages from this change.
    composed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("schedule change")
        verbose_name_plural = _("schedule changes")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.snapshot.get('title', self.event)}"
