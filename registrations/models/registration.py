"""A person's registration for an event, and their answers."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..tokens import new_checkin_code, new_token
from .types import Question, RegistrationType


class RegistrationQuerySet(models.QuerySet):
    def live(self):
        return self.exclude(status__in=Registration.DEAD_STATUSES)

    def waitlist_order(self):
        return self.filter(status=Registration.Status.WAITLISTED).order_by(
            "waitlisted_at", "pk"
        )


class Registration(models.Model):
    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waitlist")
        OFFERED = "offered", _("Place offered")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    DEAD_STATUSES = (Status.DECLINED, Status.CANCELLED)
    PLACE_HOLDING_STATUSES = (Status.CONFIRMED, Status.OFFERED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(
        "events.Event", on_delete=models.PROTECT, related_name="registrations"
    )
    attendee = models.ForeignKey(
        # PROTECT: deleting a person goes through a service that anonymises them
        # and frees their places.
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    registration_type = models.ForeignKey(
        RegistrationType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status,
        default=Status.CONFIRMED,
        db_index=True,
    )
    # The link in emails to manage this registration without signing in.
    manage_token = models.CharField(
        max_length=64, unique=True, default=new_token, editable=False
    )
    # Shown as a QR code at the door; separate from the manage token.
    checkin_code = models.CharField(
        max_length=32, unique=True, default=new_checkin_code, editable=False
    )
    # The waitlist position is computed from this (first come, first served).
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Shown in check-in verdicts where the list allows (a VIP, a late payment).
    organiser_note = models.TextField(_("organisers' note"), blank=True)
    privacy_notice_accepted = models.TextField(blank=True)
    privacy_accepted_at = models.DateTimeField(null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    capacity_override = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # A person may register again after cancelling, but holds one live
            # registration.
            models.UniqueConstraint(
                fields=["event", "attendee"],
                condition=~Q(status__in=["cancelled", "declined"]),
                name="one_live_registration_per_attendee",
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="waitlisted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="offer_has_deadline",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "waitlisted_at"]),
            # The organisers' list, newest first, a page at a time.
            models.Index(
                fields=["event", "-created_at", "-id"], name="registration_newest"
            ),
        ]

    def __str__(self):
        return f"{self.attendee} → {self.event}"

    # Not get_absolute_url: the admin's "view on site" redirects any staff account
    # there, and this link opens the registration without signing in.
    def manage_path(self) -> str:
        """The secret manage link's path; only ever given to the attendee."""
        return reverse("registrations:manage", kwargs={"token": self.manage_token})

    @property
    def is_live(self) -> bool:
        return self.status not in self.DEAD_STATUSES


class Answer(models.Model):
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers"
    )
    # A string, a list of strings (multiple choice), a bool (yes/no) or an ISO date.
    value = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "question"], name="one_answer_per_question"
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.value}"
