"""What a person holds at a time: the one agenda every clash check reads.

Seat services and the apps above registrations (meetings) write these rows in
the same transaction as their own, so registrations can check clashes and build
feeds without importing those apps. On PostgreSQL an exclusion constraint
(migration 0003) forbids two active commitments of one person that overlap; on
SQLite the IMMEDIATE transaction serialises the service-level check. Network
meetings are the exception: their rows take part in no refusal, only in flags.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class CommitmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Commitment.Status.ACTIVE)

    def overlapping(self, starts_at, ends_at):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class Commitment(models.Model):
    class Kind(models.TextChoices):
        SEAT = "seat", _("Seat")
        MEETING = "meeting", _("Meeting")
        NETWORK = "network", _("Network meeting")

    # Kinds that hold time exclusively: the exclusion constraint and every
    # clash check refuse an overlap between them. A network meeting a member
    # said they will come to is shown and flagged, never refused (migration
    # 0011): the organiser sets its time and must see a clash, not hide it.
    EXCLUSIVE_KINDS = (Kind.SEAT, Kind.MEETING)

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commitments"
    )
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="commitments"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    kind = models.CharField(max_length=10, choices=Kind)
    # The feed UID of what is held: the session's uuid for a seat, the
    # meeting's for a meeting, the network's for a network meeting.
    source_uuid = models.UUIDField()
    sequence = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status, default=Status.ACTIVE)
    # What the person's agenda shows for a meeting (registrations cannot read
    # meetings): the other person's name and the table, or the network's name
    # and room, written with the row.
    title = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="commitment_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["person", "kind", "source_uuid"],
                condition=Q(status="active"),
                name="one_active_commitment_per_source",
            ),
        ]
        indexes = [models.Index(fields=["person", "status", "starts_at"])]

    def __str__(self):
        return f"{self.person} {self.kind} {self.starts_at:%Y-%m-%d %H:%M}"
