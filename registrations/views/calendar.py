"""The personal calendar feed (/calendar/<token>.ics) and its page (/calendar/)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_safe

from events import ical
from events.caching import (
    EventRow,
    SessionRow,
    cached_entries,
    digest,
    first_seen,
    load_events,
    load_sessions,
)
from events.http import not_found, respond, subscribe_links
from events.languages import event_fallbacks, site_languages

from ..commitment_ical import meeting_entry
from ..models import Commitment, PersonalCalendar
from ..selectors.calendar import personal_items, personal_meetings
from ..services.calendar import (
    get_personal_calendar,
    mark_fetched,
    regenerate_calendar_token,
)


def feed_name() -> str:
    return _("My events and sessions")


def personal_bytes(
    event_rows: list[EventRow],
    session_rows: list[SessionRow],
    meetings: list[Commitment] | None = None,
) -> bytes:
    meetings = meetings or []
    entries = cached_entries(event_rows, load=load_events, build=_event_entry)
    entries += cached_entries(session_rows, load=load_sessions, build=_session_entry)
    entries += [ical.entry_bytes(meeting_entry(row)) for row in meetings]
    calendar = ical.new_calendar(
        name=feed_name(),
        description=_("Your events and sessions at %(site)s")
        % {"site": settings.SITE_URL},
        tzids={row.timezone for row in event_rows}
        | {row.event_timezone for row in session_rows}
        | {row.event.timezone for row in meetings},
        span=ical.span_of(
            [(row.starts_at, row.ends_at) for row in event_rows]
            + [(row.starts_at, row.ends_at) for row in session_rows]
            + [(row.starts_at, row.ends_at) for row in meetings]
        ),
        default_tzid=settings.DEFAULT_EVENT_TIMEZONE,
    )
    return ical.assemble(calendar, entries)


def _event_entry(event):
    with event_fallbacks(event):  # each event's texts through its own languages
        return ical.event_entry(event)


def _session_entry(session):
    with event_fallbacks(session.event):
        return ical.session_entry(session)


@require_safe
def personal_feed(request, token):
    """In the language of ?lang= when given, else the request's."""
    calendar = PersonalCalendar.objects.filter(token=token).first()
    if calendar is None:
        return not_found(_("There is no calendar at this address."))
    language = request.GET.get("lang") or translation.get_language()
    if language not in site_languages():
        return not_found(_("There is no language of that code here."))
    with translation.override(language):
        return _personal_response(request, calendar)


def _personal_response(request, calendar):
    now = timezone.now()
    event_rows, session_rows = personal_items(user_id=calendar.user_id, now=now)
    meetings = personal_meetings(user_id=calendar.user_id, now=now)
    # The version is the feed's content: each entry's key row, so a new seat, a
    # bookmark gone or a change to any shown session or meeting gives a new ETag.
    version = digest(
        "personal",
        calendar.pk,
        event_rows,
        session_rows,
        [(m.source_uuid, m.sequence, m.status, m.updated_at) for m in meetings],
    )
    mark_fetched(calendar=calendar, now=now)
    return respond(
        request,
        version=version,
        # Something can leave the feed without a row to date it: use when this
        # version was first served.
        last_modified=first_seen(version),
        body=lambda: personal_bytes(event_rows, session_rows, meetings),
        filename="calendar.ics",
        private=True,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@cache_control(private=True, no_store=True)  # it shows the secret feed link
def personal_calendar_page(request):
    if request.method == "POST":
        regenerate_calendar_token(user=request.user)
        messages.success(
            request,
            _("Your calendar has a new address. The old one no longer works."),
        )
        return redirect("registrations:personal_calendar")
    calendar = get_personal_calendar(user=request.user)
    url = ical.absolute_url(calendar.feed_path())
    return render(
        request,
        "registrations/personal_calendar.html",
        {"calendar": calendar, "links": subscribe_links(url, feed_name())},
    )
