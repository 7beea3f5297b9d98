"""Run every periodic job in-process: the embedded stand-in for Celery beat.

`make run` starts this beside the development server. It runs the tasks beat
would publish (notifications/periodic.py), here and now. A job name that is no
registered task stops the command before anything runs; a job that fails is
reported while the others still run.
"""

import logging
import time

from celery import current_app
from django.core.management.base import BaseCommand, CommandError

from notifications.periodic import JOBS

logger = logging.getLogger(__name__)


def resolve_jobs() -> list:
    """(job, task) for every periodic job; NotRegistered names a job's typo."""
    current_app.loader.import_default_modules()  # every app's tasks.py
    return [(job, current_app.tasks[job.task]) for job in JOBS]


def run_jobs() -> dict:
    """Run each job once; return {label: result or error text}."""
    results = {}
    for job, task in resolve_jobs():
        try:
            results[job.label] = task()
        except Exception as error:  # one failing job must not stop the others
            logger.exception("periodic job %s failed", job.label)
            results[job.label] = f"failed: {error}"
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
