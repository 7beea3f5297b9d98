"""Serialised calendar entries, kept durably so that a lost cache costs a read,
not a rebuild of every entry."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .event import Event
from .schedule import Session


class FeedEntry(models.Model):
    """One entry's VEVENT bytes in one language, with the key of what it shows.

    `key` is the entry's cache key (events/caching.py: a digest of every field
    the entry shows and of the format); a row whose key differs from the
    current one is stale and is rewritten in place. One row per session (or
    event) and language, deleted with it.
    """

    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(_("language"), max_length=16)
    key = models.CharField(_("key"), max_length=64)
    # Text, not bytes: entries are UTF-8, and PostgreSQL sends text as it is
    # (bytea goes as hex, twice the size and ~4x slower to read).
    body = models.TextField(_("serialised entry"))

    class Meta:
        verbose_name = _("calendar entry")
        verbose_name_plural = _("calendar entries")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "language"], name="feed_entry_session_language"
            ),
            models.UniqueConstraint(
                fields=["event", "language"], name="feed_entry_event_language"
            ),
            models.CheckConstraint(
                condition=Q(session__isnull=True) ^ Q(event__isnull=True),
                name="feed_entry_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id or self.event_id} {self.language}"
