import os

from celery import Celery

from notifications.periodic import beat_schedule

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("kokous")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The one list of periodic jobs, which run_periodic reads too.
app.conf.beat_schedule = beat_schedule()
