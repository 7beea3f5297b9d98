"""Seats in sessions with limited places, and bookmarks."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .registration import Registration


class SessionSeatQuerySet(models.QuerySet):
    def live(self):
        return self.exclude(status=SessionSeat.Status.LEFT)

    def taken(self):
        return self.filter(status__in=SessionSeat.PLACE_HOLDING_STATUSES)


class SessionSeat(models.Model):
    """A confirmed attendee's place (or place in line) in a session with seats.

    Rows keep their status when the session is cancelled: feeds show it cancelled.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Seat confirmed")
        WAITLISTED = "waitlisted", _("On the waitlist")
        OFFERED = "offered", _("Seat offered")
        LEFT = "left", _("Left")

    PLACE_HOLDING_STATUSES = (Status.CONFIRMED, Status.OFFERED)

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="seats"
    )
    session = models.ForeignKey(
        "events.Session", on_delete=models.PROTECT, related_name="seats"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.CONFIRMED)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionSeatQuerySet.as_manager()

    class Meta:
        ordering = ["session__starts_at", "pk"]
        verbose_name = _("session seat")
        verbose_name_plural = _("session seats")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"],
                condition=~Q(status="left"),
                name="one_live_seat_per_session",
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="seat_waitlisted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "waitlisted_at"])]

    def __str__(self):
        return f"{self.registration.attendee} @ {self.session}"


class Bookmark(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    session = models.ForeignKey(
        "events.Session", on_delete=models.CASCADE, related_name="bookmarks"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "session"], name="one_bookmark_per_session"
            ),
        ]

    def __str__(self):
        return f"{self.user} ☆ {self.session}"
