"""Settings for the Celery worker that end-to-end tests start: the real settings
(from the environment the test passes), with retries fast enough for a test."""

from config.settings import *  # noqa: F403

NOTIFICATIONS_RETRY_BASE_SECONDS = 1
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
