"""An organiser's action over many registrations or invitations, run in batches."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BulkOperation(models.Model):
    """One confirmed bulk action: what to do, to whom, and how far it has got.

    The targets are fixed when the organiser confirms; a worker (or, in embedded
    mode, the periodic jobs) works through them in batches, each batch and its
    progress committed together, so a crash repeats no batch's effects and the
    page can show how far it got.
    """

    class Kind(models.TextChoices):
        APPROVE = "approve", _("Approve")
        DECLINE = "decline", _("Decline")
        CANCEL = "cancel", _("Cancel")
        WAITLIST = "waitlist", _("Move to the waitlist")
        OFFER = "offer", _("Offer a place")
        REMIND = "remind", _("Remind to answer")
        RESEND = "resend", _("Send a new link")
        WITHDRAW = "withdraw", _("Withdraw")
        APPROVE_SUBSTITUTE = "approve_substitute", _("Approve the substitute")

    INVITATION_KINDS = frozenset(
        {Kind.REMIND, Kind.RESEND, Kind.WITHDRAW, Kind.APPROVE_SUBSTITUTE}
    )

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="bulk_operations"
    )
    kind = models.CharField(max_length=30, choices=Kind)
    # Registration ids, or invitation ids for the invitation kinds, in the order
    # they are worked through.
    target_ids = models.JSONField(default=list)
    # Off: the people are not emailed about this change (where that is allowed).
    tell = models.BooleanField(default=True)
    reason = models.TextField(blank=True)  # a decline's reason, told to the person
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        max_length=20, choices=Status, default=Status.PENDING, db_index=True
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)  # worked through
    changed = models.PositiveIntegerField(default=0)  # of those, actually changed
    # The first refusals, as "<who>: <why>", for the organiser to read.
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written after every batch: a running operation whose heartbeat is old lost
    # its worker and may be taken up again.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("bulk operation")
        verbose_name_plural = _("bulk operations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")),
                name="bulk_done_within_total",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} × {self.total} ({self.get_status_display()})"

    @property
    def is_for_invitations(self) -> bool:
        return self.kind in self.INVITATION_KINDS

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.done * 100 // self.total
