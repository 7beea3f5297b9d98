"""The one place notifications hears of facts from the apps below it.

Both receivers only defer: the work runs after the causing transaction commits
(robust: an error here is logged, never raised into the registration), and what
it misses the sweep composes later.
"""

import logging

from django.db import transaction

from .services.compose import compose_activities
from .services.digests import compose_schedule_changes

logger = logging.getLogger(__name__)


def on_activity_recorded(sender, *, activities, **kwargs) -> None:
    ids = [activity.pk for activity in activities]
    transaction.on_commit(lambda: compose_activities(ids), robust=True)


def on_schedule_changed(sender, *, changes, **kwargs) -> None:
    ids = [change.pk for change in changes]
    transaction.on_commit(lambda: compose_schedule_changes(ids), robust=True)


def connect() -> None:
    from events.signals import schedule_changed
    from registrations.signals import activity_recorded

    activity_recorded.connect(on_activity_recorded, dispatch_uid="notifications")
    schedule_changed.connect(on_schedule_changed, dispatch_uid="notifications")
