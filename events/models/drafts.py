"""A draft of the schedule: many moves prepared out of sight, published as one."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from .event import Event
from .places import Room
from .schedule import Session


class ScheduleDraft(models.Model):
    """At most one open draft per event; closed by publishing or discarding."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Open")
        PUBLISHED = "published", _("Published")
        DISCARDED = "discarded", _("Discarded")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="schedule_drafts"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_at = models.DateTimeField(default=now)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome, default=Outcome.OPEN)

    class Meta:
        ordering = ["-opened_at", "pk"]
        verbose_name = _("schedule draft")
        verbose_name_plural = _("schedule drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(outcome="open"),
                name="one_open_schedule_draft_per_event",
                violation_error_message=_("This event already has an open draft."),
            ),
        ]

    def __str__(self):
        return f"draft of {self.event} ({self.outcome})"


class DraftMove(models.Model):
    """Where a session would be once the draft is published."""

    draft = models.ForeignKey(
        ScheduleDraft, on_delete=models.CASCADE, related_name="moves"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The session's edit count when the draft first moved it.
    base_edit_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "session"], name="one_draft_move_per_session"
            ),
        ]

    def __str__(self):
        return f"{self.session} in {self.draft}"
