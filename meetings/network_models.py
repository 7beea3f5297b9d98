"""Networks: closed groups that meet at the event, and their members.

A network meets once at the event: at a session of the timetable (usually of
kind network meeting; its time and room are then the session's) or at a time
and room of its own. Members come from a registration answer, are added by
hand, or ask to join when the network allows it. A member's answer "coming"
is a commitment of kind network in registrations: it shows in their agenda and
in every clash flag, but it refuses nothing and nothing refuses it (see
docs/meetings.md, "Network meetings and clashes").
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Network(models.Model):
    class JoinPolicy(models.TextChoices):
        CLOSED = "closed", _("Closed: members are added by the organisers")
        REQUEST = "request", _("On request: the organisers approve")
        OPEN = "open", _("Open: any participant may join")

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="networks"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    join_policy = models.CharField(
        _("joining"), max_length=10, choices=JoinPolicy, default=JoinPolicy.CLOSED
    )
    # The meeting: a session of the timetable, or a time and room of its own.
    session = models.ForeignKey(
        "events.Session",
        verbose_name=_("session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="networks",
    )
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    room = models.ForeignKey(
        "events.Room",
        verbose_name=_("room"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="networks",
    )
    cancelled = models.BooleanField(default=False)
    # The meeting's calendar UID and SEQUENCE (raised on each change of time,
    # place or status), the same in every member's feed.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # Members from a registration answer: whoever picked `choice` in `question`.
    question = models.ForeignKey(
        "registrations.Question",
        verbose_name=_("registration question"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="networks",
    )
    choice = models.CharField(_("answer"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="one_network_name"),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="network_meeting_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def has_meeting(self) -> bool:
        return self.starts_at is not None


class NetworkMember(models.Model):
    class Source(models.TextChoices):
        ANSWER = "answer", _("Registration answer")
        HAND = "hand", _("Added by an organiser")
        REQUEST = "request", _("Asked to join")

    class Status(models.TextChoices):
        MEMBER = "member", _("Member")
        REQUESTED = "requested", _("Asked to join")
        DECLINED = "declined", _("Request declined")
        REMOVED = "removed", _("Removed")
        LEFT = "left", _("Left")

    class Reply(models.TextChoices):
        NONE = "", _("No answer yet")
        COMING = "coming", _("Coming")
        NOT_COMING = "not_coming", _("Not coming")

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="members"
    )
    registration = models.ForeignKey(
        "registrations.Registration",
        on_delete=models.CASCADE,
        related_name="network_memberships",
    )
    source = models.CharField(max_length=10, choices=Source)
    status = models.CharField(max_length=10, choices=Status, default=Status.MEMBER)
    reply = models.CharField(
        _("will you come?"), max_length=12, choices=Reply, blank=True, default=""
    )
    replied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["network", "pk"]
        verbose_name = _("network member")
        verbose_name_plural = _("network members")
        constraints = [
            # Cancel by status: a removed or declined person keeps their row, so
            # a later answer sync does not bring them back.
            models.UniqueConstraint(
                fields=["network", "registration"], name="one_membership_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.registration} ∈ {self.network}"

    @property
    def is_member(self) -> bool:
        return self.status == self.Status.MEMBER
