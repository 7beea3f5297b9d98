"""One-to-one meetings between opted-in participants of an event.

A person's meeting is held in registrations' commitments too (the one agenda
every clash check reads); the database guarantees that no person and no table
is booked twice at once (constraints here and in registrations).
"""

import secrets
import uuid
from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class MeetingSettings(models.Model):
    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="meeting_settings"
    )
    enabled = models.BooleanField(_("meetings on"), default=False)
    request_expiry = models.DurationField(
        _("requests expire after"),
        default=timedelta(days=2),
        validators=[
            MinValueValidator(timedelta(hours=1)),
            MaxValueValidator(timedelta(days=7)),
        ],
    )
    open_requests_limit = models.PositiveSmallIntegerField(
        _("open requests per person"), default=10
    )
    meetings_per_block_limit = models.PositiveSmallIntegerField(
        _("meetings per person per block"), null=True, blank=True
    )
    interest_choices = models.TextField(
        _("interests to choose from"),
        blank=True,
        help_text=_("One per line; participants pick theirs in their profile."),
    )

    class Meta:
        verbose_name = _("meeting settings")
        verbose_name_plural = _("meeting settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(request_expiry__gte=timedelta(hours=1))
                & Q(request_expiry__lte=timedelta(days=7)),
                name="meeting_expiry_between_hour_and_week",
            ),
        ]

    def __str__(self):
        return f"{self.event}: meetings"

    def interests(self) -> list[str]:
        return [
            line.strip() for line in self.interest_choices.splitlines() if line.strip()
        ]


class TypeLimits(models.Model):
    """The event's limits for the people of one registration type; an empty
    limit falls back to the event's own (MeetingSettings)."""

    registration_type = models.OneToOneField(
        "registrations.RegistrationType",
        on_delete=models.CASCADE,
        related_name="meeting_limits",
    )
    open_requests_limit = models.PositiveSmallIntegerField(
        _("open requests per person"), null=True, blank=True
    )
    meetings_per_block_limit = models.PositiveSmallIntegerField(
        _("meetings per person per block"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("meeting limits of a registration type")
        verbose_name_plural = _("meeting limits of registration types")
        constraints = [
            models.CheckConstraint(
                condition=Q(open_requests_limit__isnull=True)
                | Q(open_requests_limit__gte=1),
                name="type_open_requests_limit_positive",
            ),
        ]

    def __str__(self):
        return f"{self.registration_type}: meeting limits"


def new_table_token() -> str:
    """The secret in a table's QR link: long and random, never guessed."""
    return secrets.token_urlsafe(24)


class MeetingBlock(models.Model):
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="meeting_blocks"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"),
        default=20,
        validators=[MinValueValidator(10), MaxValueValidator(60)],
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting block")
        verbose_name_plural = _("meeting blocks")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="block_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=10) & Q(slot_minutes__lte=60),
                name="block_slot_10_to_60_minutes",
            ),
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"

    @property
    def slot_length(self) -> timedelta:
        return timedelta(minutes=self.slot_minutes)

    def slot_starts(self) -> list:
        """Every slot's start; a slot running past the block's end is left out."""
        starts, at = [], self.starts_at
        while at + self.slot_length <= self.ends_at:
            starts.append(at)
            at += self.slot_length
        return starts


class Table(models.Model):
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="meeting_tables"
    )
    name = models.CharField(_("name"), max_length=80)
    capacity = models.PositiveSmallIntegerField(_("seats"), default=2)
    # The table's QR code links to /meetings/at/<token>/: a participant who
    # scans it during their meeting there records their arrival.
    token = models.CharField(max_length=64, unique=True, default=new_table_token)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="one_table_name"),
        ]

    def __str__(self):
        return self.name


