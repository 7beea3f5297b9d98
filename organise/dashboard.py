"""The event home's figures, put together from the selectors of the apps that own
them, and drawn as charts.

Nothing is counted here: registrations' reports count registrations, invitations
and check-ins, notifications its outbox and untold changes, events what is on
now. Each is a fixed number of queries, so the home costs the same whatever the
number of registrations. Times stay datetimes: the template shows them in the
event's time zone.
"""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from events import selectors as event_selectors
from events.models import Event, Session
from events.times import day_month
from notifications import selectors as message_selectors
from notifications.models import Message
from registrations.models import Invitation, Registration
from registrations.selectors import reports
from registrations.services.questions import COUNTRY, ORGANISATION

from . import charts

Status = Registration.Status
# Countries and organisations beyond these are summed in one "other" row.
TOP = 10
HALF_WIDTH = 420  # the canvas of a chart in a half-width panel


@dataclass(frozen=True)
class Tally:
    """Live registrations per answer to one built-in question."""

    rows: list[tuple[str, int]]  # the most given answers, most first
    others: int  # registrations that gave one of the other answers
    other_answers: int  # how many other answers there are
    unanswered: int
    chart: str


@dataclass(frozen=True)
class SessionFill:
    session: Session
    taken: int  # seats held
    waiting: int  # the session's waitlist

    @property
    def is_full(self) -> bool:
        return self.session.capacity is not None and self.taken >= self.session.capacity


@dataclass(frozen=True)
class DeadlineRow:
    at: datetime
    label: str


def home_figures(
    event: Event, *, now: datetime, registrations: bool, messages: bool
) -> dict:
    """Everything the home shows; `registrations` and `messages` say whether the
    person may see those figures (events.access decides)."""
    figures: dict = {
        "now": now,
        "untold": message_selectors.untold_schedule_changes(event),
    }
    if event.starts_at <= now < event.ends_at and not event.is_cancelled:
        figures["now_next"] = event_selectors.now_and_next(event, now=now)
    if registrations:
        figures.update(_registration_figures(event, now=now))
    if messages:
        figures["messages"] = _message_figures(event)
    return figures


def _registration_figures(event: Event, *, now: datetime) -> dict:
    counts = reports.registration_counts(event)
    by_status, live = counts.by_status, counts.live
    invitations = reports.invitation_counts(event, now=now)
    # places.places_taken's rule, from the counts just read (one query fewer).
    taken = (
        sum(by_status[s] for s in Registration.PLACE_HOLDING_STATUSES)
        + invitations.reserving
    )
    sessions = [
        SessionFill(s, s.taken, s.waiting) for s in reports.session_counts(event)
    ]
    answers = reports.answer_tallies(event, keys=[COUNTRY, ORGANISATION])
    return {
        "statuses": [(s.value, s.label, by_status[s]) for s in Status],
        "live": live,
        "places_taken": taken,
        "places_left": None
        if event.capacity is None
        else max(event.capacity - taken, 0),
        "reserved": invitations.reserving,
        "approvals_pending": by_status[Status.AWAITING_APPROVAL]
        + invitations.by_status[Invitation.Status.AWAITING_APPROVAL],
        "types": counts.types,
        "timeline": _timeline(event, now=now),
        "sessions": sessions,
        "session_waiting": sum(row.waiting for row in sessions),
        "fill_chart": _fill_chart(sessions),
        "invitations": invitations,
        "checked_in": counts.checked_in,
        "expected": by_status[Status.CONFIRMED],
        "deadlines": _deadlines(event, now=now),
        "countries": _tally(
            COUNTRY,
            answers[COUNTRY],
            live,
            name=_country_name,
            title=_("Registrations by country"),
        ),
        "organisations": _tally(
            ORGANISATION,
            answers[ORGANISATION],
            live,
            name=str,
            title=_("Registrations by organisation"),
        ),
    }


