"""The door: check-in lists, the devices paired to them, and each scan's record.

An event has a main entrance list and as many more as its organisers make (the
reception, a workshop's door). A list is single-entry (a second scan is "already
checked in") or entry-and-exit (scans alternate in and out, and the list counts
who is inside now). Every accepted scan is one `CheckIn` row whose `scan_uuid`
the scanning page made: a scan sent twice (a retry, an offline queue synced
again) is recorded once.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from ..tokens import new_token
from .registration import Registration


class CheckInListQuerySet(models.QuerySet):
    def for_door(self, *, with_event: bool = True) -> "CheckInListQuerySet":
        """With whether the list names sessions (a list that names none, the
        main entrance, needs no second query for them), and its event."""
        through = CheckInList.sessions.through
        names = through.objects.filter(checkinlist_id=OuterRef("pk"))
        rows = self.annotate(names_sessions=Exists(names))
        return rows.select_related("event") if with_event else rows


class CheckInList(models.Model):
    class Kind(models.TextChoices):
        SINGLE_ENTRY = "single", _("Single entry")
        ENTRY_AND_EXIT = "entry_exit", _("Entry and exit")

    class Note(models.TextChoices):
        SENSITIVE_ANSWERS = "sensitive", _("Dietary and accessibility answers")
        ORGANISER_NOTE = "organiser", _("The organisers' note")

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="checkin_lists"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind, default=Kind.SINGLE_ENTRY
    )
    is_main = models.BooleanField(default=False, editable=False)
    # Empty: everyone confirmed for the event. Otherwise those with a confirmed
    # seat in one of these sessions (a workshop's door).
    sessions = models.ManyToManyField(
        "events.Session", blank=True, related_name="checkin_lists"
    )
    # Which attention notes the verdicts show (values of Note).
    notes = models.JSONField(default=list, blank=True)
    # Check-in staff may register walk-ins here (owners and editors always may).
    allows_walk_ins = models.BooleanField(
        _("check-in staff register walk-ins"),
        default=False,
        help_text=_(
            "Check-in staff may register a person at the door and check them in on "
            "this list. Owners and editors always may."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CheckInListQuerySet.as_manager()

    class Meta:
        ordering = ["-is_main", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event"], condition=Q(is_main=True), name="one_main_list"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_single_entry(self) -> bool:
        return self.kind == self.Kind.SINGLE_ENTRY

    def session_ids(self) -> list[int]:
        """The sessions it admits to, read once per instance."""
        if getattr(self, "names_sessions", None) is False:  # read by for_door()
            self._session_ids = []
        if not hasattr(self, "_session_ids"):
            rows = CheckInList.sessions.through.objects.filter(checkinlist_id=self.pk)
            self._session_ids = list(rows.values_list("session_id", flat=True))
        return self._session_ids

    def shows(self, note: str) -> bool:
        return note in (self.notes or [])


class CheckInDevice(models.Model):
    """A phone paired to one list by a secret link; no account of its own."""

    checkin_list = models.ForeignKey(
        CheckInList, on_delete=models.CASCADE, related_name="devices"
    )
    name = models.CharField(_("name"), max_length=100)
    # The pairing link's secret; a new one ends every pairing made with the old.
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paired_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class CheckIn(models.Model):
    class Direction(models.TextChoices):
        IN = "in", _("In")
        OUT = "out", _("Out")

    class Outcome(models.TextChoices):
        ADMITTED = "admitted", _("Checked in")
        EXITED = "exited", _("Left")
        DUPLICATE = "duplicate", _("Already checked in")

    checkin_list = models.ForeignKey(
        CheckInList, on_delete=models.CASCADE, related_name="checkins"
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="checkins"
    )
    direction = models.CharField(max_length=3, choices=Direction, default=Direction.IN)
    outcome = models.CharField(max_length=10, choices=Outcome)
    # When the scan was made: the device's clock for a scan queued offline.
    scanned_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    offline = models.BooleanField(default=False)
    scan_uuid = models.UUIDField(unique=True, default=uuid.uuid4)
    device = models.ForeignKey(
        CheckInDevice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checkins",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # For a duplicate: the scan that admitted the person first.
    first = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["scanned_at", "pk"]
        indexes = [
            models.Index(
                fields=["checkin_list", "registration", "scanned_at"],
                name="checkin_by_person",
            ),
            models.Index(fields=["checkin_list", "outcome"], name="checkin_outcome"),
        ]

    def __str__(self):
        return f"{self.registration_id} {self.direction} {self.scanned_at}"

    def who(self) -> str:
        """The device or person that scanned."""
        if self.device_id:
            return str(self.device)
        return str(self.by) if self.by_id else ""