class Profile(models.Model):
    """A participant's meeting profile; seen only by opted-in people of the event."""

    registration = models.OneToOneField(
        "registrations.Registration",
        on_delete=models.CASCADE,
        related_name="meeting_profile",
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    text = models.TextField(_("about"), max_length=1000, blank=True)
    partner_organisations = models.JSONField(
        _("partner organisations"), default=list, blank=True
    )
    opted_in = models.BooleanField(_("open to meetings"), default=False)
    reminders = models.BooleanField(
        _("email me a short reminder before each meeting"), default=True
    )

    class Meta:
        verbose_name = _("meeting profile")
        verbose_name_plural = _("meeting profiles")

    def __str__(self):
        return str(self.registration.attendee)


class Unavailability(models.Model):
    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="unavailable"
    )
    slot_start = models.DateTimeField()

    class Meta:
        verbose_name = _("unavailable slot")
        verbose_name_plural = _("unavailable slots")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "slot_start"], name="one_unavailability_per_slot"
            ),
        ]

    def __str__(self):
        return f"{self.profile} ✗ {self.slot_start:%Y-%m-%d %H:%M}"


class MeetingRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COUNTERED = "countered", _("Another time proposed")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    # Statuses that hold the slot for both people against other requests.
    HOLDING_STATUSES = (Status.PENDING, Status.ACCEPTED)

    requester = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="requests_sent"
    )
    recipient = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="requests_received"
    )
    block = models.ForeignKey(
        MeetingBlock, on_delete=models.CASCADE, related_name="requests"
    )
    slot_start = models.DateTimeField()
    message = models.CharField(_("message"), max_length=300, blank=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING)
    expires_at = models.DateTimeField()
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # The request a counter-proposal answers.
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slot_start", "pk"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=F("recipient")), name="request_not_to_self"
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return f"{self.requester} → {self.recipient} {self.slot_start:%Y-%m-%d %H:%M}"

    @property
    def slot_end(self):
        return self.slot_start + self.block.slot_length


class Meeting(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.OneToOneField(
        MeetingRequest, on_delete=models.CASCADE, related_name="meeting"
    )
    table = models.ForeignKey(Table, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status, default=Status.ACTIVE)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # Kept: both arrived (the table's QR, during the slot) or both confirmed
    # afterwards that they met. See services/attendance.
    requester_arrived_at = models.DateTimeField(null=True, blank=True)
    recipient_arrived_at = models.DateTimeField(null=True, blank=True)
    requester_confirmed_at = models.DateTimeField(null=True, blank=True)
    recipient_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "table__name"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            # The slot grid; PostgreSQL also forbids any overlap (migration 0002).
            models.UniqueConstraint(
                fields=["table", "starts_at"],
                condition=Q(status="active"),
                name="one_active_meeting_per_table_slot",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.table} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def both_arrived(self) -> bool:
        return bool(self.requester_arrived_at and self.recipient_arrived_at)

    @property
    def both_confirmed(self) -> bool:
        return bool(self.requester_confirmed_at and self.recipient_confirmed_at)

    @property
    def kept(self) -> bool:
        return self.both_arrived or self.both_confirmed


class MeetingFact(models.Model):
    """A change to a request or meeting, for the notifications composer."""

    class Verb(models.TextChoices):
        REQUESTED = "requested", _("Meeting requested")
        ACCEPTED = "accepted", _("Meeting accepted")
        DECLINED = "declined", _("Meeting declined")
        COUNTERED = "countered", _("Another time proposed")
        EXPIRED = "expired", _("Request expired")
        CANCELLED = "cancelled", _("Meeting cancelled")
        MOVED = "moved", _("Meeting moved")

    verb = models.CharField(max_length=12, choices=Verb)
    request = models.ForeignKey(
        MeetingRequest, on_delete=models.CASCADE, related_name="facts"
    )
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL
    )
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    composed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("meeting fact")
        verbose_name_plural = _("meeting facts")

    def __str__(self):
        return f"{self.verb} #{self.request_id}"


# Networks live in their own module; imported here so Django registers them.
from .network_models import Network, NetworkMember  # noqa: E402

__all__ = [
    "Meeting",
    "MeetingBlock",
    "MeetingFact",
    "MeetingRequest",
    "MeetingSettings",
    "Network",
    "NetworkMember",
    "Profile",
    "Table",
    "Unavailability",
]
