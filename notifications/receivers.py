"""The one place notifications hears of facts from the apps below it.

Both receivers only defer: the work runs after the causing transaction commits
(robust: an error here is logged, never raised into the registration), and what
it misses the sweep composes later.
"""

from django.db import transaction

from events.signals import schedule_changed
from meetings.signals import (
    meeting_fact_recorded,
    network_meeting_changed,
    network_members_joined,
)
from registrations.signals import activity_recorded

from .services import composition_requests
from .services.digests import compose_schedule_changes, is_digested, push_digests
from .services.meeting_news import compose_meeting_facts
from .services.network_news import compose_network_change, compose_network_welcomes
from .services.publishing import publish
from .tasks import task_compose_recent


def on_activity_recorded(sender, *, activities, **kwargs) -> None:
    transaction.on_commit(queue_composition, robust=True)


def queue_composition() -> None:
    """Compose in a worker, not in the request: rendering mails and calendars costs
    more than the registration itself. One task composes every new fact, and is
    published only when none is waiting already (`services/composition_requests.py`).
    Without a broker (embedded mode) the task runs right here; with the broker
    down the facts wait for the sweep."""
    if not composition_requests.request_composition():
        return  # a task is on its way and will read this fact too
    if not publish(task_compose_recent):
        composition_requests.withdraw_request()  # the next fact asks again


def on_schedule_changed(sender, *, changes, **kwargs) -> None:
    # A session's move only pushes its event's digest back: nothing to read.
    waiting = {change.event_id for change in changes if is_digested(change)}
    ids = [change.pk for change in changes if not is_digested(change)]

    def compose() -> None:
        push_digests(waiting)
        if ids:
            compose_schedule_changes(ids)

    transaction.on_commit(compose, robust=True)


def on_meeting_fact_recorded(sender, *, facts, **kwargs) -> None:
    ids = [fact.pk for fact in facts]
    transaction.on_commit(lambda: compose_meeting_facts(ids), robust=True)


def on_network_members_joined(sender, *, member_ids, **kwargs) -> None:
    ids = list(member_ids)
    transaction.on_commit(lambda: compose_network_welcomes(ids), robust=True)


def on_network_meeting_changed(sender, *, network_id, sequence, change, **kwargs):
    transaction.on_commit(
        lambda: compose_network_change(network_id, sequence, change), robust=True
    )


def connect() -> None:
    activity_recorded.connect(on_activity_recorded, dispatch_uid="notifications")
    schedule_changed.connect(on_schedule_changed, dispatch_uid="notifications")
    meeting_fact_recorded.connect(
        on_meeting_fact_recorded, dispatch_uid="notifications"
    )
    network_members_joined.connect(
        on_network_members_joined, dispatch_uid="notifications"
    )
    network_meeting_changed.connect(
        on_network_meeting_changed, dispatch_uid="notifications"
    )
