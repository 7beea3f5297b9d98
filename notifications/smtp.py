"""The SMTP mailer: a deadline for the whole conversation, and what a reply means.

Each SMTP operation already has a timeout (EMAIL_TIMEOUT), but a conversation is a
dozen of them, so on its own the timeout does not bound a send. The deadline does:
past it the socket is shut down under whatever waits on it and no further command
is sent. That bound holds in every Celery pool and in eager mode (Celery's time
limits hold only in prefork), and the sweep relies on it to tell a dead worker's
claim from a live one (services/sweeps.py).

Replies: a 5xx to the sender, the recipient or the message is that message's fault
and final; a 5xx to the connection, greeting, TLS or login is our configuration's,
the same for every message. Anything else (4xx, timeouts, dropped connections) may
pass: try again later.
"""

import contextlib
import functools
import smtplib
import socket
import threading
import time

from django.conf import settings
from django.core.mail.backends import smtp

DEFAULT_TIMEOUT = 15
# Room for one slow operation and a normal rest of the conversation.
DEADLINE_TIMEOUTS = 3

MESSAGE_REFUSED = "message"
CONFIGURATION_REFUSED = "configuration"


def mailer_timeout() -> float:
    """The default mailer's SMTP timeout (EMAIL_TIMEOUT), in seconds."""
    options = settings.MAILERS.get("default", {}).get("OPTIONS", {})
    return options.get("timeout") or DEFAULT_TIMEOUT


def send_deadline(timeout: float | None = None) -> float:
    """The longest one send may talk to the mail server, in seconds."""
    return DEADLINE_TIMEOUTS * (timeout or mailer_timeout())


def refusal(error: Exception) -> str | None:
    """MESSAGE_REFUSED, CONFIGURATION_REFUSED, or None when trying again may work."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in error.recipients.values()]
        return MESSAGE_REFUSED if codes and min(codes) >= 500 else None
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return CONFIGURATION_REFUSED  # STARTTLS or AUTH asked of a server without it
    if not isinstance(error, smtplib.SMTPResponseException) or error.smtp_code < 500:
        return None
    if isinstance(error, (smtplib.SMTPSenderRefused, smtplib.SMTPDataError)):
        return MESSAGE_REFUSED
    # The greeting, HELO/EHLO, STARTTLS or AUTH.
    return CONFIGURATION_REFUSED


def describe(error: Exception) -> str:
    """The error as organisers and operators read it: its kind, the server's reply."""
    name = type(error).__name__
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        code, reply = next(iter(error.recipients.values()))
        return f"{name}: {code} {_text(reply)}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{name}: {error.smtp_code} {_text(error.smtp_error)}"
    return f"{name}: {error}"


def _text(reply) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


class _DeadlineMixin:
    """An smtplib client that talks to the server for `deadline` seconds at most,
    counted from its creation (which connects)."""

    def __init__(self, *args, deadline: float, **kwargs):
        self.deadline_seconds = deadline
        self.deadline = time.monotonic() + deadline
        self._watchdog = threading.Timer(deadline, self._expire)
        self._watchdog.daemon = True
        self._watchdog.start()
        try:
            super().__init__(*args, **kwargs)  # connects and reads the greeting
        except BaseException:
            self._watchdog.cancel()
            raise

    def _expire(self):
        # Wakes a recv or send blocked on the socket, however slowly a server trickles.
        if (sock := self.sock) is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _within_deadline(self, operation):
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            self.close()
            raise smtplib.SMTPServerDisconnected(self._past_deadline())
        if self.sock is not None:
            # No single operation may outlast the deadline either.
            timeout = self.timeout if isinstance(self.timeout, (int, float)) else None
            self.sock.settimeout(min(timeout or remaining, remaining))
        try:
            return operation()
        except smtplib.SMTPServerDisconnected as error:
            if time.monotonic() >= self.deadline:
                raise smtplib.SMTPServerDisconnected(self._past_deadline()) from error
            raise

    def _past_deadline(self) -> str:
        return f"no reply within the send deadline of {self.deadline_seconds:g} s"

    def send(self, s):
        return self._within_deadline(functools.partial(super().send, s))

    def getreply(self):
        return self._within_deadline(super().getreply)

    def close(self):
        self._watchdog.cancel()
        super().close()


class DeadlineSMTP(_DeadlineMixin, smtplib.SMTP):
    pass


class DeadlineSMTPSSL(_DeadlineMixin, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    """Django's SMTP mailer with a deadline per connection (each carries one
    message here)."""

    @property
    def connection_class(self):
        base = DeadlineSMTPSSL if self.use_ssl else DeadlineSMTP
        return functools.partial(base, deadline=send_deadline(self.timeout))
