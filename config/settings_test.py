"""Test settings: the real settings, with Celery eager and a fast hasher."""

import os

os.environ.setdefault("DEBUG", "1")

from .settings import *  # noqa: E402, F403

CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
ACCOUNT_RATE_LIMITS = False
# The cache must be local and empty per process; tests of Redis override it on purpose.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The concurrency tests queue dozens of transactions on one row lock on purpose; on
# a busy machine that queue can outlast the web's few seconds of lock timeout. The
# tests of the timeout itself start servers with their own settings.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    _options = DATABASES["default"]["OPTIONS"]  # noqa: F405
    _options["options"] = _options["options"].replace(
        f"lock_timeout={DB_LOCK_TIMEOUT * 1000}",  # noqa: F405
        "lock_timeout=60000",
    )
