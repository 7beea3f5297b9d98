"""The activity log and each person's calendar token."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..tokens import new_token
from .invitation import Invitation
from .registration import Registration


class PersonalCalendar(models.Model):
    """One calendar token per person; regenerating it kills the old feed URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="personal_calendar",
    )
    token = models.CharField(
        max_length=64, unique=True, default=new_token, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Notifications leave the .ics attachment off for people whose feed is subscribed.
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("personal calendar")
        verbose_name_plural = _("personal calendars")

    def __str__(self):
        return f"{self.user}'s calendar"

    # Not get_absolute_url: the admin's "view on site" redirects any staff account
    # there, and this feed shows the person's seats without signing in.
    def feed_path(self) -> str:
        """The secret personal feed's path; only ever given to its owner."""
        return reverse("registrations:personal_feed", kwargs={"token": self.token})


class Activity(models.Model):
    """One fact about a registration or invitation, written with the change itself.

    `details` snapshots what a message about it needs (waitlist position, offer
    deadline, session titles and times), so later changes cannot alter what is said.
    """

    class Verb(models.TextChoices):
        AWAITING_APPROVAL = (
            "awaiting_approval",
            _("Registration received, awaiting approval"),
        )
        CONFIRMED = "confirmed", _("Registered and confirmed")
        WAITLISTED = "waitlisted", _("Put on the waitlist")
        PROMOTED = "promoted", _("Promoted from the waitlist")
        OFFERED = "offered", _("Offered a place")
        OFFER_EXPIRED = "offer_expired", _("Offer expired")
        OFFER_ACCEPTED = "offer_accepted", _("Offer accepted")
        LEFT_WAITLIST = "left_waitlist", _("Left the waitlist")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        INVITED = "invited", _("Invited")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
        INVITATION_DECLINED = "invitation_declined", _("Invitation declined")
        INVITATION_EXPIRED = "invitation_expired", _("Invitation expired")
        INVITATION_WITHDRAWN = "invitation_withdrawn", _("Invitation withdrawn")
        INVITATION_SUBSTITUTED = "invitation_substituted", _("Substitute named")
        INVITATION_REMINDED = "invitation_reminded", _("Reminded to answer")
        SUBSTITUTE_INVITED = "substitute_invited", _("Substitute invited")
        SEAT_TAKEN = "seat_taken", _("Seat taken")
        SEAT_WAITLISTED = "seat_waitlisted", _("Put on a session's waitlist")
        SEAT_PROMOTED = "seat_promoted", _("Promoted to a seat")
        SEAT_LEFT = "seat_left", _("Left a session")
        CANCELLED = "cancelled", _("Cancelled")
        CHECKED_IN = "checked_in", _("Checked in")
        ANSWERS_CHANGED = "answers_changed", _("Answers changed")
        TYPE_CHANGED = "type_changed", _("Registration type changed")
        CAPACITY_OVERRIDDEN = (
            "capacity_overridden",
            _("Registered over capacity by an organiser"),
        )

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="activities"
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
    )
    invitation = models.ForeignKey(
        Invitation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
    )
    session = models.ForeignKey(
        "events.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
    )
    verb = models.CharField(max_length=40, choices=Verb)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Set by notifications once it has composed its messages from this fact.
    composed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activity log")

    def __str__(self):
        return f"{self.get_verb_display()} ({self.created_at:%Y-%m-%d %H:%M})"
