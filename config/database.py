"""What went wrong with the database, in the terms a page needs: busy or away.

`trouble_of` sorts a database error into "busy" (a lock or statement timeout on
PostgreSQL, "database is locked" on SQLite: the transaction was rolled back and
trying again later will do) and "unavailable" (the database cannot be reached);
anything else is a bug and stays a 500. config/errors.py turns the first two into
503 pages.
"""

import sqlite3

from django.db import Error, InterfaceError, connection, transaction

# lock_not_available (lock_timeout), query_canceled (statement_timeout).
BUSY_SQLSTATES = {"55P03", "57014"}
# admin_shutdown, crash_shutdown, cannot_connect_now; class 08: connection errors.
AWAY_SQLSTATES = {"57P01", "57P02", "57P03"}
SQLITE_BUSY = ("database is locked", "database table is locked")
SQLITE_AWAY = ("unable to open database file", "disk I/O error")


def trouble_of(error: BaseException | None) -> str | None:
    """Sort `error` into "busy", "unavailable", or None (not about waiting)."""
    if not isinstance(error, Error):  # Django's database errors, of every backend
        return None
    if isinstance(error, InterfaceError):  # the connection is already gone
        return "unavailable"
    cause = error.__cause__
    if isinstance(cause, sqlite3.Error):
        message = str(cause)
        if message.startswith(SQLITE_BUSY):
            return "busy"
        return "unavailable" if message.startswith(SQLITE_AWAY) else None
    if type(cause).__module__.partition(".")[0] != "psycopg":
        return None
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate in BUSY_SQLSTATES:
        return "busy"
    if sqlstate in AWAY_SQLSTATES or (sqlstate or "").startswith("08"):
        return "unavailable"
    if sqlstate is None and type(cause).__name__ == "OperationalError":
        return "unavailable"  # psycopg's "connection failed": no SQLSTATE
    return None


# Views that may rightly run longer than a web request's statement timeout (a large
# event's export). Named here, where the project is wired, so that no app imports
# config: the middleware below runs them in one transaction with the timeout lifted.
LONG_RUNNING_VIEWS = frozenset(
    {
        "admin:registrations_registration_export",
        "organise:registrations_export",
        "organise:badges",
    }
)


class LongRunningViewsMiddleware:
    """Lift the statement timeout (SET LOCAL) for the views in LONG_RUNNING_VIEWS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if connection.vendor != "postgresql" or match is None:
            return None
        if match.view_name not in LONG_RUNNING_VIEWS:
            return None
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = 0")
            return view_func(request, *view_args, **view_kwargs)
