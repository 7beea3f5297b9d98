"""What happens when: tracks, speakers, sessions, and the schedule change log."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    RegexValidator,
)
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from .event import POSITIVE, Event
from .places import Room

validate_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB, e.g. #1f6feb.")
)
SESSION_ENDS_MESSAGE = _("The session must end after it starts.")
UNPLACED_MESSAGE = _("Give the session a time, or a length to place it by later.")


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
    # Both empty while the session waits in the tray, never placed: it is not
    # public anywhere (pages, feeds, seats, messages) until it gets a time.
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    # The length a session without a time will have when it is placed.
    length = models.PositiveSmallIntegerField(
        _("length (minutes)"), null=True, blank=True, validators=POSITIVE
    )
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="sessions")
    capacity = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, validators=POSITIVE
    )
    signup_required = models.BooleanField(_("sign-up required"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.SCHEDULED
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # Raised by every saved change (a title edit too): an edit that started from
    # an older count is refused, so two organisers never overwrite each other.
    edit_count = models.PositiveIntegerField(default=0, editable=False)
    # Taken off the timetable into the editor's tray: cancelled meanwhile (so feeds
    # and seat holders know), kept with its last time until it is placed again.
    in_tray = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The last change to anything this session's calendar entry shows: DTSTAMP.
    changed_at = models.DateTimeField(default=now, editable=False)

    class Meta:
        ordering = ["starts_at", "room__name", "title"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=SESSION_ENDS_MESSAGE,
            ),
            # Placed: a start and an end. Never placed: neither, a length, and
            # in the tray (the only place such a session shows).
            models.CheckConstraint(
                condition=Q(starts_at__isnull=False, ends_at__isnull=False)
                | Q(
                    starts_at__isnull=True,
                    ends_at__isnull=True,
                    length__isnull=False,
                    in_tray=True,
                ),
                name="session_placed_or_has_length",
                violation_error_message=UNPLACED_MESSAGE,
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
        unplaced = self.starts_at is None or self.ends_at is None
        if unplaced and (
            self.starts_at or self.ends_at or not self.length or not self.in_tray
        ):
            errors["starts_at"] = UNPLACED_MESSAGE
        if self.track_id and self.event_id and self.track.event_id != self.event_id:
            errors["track"] = _("This track belongs to another event.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_placed(self) -> bool:
        """Whether it has ever had a time: only then is it public."""
        return self.starts_at is not None

    @property
    def minutes(self) -> int:
        """How long it is: by its time, or by its length while it has none."""
        if self.starts_at and self.ends_at:
            return int((self.ends_at - self.starts_at).total_seconds() // 60)
        return self.length or 0

    def overlaps(self, other: "Session") -> bool:
        if not (self.is_placed and other.is_placed):
            return False
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
    # Why the organiser made the change despite a warning, or why nobody is told.
    reason = models.CharField(max_length=500, blank=True)
    # An undo is a change of its own that names the change it takes back.
    undoes = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="undone_by",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("schedule change")
        verbose_name_plural = _("schedule changes")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.snapshot.get('title', self.event)}"
