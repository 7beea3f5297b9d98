from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(
            status=Message.Status.QUEUED, next_attempt_at__lte=now or timezone.now()
        )


class Message(models.Model):
    """One email to one person: the outbox row. Delivery claims it, sends, marks it.

    `key` makes composition idempotent: the fact's id, the recipient and the kind
    (e.g. "activity:42:confirmed:7"); composing the same fact twice inserts nothing.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Queue(models.TextChoices):
        DEFAULT = "default", _("Personal")
        BULK = "bulk", _("Bulk")

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=50, db_index=True)
    queue = models.CharField(max_length=20, choices=Queue, default=Queue.DEFAULT)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    # The address at composing time: invitees have no account yet.
    to_email = models.EmailField(_("to"))
    language = models.CharField(max_length=8, default="en")
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    reply_to = models.EmailField(blank=True)
    ics_attachment = models.TextField(blank=True)
    ics_filename = models.CharField(max_length=100, blank=True)
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    registration = models.ForeignKey(
        "registrations.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    broadcast = models.ForeignKey(
        "notifications.Broadcast",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.kind} → {self.to_email}"


class Broadcast(models.Model):
    """An organiser's message to all or some attendees of an event."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="broadcasts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    # The whole message per language the organiser wrote it in, in their order:
    # {"fi": {"subject": ..., "body": ...}, ...}. Empty: `subject` and `body`
    # in the site's language (broadcasts written in the admin).
    texts = models.JSONField(default=dict, blank=True)
    # Who receives it: notifications.selectors.recipients' filters.
    audience = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Who pressed "send"; with queued_at it is the broadcast's log entry.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set when the organiser sends it; sent_at once every message is composed.
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")

    def __str__(self):
        return self.subject


class ScheduleDigest(models.Model):
    """A debounce marker: one per event while schedule changes wait to be told."""

    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="pending_digest"
    )
    # The digest goes out when this passes (pushed back by each further change).
    due_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"digest for {self.event} at {self.due_at}"


class DeliveryPause(models.Model):
    """Delivery waits until `until`: the mail server refused our connection, greeting
    or login, which no message can get past (services/pauses.py). One row per
    refusal; the newest says why."""

    created_at = models.DateTimeField(auto_now_add=True)
    until = models.DateTimeField(db_index=True)
    # The error and the server's reply, as in Message.last_error.
    error = models.TextField()

    class Meta:
        verbose_name = _("delivery pause")
        verbose_name_plural = _("delivery pauses")

    def __str__(self):
        return f"paused until {self.until}: {self.error}"

    @property
    def error_type(self) -> str:
        return self.error.partition(":")[0]
