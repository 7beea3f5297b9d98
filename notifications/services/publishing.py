"""Handing tasks to the broker: every publish of the project goes through here.

One rule for a broker that is down: publishing never raises into the caller and
never waits long (the transport options make an attempt fail within about a
second). The failure is logged and the work stays where the periodic sweep finds
it: an uncomposed fact, a queued message, a broadcast queued but not sent.
Callers publish after their transaction commits (`transaction.on_commit(...,
robust=True)`), so a worker never looks for rows that are not there yet.

Without a broker (embedded mode, CELERY_TASK_ALWAYS_EAGER) the task runs right
here, inside `publish`; its failure is treated like the broker's.
"""

import logging

from celery import Task, current_app

logger = logging.getLogger(__name__)


def publish(
    task: Task, *, kwargs: dict | None = None, countdown: int | None = None
) -> bool:
    """Send `task` with `kwargs` to its queue; False when it could not be sent."""
    options = {} if countdown is None else {"countdown": countdown}
    try:
        # retry=False: a retrying publish would hold the request for seconds.
        task.apply_async(kwargs=kwargs or {}, retry=False, **options)
    except Exception:  # the broker is down, or an eager run failed
        logger.warning(
            "could not publish %s %s; the sweep will",
            task.name,
            kwargs or "",
            exc_info=True,
        )
        return False
    return True


def publish_long_work(task: Task, *, kwargs: dict | None = None) -> bool:
    """Send long work to a worker; False when it was not sent.

    In embedded mode a task would run right here, inside the request: it is not
    published, and the periodic jobs (run_periodic) pick the work up instead.
    """
    if current_app.conf.task_always_eager:
        return False
    return publish(task, kwargs=kwargs)
