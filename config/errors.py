"""Error pages in the site's look that need no database: 500, and 503 for a busy
or unreachable database (with Retry-After).

They render without the request's context processors, which would read the
session and the user from the database that may be the trouble. A page after a
failed POST asks the person to check their email before trying again: a
registration may have gone through although its page did not.
"""

import logging
import sys

from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.cache import add_never_cache_headers

from .database import trouble_of

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10


def database_trouble_response(request, trouble: str) -> HttpResponse:
    content = loader.render_to_string(
        "503.html", {"trouble": trouble, "after_post": request.method == "POST"}
    )
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseTroubleMiddleware:
    """A view that met a busy or unreachable database answers 503, not 500.

    Also with DEBUG on (the demo), where Django would show its debug page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        trouble = trouble_of(exception)
        if trouble is None:
            return None
        logger.warning(
            "Database %s on %s %s: answered 503 (%s: %s)",
            trouble,
            request.method,
            request.path,
            type(exception.__cause__ or exception).__name__,
            exception,
        )
        return database_trouble_response(request, trouble)


def server_error(request):
    """handler500: also for errors outside views (a session saved by middleware)."""
    if trouble := trouble_of(sys.exc_info()[1]):
        return database_trouble_response(request, trouble)
    content = loader.render_to_string(
        "500.html", {"after_post": request.method == "POST"}
    )
    return HttpResponseServerError(content)
