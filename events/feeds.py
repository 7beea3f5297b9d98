"""Public iCalendar feeds, and the HTTP and cache plumbing the personal feed shares.

Two cache levels keep polling cheap:
- a whole feed's bytes under its version (the ETag), so repeated polls of an
  unchanged schedule cost one small query and one cache read;
- each entry's serialised VEVENT under a key made of everything the entry shows
  (its row's change stamp, sequence and status, and its event's), so the first
  request after a change re-serialises only the changed entries and splices the
  rest from the cache. events.services touches Session.changed_at when a room,
  venue, track or speaker the session shows changes, and Event.changed_at on
  every event edit.
"""

import gzip
import hashlib
import re
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import ical
from .models import Event, Session, Speaker, Track

FEED_TIMEOUT = 24 * 3600
ENTRY_TIMEOUT = 14 * 24 * 3600
MAX_AGE = 300
CONTENT_TYPE = "text/calendar; charset=utf-8"


class FeedNotFound(Exception):
    """The feed does not exist; the message says why (sent as a plain-text 404)."""


# --- versions and cache keys ------------------------------------------------------


def digest(*parts) -> str:
    """A short stable hash of `parts` and everything else feed bytes depend on."""
    context = (
        ical.FORMAT_VERSION,
        get_language(),
        settings.SITE_URL,
        settings.CALENDAR_UID_DOMAIN,
    )
    return hashlib.sha256(repr((context, parts)).encode()).hexdigest()[:32]


# What a session entry shows comes from its row and its event's row; a change of
# anything else it shows (room, venue, track, speakers) touches session.changed_at.
SESSION_KEY_FIELDS = (
    "pk", "uuid", "changed_at", "sequence", "status", "starts_at", "ends_at",
    "event__changed_at", "event__status", "event__timezone", "event__ends_at",
)  # fmt: skip
# An event entry also shows its venue, whose edits bump the schedule version.
EVENT_KEY_FIELDS = (
    "pk", "uuid", "changed_at", "sequence", "status", "schedule_version",
    "schedule_changed_at", "timezone", "starts_at", "ends_at",
)  # fmt: skip


def session_entry_key(row: tuple) -> str:
    return "ical:s:" + digest(row[1:])


def event_entry_key(row: tuple) -> str:
    return "ical:e:" + digest(row[1:])


def is_cancelled_session_row(row: tuple) -> bool:
    return row[4] == Session.Status.CANCELLED or row[8] == Event.Status.CANCELLED


def load_sessions(pks, *, event: Event | None = None) -> dict:
    """Sessions with all that session_entry() shows, in a fixed number of queries.

    With `event` (loaded with its venue) the sessions share it instead of each
    loading its own copy.
    """
    speakers = Prefetch("speakers", queryset=Speaker.objects.order_by("name", "pk"))
    related = (
        ["room__venue", "track"] if event else ["event__venue", "room__venue", "track"]
    )
    sessions = (
        Session.objects.select_related(*related).prefetch_related(speakers).in_bulk(pks)
    )
    if event is not None:
        for session in sessions.values():
            session.event = event
    return sessions


def load_events(pks) -> dict:
    return Event.objects.select_related("venue").in_bulk(pks)


def cached_entries(rows, *, key, load, build) -> list[bytes]:
    """Serialised entries for `rows` (pk first), in order, from the cache when there.

    Misses are loaded with `load(pks)` (one batch) and built with `build(obj)`.
    """
    keys = [key(row) for row in rows]
    found = cache.get_many(keys) if keys else {}
    missing = {row[0]: k for row, k in zip(rows, keys, strict=True) if k not in found}
    if missing:
        objects = load(list(missing))
        fresh = {k: ical.entry_bytes(build(objects[pk])) for pk, k in missing.items()}
        cache.set_many(fresh, ENTRY_TIMEOUT)
        found.update(fresh)
    return [found[k] for k in keys]


def first_seen(version: str) -> datetime:
    """When this server first served `version`: Last-Modified for feeds whose
    content can change by something disappearing (no row left to date it)."""
    return cache.get_or_set("ical:seen:" + version, timezone.now(), FEED_TIMEOUT)


def not_found(reason) -> HttpResponseNotFound:
    return HttpResponseNotFound(str(reason), content_type="text/plain; charset=utf-8")


# --- HTTP ---------------------------------------------------------------------------