def _timeline(event: Event, *, now: datetime) -> dict:
    today = now.astimezone(event.tzinfo).date()
    last_day = event.ends_at.astimezone(event.tzinfo).date()
    days = reports.registrations_by_day(event, until=min(today, last_day))
    if not days:
        return {"days": [], "chart": ""}
    capacity_label = (
        _("Capacity %(capacity)s") % {"capacity": event.capacity}
        if event.capacity
        else ""
    )
    description = _(
        "From %(first)s to %(last)s: %(total)s registrations not cancelled or "
        "declined, at most %(most)s on one day."
    ) % {
        "first": day_month(days[0].day),
        "last": day_month(days[-1].day),
        "total": days[-1].total,
        "most": max(d.new for d in days),
    }
    if event.capacity:
        description += " " + capacity_label + "."
    chart = charts.timeline(
        points=[charts.Point(day_month(d.day), d.new, d.total) for d in days],
        capacity=event.capacity,
        title=_("Registrations over time: the running total and each day's new ones"),
        description=description,
        chart_id="chart-timeline",
        capacity_label=capacity_label,
    )
    return {"days": days, "chart": chart}


def _fill_chart(sessions: list[SessionFill]) -> str:
    if not sessions:
        return ""
    rows = []
    for row in sessions:
        capacity = row.session.capacity
        note = f"{row.taken}/{capacity}" if capacity else str(row.taken)
        if row.waiting:
            note += " " + _("+%(count)s waiting") % {"count": row.waiting}
        rows.append(
            charts.Bar(row.session.title, row.taken, capacity, row.waiting, note)
        )
    full = sum(1 for row in sessions if row.is_full)
    description = (
        ngettext(
            "%(count)s session with sign-up",
            "%(count)s sessions with sign-up",
            len(sessions),
        )
        % {"count": len(sessions)}
        + "; "
        + _("%(full)s full, %(waiting)s people waiting for a seat.")
        % {"full": full, "waiting": sum(row.waiting for row in sessions)}
    )
    return charts.bars(
        rows=rows,
        title=_("Seats taken out of each session's seats, and its waitlist"),
        description=description,
        chart_id="chart-fill",
    )


def _country_name(code: str) -> str:
    return countries.name(code) or code


def _tally(
    key: str, given: list[tuple[str, int]], live: int, *, name, title: str
) -> Tally:
    shown = [(name(answer), n) for answer, n in given[:TOP]]
    rest = given[TOP:]
    others = sum(n for _a, n in rest)
    unanswered = live - sum(n for _a, n in given)
    chart = ""
    if shown:
        bars = [charts.Bar(label, n) for label, n in shown]
        if others:
            bars.append(charts.Bar(_("Others"), others))
        description = _(
            "%(answers)s different answers from %(answered)s registrations; "
            "%(unanswered)s gave none."
        ) % {
            "answers": len(given),
            "answered": live - unanswered,
            "unanswered": unanswered,
        }
        chart = charts.bars(
            rows=bars,
            title=title,
            description=description,
            chart_id=f"chart-{key}",
            width=HALF_WIDTH,
            note_width=40,
        )
    return Tally(shown, others, len(rest), unanswered, chart)


def _deadlines(event: Event, *, now: datetime) -> list[DeadlineRow]:
    """The event's own dates still ahead, then invitations' and offers' ends."""
    rows = [
        DeadlineRow(at, label)
        for at, label in (
            (event.registration_opens_at, _("Registration opens")),
            (event.registration_closes_at, _("Registration closes")),
            (
                event.modification_deadline,
                _("Attendees may change their answers and cancel until"),
            ),
        )
        if at is not None and at > now
    ]
    labels = {
        reports.Deadline.Kind.ANSWER_BY: lambda n: ngettext(
            "Answer-by date of %(count)s invitation",
            "Answer-by date of %(count)s invitations",
            n,
        ),
        reports.Deadline.Kind.OFFER: lambda n: ngettext(
            "%(count)s offer of a place ends",
            "%(count)s offers of a place end",
            n,
        ),
        reports.Deadline.Kind.SEAT_OFFER: lambda n: ngettext(
            "%(count)s offer of a session seat ends",
            "%(count)s offers of a session seat end",
            n,
        ),
    }
    rows += [
        DeadlineRow(d.at, labels[d.kind](d.count) % {"count": d.count})
        for d in reports.upcoming_deadlines(event, now=now)
    ]
    return sorted(rows, key=lambda row: row.at)


def _message_figures(event: Event) -> dict:
    counts = message_selectors.message_counts(event)
    url = reverse("organise:messages", kwargs={"event": event.slug})
    return {
        "counts": counts,
        "queued_url": f"{url}?{urlencode({'status': Message.Status.QUEUED})}",
        "failed_url": f"{url}?{urlencode({'status': Message.Status.FAILED})}",
        "all_url": url,
    }
