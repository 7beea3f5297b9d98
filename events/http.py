"""Serving calendar feeds over HTTP, for the public and personal feeds alike:
conditional answers (ETag, Last-Modified, 304, HEAD, gzip), plain-text 404s,
and the links that subscribe a calendar app to a feed."""

import gzip
import re
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotFound
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from . import ical
from .caching import FEED_TIMEOUT
from .models import Event

MAX_AGE = 300
CONTENT_TYPE = "text/calendar; charset=utf-8"


class FeedNotFound(Exception):
    """The feed does not exist; the message says why (sent as a plain-text 404)."""


def not_found(reason) -> HttpResponseNotFound:
    return HttpResponseNotFound(str(reason), content_type="text/plain; charset=utf-8")


def respond(
    request,
    *,
    version: str,
    last_modified: datetime,
    body: Callable[[], bytes],
    filename: str,
    private: bool = False,
    attachment: bool = False,
) -> HttpResponse:
    """Answer a feed request: 304 when the client is current, else the bytes.

    `body()` builds the bytes (or raises FeedNotFound); it runs only when the
    feed's version is not in the cache yet. The cache holds the feed gzipped
    (a 2 MB feed is ~140 kB: cheap to read from Redis), sent as it is to
    clients that accept gzip and unpacked for the others. The gzipped
    representation has the weak form of the ETag; If-None-Match compares weakly.
    """
    etag = f'"{version}"'
    stamp = int(last_modified.timestamp())
    gzipped = _accepts_gzip(request)
    response = get_conditional_response(request, etag=etag, last_modified=stamp)
    if response is None:
        cache_key = "ical:feed:" + version
        content, packed = None, cache.get(cache_key)
        if packed is None:
            try:
                content = body()
            except FeedNotFound as error:
                return not_found(error)
            # mtime=0: the same feed gives the same gzip bytes in every worker.
            packed = gzip.compress(content, compresslevel=1, mtime=0)
            cache.set(cache_key, packed, FEED_TIMEOUT)
        if gzipped:
            payload = packed
        else:
            payload = content if content is not None else gzip.decompress(packed)
        # HEAD: the same headers (length included) without the body.
        response = HttpResponse(
            b"" if request.method == "HEAD" else payload, content_type=CONTENT_TYPE
        )
        response["Content-Length"] = str(len(payload))
        if gzipped:
            response["Content-Encoding"] = "gzip"
        disposition = "attachment" if attachment else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["ETag"] = f"W/{etag}" if gzipped else etag
    response["Last-Modified"] = http_date(stamp)
    scope = "private" if private else "public"
    response["Cache-Control"] = f"{scope}, max-age={MAX_AGE}"
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _accepts_gzip(request) -> bool:
    return bool(_GZIP.search(request.headers.get("Accept-Encoding", "")))


_GZIP = re.compile(r"\bgzip\b(?!;q=0(?:\.0*)?\b)")


def subscribe_links(feed_url: str, name: str, *, download_url: str = "") -> dict:
    """The ways to subscribe to the feed at `feed_url` (absolute http(s) URL)."""
    webcal = "webcal://" + feed_url.split("://", 1)[1]
    return {
        "name": name,
        "https": feed_url,
        "webcal": webcal,
        # Encoded whole: a filtered feed's own query string must survive.
        "google": "https://calendar.google.com/calendar/r?"
        + urlencode({"cid": webcal}),
        "outlook": "https://outlook.live.com/calendar/0/addfromweb?"
        + urlencode({"url": feed_url, "name": name}),
        "download": download_url or feed_url,
    }


def schedule_feed_url(event: Event, params=None) -> str:
    """The absolute schedule feed URL, keeping only the feed's own filters."""
    url = ical.absolute_url(
        reverse("events:schedule_feed", kwargs={"slug": event.slug})
    )
    kept = {k: params[k] for k in ("track", "room", "kind") if params and params.get(k)}
    return f"{url}?{urlencode(kept)}" if kept else url