def respond(
    request,
    *,
    version: str,
    last_modified: datetime,
    body,
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


# --- the schedule feed ----------------------------------------------------------------


def _filters(request) -> tuple[str | None, int | None, str | None]:
    track = request.GET.get("track") or None
    room = request.GET.get("room") or None
    kind = request.GET.get("kind") or None
    if room is not None:
        # Ids are 64-bit: a longer number would overflow the query, not miss.
        if not (room.isascii() and room.isdigit() and len(room) <= 18):
            raise FeedNotFound(_("There is no room with that id in this event."))
        room = int(room)
    if kind is not None and kind not in Session.Kind.values:
        raise FeedNotFound(_("There is no session kind of that name."))
    return track, room, kind


def _published_event(slug: str) -> Event:
    return get_object_or_404(
        Event.objects.published().select_related("venue"), slug=slug
    )


def schedule_bytes(event: Event, filters, *, now: datetime) -> bytes:
    """The schedule feed of `event`, filtered; cancelled entries go once it ended."""
    track_slug, room_id, kind = filters
    sessions = event.sessions.all()
    name_parts = [event.title]
    if track_slug is not None:
        track = Track.objects.filter(event=event, slug=track_slug).first()
        if track is None:
            raise FeedNotFound(_("There is no track of that name in this event."))
        sessions = sessions.filter(track=track)
        name_parts.append(track.name)
    if room_id is not None:
        room = event.sessions.filter(room_id=room_id).select_related("room").first()
        if room is None:
            raise FeedNotFound(_("There is no room with that id in this event."))
        sessions = sessions.filter(room_id=room_id)
        name_parts.append(room.room.name)
    if kind is not None:
        sessions = sessions.filter(kind=kind)
        name_parts.append(str(Session.Kind(kind).label))
    rows = list(sessions.order_by("starts_at", "pk").values_list(*SESSION_KEY_FIELDS))
    if now >= event.ends_at:
        rows = [row for row in rows if not is_cancelled_session_row(row)]

    entries = cached_entries(
        rows,
        key=session_entry_key,
        load=lambda pks: load_sessions(pks, event=event),
        build=ical.session_entry,
    )
    calendar = ical.new_calendar(
        name=" – ".join(name_parts),
        description=event.summary
        or _("Schedule of %(title)s") % {"title": event.title},
        tzids=[event.timezone] if rows else [],
        span=ical.span_of((row[5], row[6]) for row in rows),
        default_tzid=event.timezone,
    )
    return ical.assemble(calendar, entries)


@require_safe
def schedule_feed(request, slug):
    # The poll path: one narrow query for the version; the event itself is
    # loaded only when the feed has to be built.
    version_row = (
        Event.objects.published()
        .filter(slug=slug)
        .values_list("pk", "schedule_version", "schedule_changed_at", "ends_at")
        .first()
    )
    if version_row is None:
        return not_found(_("There is no published event at this address."))
    pk, schedule_version, changed_at, ends_at = version_row
    try:
        filters = _filters(request)
    except FeedNotFound as error:
        return not_found(error)
    now = timezone.now()
    ended = now >= ends_at
    # Once the event ends its cancelled entries drop out: a new version, dated then.
    last_modified = max(changed_at, ends_at) if ended else changed_at

    def body():
        event = Event.objects.select_related("venue").get(pk=pk)
        return schedule_bytes(event, filters, now=now)

    return respond(
        request,
        version=digest("schedule", pk, schedule_version, ended, filters),
        last_modified=last_modified,
        body=body,
        filename=f"{slug}.ics",
    )


# --- one session, for "add to calendar" ---------------------------------------------


@require_safe
def session_feed(request, slug, session_uuid):
    event = _published_event(slug)
    row = (
        event.sessions.filter(uuid=session_uuid)
        .values_list(*SESSION_KEY_FIELDS)
        .first()
    )
    if row is None:
        return not_found(_("There is no such session in this event."))

    def body():
        entries = cached_entries(
            [row],
            key=session_entry_key,
            load=lambda pks: load_sessions(pks, event=event),
            build=ical.session_entry,
        )
        calendar = ical.new_calendar(
            name=event.title,
            description=event.summary or event.title,
            tzids=[event.timezone],
            span=ical.span_of([(row[5], row[6])]),
            default_tzid=event.timezone,
        )
        return ical.assemble(calendar, entries)

    return respond(
        request,
        version=digest("session", row[1:], event.changed_at),
        last_modified=max(row[2], event.changed_at),
        body=body,
        filename=f"{event.slug}-{session_uuid}.ics",
        attachment=True,
    )


# --- all public upcoming events ------------------------------------------------------


def events_bytes(rows) -> bytes:
    entries = cached_entries(
        rows, key=event_entry_key, load=load_events, build=ical.event_entry
    )
    calendar = ical.new_calendar(
        name=_("Upcoming events"),
        description=_("Public upcoming events at %(site)s")
        % {"site": settings.SITE_URL},
        tzids={row[7] for row in rows},
        span=ical.span_of((row[8], row[9]) for row in rows),
        default_tzid=settings.DEFAULT_EVENT_TIMEZONE,
    )
    return ical.assemble(calendar, entries)


@require_safe
def all_events_feed(request):
    # Upcoming includes events in progress; cancelled ones stay until they end.
    rows = list(
        Event.objects.listed()
        .upcoming(timezone.now())
        .order_by("starts_at", "pk")
        .values_list(*EVENT_KEY_FIELDS)
    )
    version = digest("events", rows)
    return respond(
        request,
        version=version,
        last_modified=first_seen(version),
        body=lambda: events_bytes(rows),
        filename="events.ics",
    )


# --- links for the subscribe box ----------------------------------------------------


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
