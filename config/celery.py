import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("kokous")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Personal messages on "default", broadcasts on "bulk": run a worker per queue (or
# one with -Q default,bulk) so a broadcast never delays a confirmation.
app.conf.task_routes = {
    "notifications.deliver_bulk": {"queue": "bulk"},
    "notifications.send_broadcast": {"queue": "bulk"},
}
# Every job is idempotent (the outbox keys hold it): a beat that runs twice or
# restarts sends nothing twice. Embedded mode runs the same jobs: run_periodic.
app.conf.beat_schedule = {
    "notifications-sweep": {"task": "notifications.sweep", "schedule": 60.0},
    "notifications-digests": {
        "task": "notifications.send_due_digests",
        "schedule": 60.0,
    },
    "notifications-reminders": {
        "task": "notifications.send_due_reminders",
        "schedule": 300.0,
    },
    "registrations-expire-offers": {
        "task": "notifications.expire_offers",
        "schedule": 60.0,
    },
    "registrations-expire-invitations": {
        "task": "registrations.expire_invitations",
        "schedule": 300.0,
    },
}
