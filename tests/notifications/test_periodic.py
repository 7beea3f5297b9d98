"""The one list of periodic jobs: beat and run_periodic read it, and a job that
names no registered task fails loudly instead of being skipped."""

from datetime import timedelta

import pytest
from celery.exceptions import NotRegistered
from django.core.management import call_command
from django.utils import timezone

from config.celery import app
from notifications.management.commands import run_periodic
from notifications.periodic import JOBS, PeriodicJob
from registrations.models import Activity
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_every_periodic_job_names_a_registered_task():
    app.loader.import_default_modules()  # what a worker and beat do at start-up

    assert [job.task for job in JOBS if job.task not in app.tasks] == []


def test_beat_runs_exactly_the_listed_jobs():
    assert app.conf.beat_schedule == {
        job.name: {"task": job.task, "schedule": job.every} for job in JOBS
    }


def test_run_periodic_refuses_a_misspelt_task_before_running_any_job(monkeypatch):
    registration = RegistrationFactory()
    missed = Activity.objects.create(
        event=registration.event,
        registration=registration,
        verb="waitlisted",
        details={"position": 1},
        created_at=timezone.now() - timedelta(minutes=5),
    )
    compose = next(job for job in JOBS if job.task == "notifications.compose_pending")
    typo = PeriodicJob("typo", "notifications.sweeep", 60.0, "typo")
    monkeypatch.setattr(run_periodic, "JOBS", (compose, typo))

    with pytest.raises(NotRegistered, match="notifications.sweeep"):
        call_command("run_periodic", "--once")

    missed.refresh_from_db()
    assert missed.composed_at is None
