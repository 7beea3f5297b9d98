"""Secret links never reach a log.

Manage, invitation and personal calendar links, allauth's password-reset and
email-confirmation keys, and OAuth codes each let whoever holds them act as the
person they were sent to, and every access log records them: in the request line,
in the Referer header of the next request, and in Django's "Not Found: <path>".

Redaction happens where a log record is made (a LogRecord factory), not in one
handler, so that every handler sees the redacted text: Django's, runserver's,
gunicorn's access and error logs (config/gunicorn.conf.py installs it too), Celery's
and pytest's. `redact` is the one rule for what is secret in a text.
"""

import logging
import logging.config
import re
from urllib.parse import unquote_plus

REDACTED = "[redacted]"

# One path segment: up to the next slash, query, fragment, blank or quote.
_SEGMENT = r"[^/?#&\s\"'<>]+"

# /registrations/<token>/, /invitations/<token>/, /calendar/<token>.ics and a paired
# phone's /organise/pair/<token>/ at the start
# of a path (after a blank, a quote, "=" or a host), whatever the token's length:
# a truncated link still gives most of a secret away. /admin/registrations/... is
# not at the start of its path and stays readable.
_SECRET_PAGE = re.compile(
    r"(?P<before>^|[\s\"'(<=,]|//[^/\s\"'?#]+)"
    r"(?P<prefix>/(?:registrations|invitations|calendar|organise/pair)/)"
    rf"(?!schedule(?:[/?#\s\"']|$))(?P<secret>{_SEGMENT})"
)
# The same tokens anywhere else (under a script prefix, say): at least 20 token
# characters, which no page name under these prefixes has.
_TOKEN_ANYWHERE = re.compile(
    r"(?P<prefix>/(?:registrations|invitations|calendar|organise/pair)/)"
    r"[A-Za-z0-9_\-]{20,}"
)
# allauth's emailed keys: /accounts/password/reset/key/<uid>-<key>/ and
# /accounts/confirm-email/<key>/.
_ALLAUTH_KEY = re.compile(
    rf"(?P<prefix>/password/reset/key/|/confirm-email/)(?!done/)(?P<secret>{_SEGMENT})"
)
# name=value in a query string (or in free text): OAuth's code and state, SAML's
# messages, anything named like a token, key, password or signature.
_PARAMETER = re.compile(
    r"(?P<before>^|[?&\s\"'])(?P<name>[\w.\-\[\]]+)=(?P<value>[^&#\s\"']*)"
)
_SECRET_NAME = re.compile(
    r"token|key|code|secret|pass|state|sig|ticket|saml|auth|session|otp|nonce|uid"
    r"|hash|credential|jwt",
    re.IGNORECASE,
)


def _redact_page(match: re.Match) -> str:
    extension = ".ics" if match["secret"].endswith(".ics") else ""
    return f"{match['before']}{match['prefix']}{REDACTED}{extension}"


def _redact_paths(text: str) -> str:
    text = _SECRET_PAGE.sub(_redact_page, text)
    text = _TOKEN_ANYWHERE.sub(rf"\g<prefix>{REDACTED}", text)
    return _ALLAUTH_KEY.sub(rf"\g<prefix>{REDACTED}", text)


def _redact_parameter(match: re.Match) -> str:
    value = match["value"]
    if value and (
        _SECRET_NAME.search(match["name"])
        # ?next=%2Finvitations%2F<token>%2F: a secret link inside a value.
        or _redact_paths(unquote_plus(value)) != unquote_plus(value)
    ):
        value = REDACTED
    return f"{match['before']}{match['name']}={value}"


def redact(text: str) -> str:
    """`text` with every secret path segment and secret query value replaced."""
    return _PARAMETER.sub(_redact_parameter, _redact_paths(text))


def _redact_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: logging reports it, without secrets
        message = f"{record.msg!s} {record.args!s}"
    # Rendered once and for all: no handler formats the raw arguments again.
    record.msg, record.args = redact(message), ()
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def install_redaction() -> None:
    """Make every log record of this process redacted as it is made (idempotent)."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "redacts_secrets", False):
        return

    def make_redacted_record(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        _redact_record(record)
        return record

    make_redacted_record.redacts_secrets = True
    logging.setLogRecordFactory(make_redacted_record)


def configure(config: dict) -> None:
    """Django's LOGGING_CONFIG: the LOGGING dict, with every record redacted."""
    install_redaction()
    logging.config.dictConfig(config)
