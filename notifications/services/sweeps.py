"""The periodic safety net: whatever a crash, an outage or a lost task left behind.

- facts still uncomposed (the on-commit receiver never ran or failed),
- queued messages whose next attempt is due but that no task is delivering
  (published while the broker was down, or the task was lost),
- `sending` claims older than any delivery can take (the worker died).

While delivery is paused (services/pauses.py) nothing is published: the first
sweep after the pause publishes what waited.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from events.models import ScheduleChange
from registrations.models import Activity

from .. import smtp
from ..models import Message, ScheduleDigest
from .broadcasts import requeue_broadcasts
from .compose import compose_activities
from .digests import compose_schedule_changes
from .meeting_news import compose_pending_meeting_facts
from .outbox import publish
from .pauses import current_pause

logger = logging.getLogger(__name__)


def _grace() -> timedelta:
    # A message composed a moment ago has its own task on the way: leave it be.
    return timedelta(seconds=getattr(settings, "NOTIFICATIONS_SWEEP_GRACE_SECONDS", 60))


def stale_after() -> timedelta:
    """How old a `sending` claim is before its worker counts as dead: 60 s with
    the default EMAIL_TIMEOUT of 15 s.

    A live send ends by its deadline (3 x EMAIL_TIMEOUT, kept by notifications/smtp.py
    in every pool); one more timeout covers the moments around it (the claim, the
    mark) and clock drift between hosts. So a live worker never loses its claim.
    Celery's time limits are no bound: the solo and threads pools and eager mode
    ignore them.
    """
    return timedelta(seconds=smtp.send_deadline() + smtp.mailer_timeout())


def compose_pending(now=None) -> int:
    """Compose every fact the receivers missed; return how many messages were new."""
    now = now or timezone.now()
    before = now - _grace()
    activity_ids = Activity.objects.filter(
        composed_at__isnull=True, created_at__lte=before
    ).values_list("pk", flat=True)
    change_ids = ScheduleChange.objects.filter(
        composed_at__isnull=True, created_at__lte=before
    ).values_list("pk", flat=True)
    stored = 0
    for start in range(0, len(ids := list(activity_ids)), 200):
        stored += compose_activities(ids[start : start + 200])
    # Session changes stay uncomposed until their digest: this only makes sure
    # each has a pending digest marker (it doesn't push the marker back).
    pending = [
        pk
        for pk, event_id in ScheduleChange.objects.filter(
            pk__in=list(change_ids)
        ).values_list("pk", "event_id")
        if not _has_marker(event_id)
    ]
    stored += compose_schedule_changes(pending, now=now)
    return stored + compose_pending_meeting_facts(before)


def _has_marker(event_id) -> bool:
    return ScheduleDigest.objects.filter(event_id=event_id).exists()


def requeue_due(now=None, *, grace: timedelta | None = None) -> int:
    """Return dead workers' claims to the queue and publish them and what is due.

    Returns how many delivery tasks were published.
    """
    now = now or timezone.now()
    grace = _grace() if grace is None else grace
    recovered = recover_stale_claims(now, older_than=stale_after())
    published = 0
    if not current_pause(now):
        due = Message.objects.filter(
            status=Message.Status.QUEUED, next_attempt_at__lte=now - grace
        ).order_by("next_attempt_at")
        waiting = list(due.values_list("pk", flat=True)[:5000])
        # A recovered claim has no task of its own any more: publish it at once.
        published = publish(recovered + [pk for pk in waiting if pk not in recovered])
    return published + requeue_broadcasts(now, grace=grace)


def recover_stale_claims(now=None, *, older_than: timedelta) -> list[int]:
    """Return `sending` claims older than `older_than` to the queue; their ids."""
    now = now or timezone.now()
    stale = Message.objects.filter(
        status=Message.Status.SENDING, claimed_at__lt=now - older_than
    )
    ids = list(stale.values_list("pk", flat=True))
    stale.filter(pk__in=ids).update(
        status=Message.Status.QUEUED, next_attempt_at=now, claimed_at=None
    )
    if ids:
        logger.warning("returned %s stale delivery claims to the queue", len(ids))
    return ids
