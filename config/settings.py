"""Kokous settings: one module, every deploy difference is an environment variable.

The README has a table of every variable. Unset REDIS_URL means embedded mode:
Celery runs tasks eagerly after commit and the cache is in local memory.
"""

import json
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from . import env
from .csp import content_security_policy
from .env import env_bool, env_int, env_list, env_str
from .mail import mailers_from_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("KOKOUS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if env.code_only_command:
        # makemigrations and the like sign nothing: a throwaway key, never kept.
        SECRET_KEY = secrets.token_urlsafe(50)
    elif not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for development)."
        )
    else:
        SECRET_KEY = "insecure-development-key-only-for-debug-mode"  # noqa: S105

SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.hostname:
    raise ImproperlyConfigured(
        f"SITE_URL must be an absolute http(s) URL, got {SITE_URL!r}."
    )
# Calendar UIDs are built from this; it must never change once feeds are public.
CALENDAR_UID_DOMAIN = env_str("CALENDAR_UID_DOMAIN", _site.hostname)

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [_site.hostname] + (["localhost", "127.0.0.1"] if DEBUG else [])
)
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", [f"{_site.scheme}://{_site.netloc}"]
)

INSTALLED_APPS = [
    # Before the admin: its TranslationAdmin widgets and the translated columns.
    "modeltranslation",
    "config.apps.KokousAdminConfig",  # django.contrib.admin, superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "django_countries",  # translated country names (fi, sv) in forms
    "accounts",
    "events",
    "registrations",
    "meetings",
    "notifications",
    "organise",
    "config.apps.ConfigConfig",  # deploy checks
]
SOCIALACCOUNT_PROVIDER_APPS = env_list(
    "SOCIALACCOUNT_PROVIDERS_ENABLED"
)  # e.g. openid_connect,saml
INSTALLED_APPS += [
    f"allauth.socialaccount.providers.{name}" for name in SOCIALACCOUNT_PROVIDER_APPS
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files need no policy; pages get config/csp.py's.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Content falls back through the shown event's languages (events/languages.py).
    "events.languages.EventLanguagesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication: organiser pages need a second factor in this session.
    "config.staff_login.OrganiserMfaMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",  # csp_nonce for script tags
                "organise.context_processors.organiser_links",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kokous.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Embedded mode keeps its database (and mail) under var/; make it on first use.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue up
        # (for up to DB_LOCK_TIMEOUT, below) instead of failing mid-transaction.
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# --- Database: how long to wait -------------------------------------------------
# A stuck lock must cost one request a few seconds and a "busy, try again" page
# (config/errors.py), never the whole site. Web requests also get a statement
# timeout; migrations, workers and commands do not (they never import
# config/wsgi.py), and an export lifts it (config/database.py).
DB_LOCK_TIMEOUT = env_int("DB_LOCK_TIMEOUT", 5)
DB_STATEMENT_TIMEOUT = env_int("DB_STATEMENT_TIMEOUT", 20)
for _name, _seconds in [
    ("DB_LOCK_TIMEOUT", DB_LOCK_TIMEOUT),
    ("DB_STATEMENT_TIMEOUT", DB_STATEMENT_TIMEOUT),
]:
    if _seconds < 1:
        raise ImproperlyConfigured(
            f"{_name} must be at least 1 second, got {_seconds}."
        )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"]["timeout"] = DB_LOCK_TIMEOUT  # busy timeout
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _timeouts = f"-c lock_timeout={DB_LOCK_TIMEOUT * 1000}"
    if env.web_process:
        _timeouts += f" -c statement_timeout={DB_STATEMENT_TIMEOUT * 1000}"
    _options["options"] = f"{_options.get('options', '')} {_timeouts}".strip()
MIDDLEWARE += [
    "config.errors.DatabaseTroubleMiddleware",  # answers 503, not 500
    "config.database.LongRunningViewsMiddleware",  # last: it calls the view itself
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Sessions read from the cache (Redis in production), written through to the DB.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# --- Redis: broker and cache, or embedded mode --------------------------------
REDIS_URL = env_str("REDIS_URL")
EMBEDDED = not REDIS_URL
if EMBEDDED:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    CELERY_BROKER_URL = "memory://"
    # No worker in embedded mode: tasks run in-process (queued on commit by the code).
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = False
else:
    CACHES = {
        "default": {
            # Answers as an empty cache while its Redis is away (config/cache.py):
            # sessions come from the database, pages are rebuilt.
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": env_str("CACHE_URL", REDIS_URL),
            "KEY_PREFIX": "kokous",
            # A dead Redis must cost milliseconds, not seconds.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
    CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)

# Celery: reliable delivery (see notifications/ and docs/).
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # our tasks are idempotent
CELERY_TASK_REJECT_ON_WORKER_LOST = False  # the sweep recovers what a dead worker held
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
# Publishing must never block a request for long: fail fast, the outbox sweep re-queues.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    "max_retries": 0,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_DEFAULT_QUEUE = "default"
# Personal messages on "default", broadcasts on "bulk": run a worker per queue (or
# one with -Q default,bulk) so a broadcast never delays a confirmation.
CELERY_TASK_ROUTES = {
    "notifications.deliver_bulk": {"queue": "bulk"},
    "notifications.send_broadcast": {"queue": "bulk"},
    "registrations.run_bulk": {"queue": "bulk"},
}
CELERY_TIMEZONE = "UTC"

# --- Email ------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Kokous <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


MAILERS = mailers_from_url(
    env_str("EMAIL_URL"), env_int("EMAIL_TIMEOUT", 15), mail_dir=VAR_DIR / "mail"
)

# --- allauth ----------------------------------------------------------------
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Confirming the address in the browser that signed up signs the person in and
# resumes the sign-up's `next` page.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Kokous: "
ACCOUNT_RATE_LIMITS: dict[str, str] | bool = {
    # A campus behind one NAT: per-IP limits generous, per-key (account/email) strict.
    "login": env_str("RATE_LIMIT_LOGIN", "300/m/ip"),
    "login_failed": "10/m/ip,5/5m/key",
    "signup": env_str("RATE_LIMIT_SIGNUP", "300/m/ip"),
    "confirm_email": "1/3m/key",
    "reset_password": "60/m/ip,5/m/key",
    "reset_password_from_key": "60/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "request_login_code": "60/m/ip,3/m/key",
}
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
SOCIALACCOUNT_ONLY = False
# Provider settings (OpenID Connect server URL, client id/secret, SAML IdP metadata)
# as allauth's SOCIALACCOUNT_PROVIDERS dict, in JSON; or configure them in the admin.
_providers_json = env_str("SOCIALACCOUNT_PROVIDERS_JSON")
try:
    SOCIALACCOUNT_PROVIDERS = json.loads(_providers_json) if _providers_json else {}
except json.JSONDecodeError as error:
    raise ImproperlyConfigured(
        f"SOCIALACCOUNT_PROVIDERS_JSON is not valid JSON: {error}"
    ) from None
if not isinstance(SOCIALACCOUNT_PROVIDERS, dict):
    raise ImproperlyConfigured("SOCIALACCOUNT_PROVIDERS_JSON must be a JSON object.")
LOGIN_REDIRECT_URL = "/"
# A second factor: an authenticator app (TOTP) with recovery codes. Superusers,
# owners and editors must use it before any organiser page (config/staff_login.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Kokous"
# One 30-second step either side: phones whose clocks drift, codes typed at the turn.
MFA_TOTP_TOLERANCE = 1
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fi", _("Finnish")), ("sv", _("Swedish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
DEFAULT_EVENT_TIMEZONE = "Europe/Helsinki"
# Event content (titles, abstracts, names, questions) in each language: a column
# per language beside the original (events/translation.py and
# registrations/translation.py). An empty column falls back to the event's
# languages in order (events/languages.py), else to this order.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fi", "sv")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "fi", "sv")

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").exists() else []
# Development serves static files from the apps as they change (no collectstatic);
# fixed here because the test runner switches DEBUG off after the settings load.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security -----------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
_https = _site.scheme == "https"
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _https and not DEBUG)
SECURE_HSTS_SECONDS = env_int(
    "SECURE_HSTS_SECONDS", 31536000 if _https and not DEBUG else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading is decided for a whole registrable domain (a university's), not by one
# application on a subdomain; SECURE_HSTS_PRELOAD=1 is there for those who decide it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = content_security_policy(
    providers=SOCIALACCOUNT_PROVIDERS,
    extra_form_action=env_list("CSP_FORM_ACTION"),
)
# Load balancers and container probes ask over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Logging: tokens in URLs never reach the logs -------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {LOG_LEVEL!r}."
    )
# Redacts every record as it is made, whichever handler writes it.
LOGGING_CONFIG = "config.logging.configure"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {
            "handlers": ["console"],
            "level": "WARNING",
            "propagate": False,
        },
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # One line per task is noise in embedded mode; failures still log.
        "celery.app.trace": {"level": "WARNING"},
        # WeasyPrint logs each step and page of a badge PDF; its problems still log.
        "weasyprint": {"level": "WARNING"},
    },
}
