import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .tokens import new_checkin_code, new_token


class RegistrationType(models.Model):
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="registration_types"
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    quota = models.PositiveIntegerField(_("quota"), null=True, blank=True)
    sale_starts_at = models.DateTimeField(_("available from"), null=True, blank=True)
    sale_ends_at = models.DateTimeField(_("available until"), null=True, blank=True)
    invitation_only = models.BooleanField(_("by invitation only"), default=False)
    fee_note = models.CharField(_("fee (information only)"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("registration type")
        verbose_name_plural = _("registration types")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"], name="type_name_unique_per_event"
            ),
            models.CheckConstraint(
                condition=Q(quota__isnull=True) | Q(quota__gte=1),
                name="type_quota_positive",
            ),
            models.CheckConstraint(
                condition=Q(sale_starts_at__isnull=True)
                | Q(sale_ends_at__isnull=True)
                | Q(sale_ends_at__gt=F("sale_starts_at")),
                name="type_sale_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    def is_on_sale(self, now=None) -> bool:
        now = now or timezone.now()
        if self.sale_starts_at and now < self.sale_starts_at:
            return False
        return not (self.sale_ends_at and now >= self.sale_ends_at)


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        SINGLE_CHOICE = "single_choice", _("One choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Several choices")
        YES_NO = "yes_no", _("Yes or no")
        COUNTRY = "country", _("Country")
        DATE = "date", _("Date")

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="questions"
    )
    # A stable handle for built-in questions (organisation, country, dietary, ...).
    key = models.SlugField(_("key"), max_length=50, blank=True)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind, default=Kind.SHORT_TEXT
    )
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveIntegerField(_("order"), default=0)
    # Empty: asked of every type.
    registration_types = models.ManyToManyField(
        RegistrationType, blank=True, related_name="questions"
    )
    # Health data (dietary, accessibility): only organisers whose role allows see it.
    is_sensitive = models.BooleanField(_("sensitive (health) data"), default=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "key"],
                condition=~Q(key=""),
                name="question_key_unique_per_event",
            ),
        ]

    def __str__(self):
        return self.label


class RegistrationQuerySet(models.QuerySet):
    def live(self):
        return self.exclude(status__in=Registration.DEAD_STATUSES)

    def holding_place(self):
        """Registrations that take one of the event's places (open offers included)."""
        return self.filter(status__in=Registration.PLACE_HOLDING_STATUSES)

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
        max_length=16, unique=True, default=new_checkin_code, editable=False
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
        indexes = [models.Index(fields=["event", "status", "waitlisted_at"])]

    def __str__(self):
        return f"{self.attendee} → {self.event}"

    def get_absolute_url(self):
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


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        AWAITING_APPROVAL = "awaiting_approval", _("Substitute awaiting approval")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        SUBSTITUTED = "substituted", _("Passed to a substitute")
        REVOKED = "revoked", _("Withdrawn")

    OPEN_STATUSES = (Status.PENDING, Status.AWAITING_APPROVAL)

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="invitations"
    )
    registration_type = models.ForeignKey(
        RegistrationType, on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    # Single use, bound to `email`: the link proves the address.
    token = models.CharField(
        max_length=64, unique=True, default=new_token, editable=False
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    rsvp_deadline = models.DateTimeField(_("answer by"), null=True, blank=True)
    reserves_seat = models.BooleanField(_("reserve a place"), default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    substitute_for = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="substitutes",
    )
    registration = models.OneToOneField(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=["pending", "awaiting_approval"]),
                name="one_open_invitation_per_email",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.event}"

    def get_absolute_url(self):
        return reverse("registrations:invitation", kwargs={"token": self.token})


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

    def get_absolute_url(self):
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
