"""Django's MAILERS setting from one EMAIL_URL variable."""

from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def mailers_from_url(
    email_url: str, timeout: int, *, mail_dir: Path = Path("var", "mail")
) -> dict:
    """MAILERS from EMAIL_URL (smtp[s]://user:password@host:port?tls=1).

    Empty means files under var/mail, for the demo. The values stay out of module
    scope on purpose: Django 6.1 refuses any EMAIL_* setting beside MAILERS.
    """
    if not email_url:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "OPTIONS": {"file_path": str(mail_dir)},
            }
        }
    parts = urlsplit(email_url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ImproperlyConfigured(
            f"EMAIL_URL must look like smtp://host:port, got scheme {parts.scheme!r}."
        )
    query = dict(parse_qsl(parts.query))
    if set(query) - {"tls"}:
        raise ImproperlyConfigured(
            f"EMAIL_URL knows only the option tls=1, got {sorted(query)}."
        )
    options = {
        "host": parts.hostname,
        "port": parts.port or (465 if parts.scheme == "smtps" else 25),
        "timeout": timeout,
        "use_ssl": parts.scheme == "smtps",
        "use_tls": query.get("tls", "0").lower() in {"1", "true", "yes"},
    }
    if options["use_ssl"] and options["use_tls"]:
        raise ImproperlyConfigured(
            "EMAIL_URL: smtps:// is TLS from the start; drop tls=1 (that is STARTTLS)."
        )
    if parts.username:
        options["username"] = unquote(parts.username)
        options["password"] = unquote(parts.password or "")
    return {
        "default": {
            # Django's SMTP mailer with a deadline for the whole conversation.
            "BACKEND": "notifications.smtp.EmailBackend",
            "OPTIONS": options,
        }
    }
