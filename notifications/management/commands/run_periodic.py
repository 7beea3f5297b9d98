"""Run every periodic job in-process: the embedded stand-in for Celery beat.

`make run` starts this beside the development server. Each job is imported when it
runs, so a job whose module does not exist yet (or fails) is reported and skipped
while the others still run.
"""

import importlib
import logging
import time

from django.core.management.base import BaseCommand, CommandError

logger = logging.getLogger(__name__)

# (label, module, function): the same jobs beat runs (config/celery.py).
JOBS = [
    ("compose uncomposed facts", "notifications.services.sweeps", "compose_pending"),
    ("re-queue due messages", "notifications.services.sweeps", "requeue_due"),
    ("expire waitlist offers", "registrations.services.waitlists", "expire_offers"),
    (
        "expire unanswered invitations",
        "registrations.services.invitations",
        "expire_invitations",
    ),
    ("schedule digests due", "notifications.services.digests", "send_due_digests"),
    ("reminders due", "notifications.services.reminders", "send_due_reminders"),
    (
        "invitation reminders due",
        "notifications.services.reminders",
        "send_due_invitation_reminders",
    ),
]


def run_jobs(stdout=None) -> dict:
    """Run each job once; return {label: result or error text}."""
    results = {}
    for label, module_name, function_name in JOBS:
        try:
            function = getattr(importlib.import_module(module_name), function_name)
        except (ImportError, AttributeError):
            results[label] = "not available"
            continue
        try:
            results[label] = function()
        except Exception as error:  # one failing job must not stop the others
            logger.exception("periodic job %s failed", label)
            results[label] = f"failed: {error}"
    return results


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (sweeps, offer expiry, digests, reminders) in-process."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=60, help="seconds between runs (default 60)"
        )
        parser.add_argument("--once", action="store_true", help="run once and exit")

    def handle(self, *args, every, once, **options):
        if every < 1:
            raise CommandError("--every must be at least 1 second.")
        while True:
            for label, result in run_jobs().items():
                if options["verbosity"] > 1 or (
                    isinstance(result, str) and result.startswith("failed")
                ):
                    self.stdout.write(f"{label}: {result}")
            if once:
                return
            try:
                time.sleep(every)
            except KeyboardInterrupt:
                return
