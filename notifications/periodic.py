"""Every periodic job, listed once: Celery beat's schedule (config/celery.py) and
its embedded stand-in (`manage.py run_periodic`) both read this list.

Each job names a registered task (tests check that every name resolves, and
run_periodic refuses to start on one that does not). Every job is idempotent (the
outbox keys hold it): a beat that runs twice or restarts sends nothing twice.
Plain data, no Django: config/celery.py reads it before the apps are loaded.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PeriodicJob:
    name: str  # the beat entry
    task: str  # a registered task's name
    every: float  # seconds between runs
    label: str  # what run_periodic reports it as


JOBS = (
    PeriodicJob(
        "notifications-compose-pending",
        "notifications.compose_pending",
        60.0,
        "compose uncomposed facts",
    ),
    # Every 15 s: a dead worker's claim is stale 60 s after it was taken, so its
    # message is queued again within about 75 s of the crash.
    PeriodicJob(
        "notifications-sweep", "notifications.sweep", 15.0, "re-queue due messages"
    ),
    PeriodicJob(
        "registrations-expire-offers",
        "registrations.expire_offers",
        60.0,
        "expire waitlist offers",
    ),
    PeriodicJob(
        "registrations-expire-invitations",
        "registrations.expire_invitations",
        300.0,
        "expire unanswered invitations",
    ),
    PeriodicJob(
        "meetings-expire-requests",
        "meetings.expire_requests",
        60.0,
        "expire unanswered meeting requests",
    ),
    PeriodicJob(
        "meetings-sync-answer-networks",
        "meetings.sync_answer_networks",
        300.0,
        "networks catch up with answers",
    ),
    PeriodicJob(
        "notifications-digests",
        "notifications.send_due_digests",
        60.0,
        "schedule digests due",
    ),
    # Bulk actions too large for a request: in embedded mode this is where they
    # run; with workers it resumes those handed back or lost.
    PeriodicJob(
        "registrations-run-pending-bulk",
        "registrations.run_pending_bulk",
        15.0,
        "run waiting bulk actions",
    ),
    PeriodicJob(
        "notifications-invitation-digests",
        "notifications.send_invitation_digests",
        3600.0,
        "daily invitation news for organisers",
    ),
    PeriodicJob(
        "notifications-reminders",
        "notifications.send_due_reminders",
        300.0,
        "reminders due",
    ),
)


def beat_schedule() -> dict:
    return {job.name: {"task": job.task, "schedule": job.every} for job in JOBS}
