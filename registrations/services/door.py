"""Scanning at the door: one scan, one verdict, recorded exactly once.

`scan` is the one way a check-in is recorded, online or from an offline queue.
It locks the person's registration row (alone: a check-in changes no place), so
two devices scanning the same person at the same moment queue there: the first
admits, the second sees the first's row and is told "already checked in". A scan
carries the identifier the scanning page gave it; a scan sent again (a retry, an
offline queue synced twice) finds its row and answers as it did the first time.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import Activity, CheckIn, CheckInDevice, CheckInList, Registration
from .activity import announce, record_activity
from .locks import lock_registrations

GREEN, AMBER, RED = "green", "amber", "red"
# On an entry-and-exit list, a second scan this soon after an entry is a
# duplicate (two devices, one person), not the person leaving.
REPEAT_WINDOW = timedelta(seconds=30)

Outcome = CheckIn.Outcome


@dataclass
class Verdict:
    colour: str
    headline: str
    reason: str = ""
    registration: Registration | None = None
    checkin: CheckIn | None = None
    first: CheckIn | None = None  # amber: the scan that admitted the person
    notes: list[tuple[str, str]] = field(default_factory=list)
    unknown_code: bool = False

    def as_json(self) -> dict:
        person = self.registration.attendee if self.registration else None
        return {
            "colour": self.colour,
            "headline": self.headline,
            "reason": self.reason,
            "name": (person.name or person.email) if person else "",
            "first_at": self.first.scanned_at.isoformat() if self.first else None,
            "first_by": self.first.who() if self.first else "",
            "notes": [[label, text] for label, text in self.notes],
        }


def main_list(event) -> CheckInList:
    """The event's main entrance list, made the first time it is asked for."""
    found = CheckInList.objects.filter(event=event, is_main=True).first()
    if found is None:
        try:
            with transaction.atomic():
                found = CheckInList.objects.create(
                    event=event, name=_("Main entrance"), is_main=True
                )
        except IntegrityError:  # made a moment ago by another request
            found = CheckInList.objects.get(event=event, is_main=True)
    found.event = event
    return found


def normalise_code(code: str) -> str:
    """Letters and digits, upper case: codes are typed with spaces or dashes."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def find_code(checkin_list: CheckInList, code: str) -> Registration | None:
    return (
        Registration.objects.filter(
            event_id=checkin_list.event_id, checkin_code=normalise_code(code)
        )
        .only("pk")
        .first()
    )


def scan(
    *,
    checkin_list: CheckInList,
    code: str = "",
    registration: Registration | None = None,
    registration_id: int | None = None,
    scan_uuid: uuid.UUID | None = None,
    scanned_at: datetime | None = None,
    offline: bool = False,
    device: CheckInDevice | None = None,
    actor: User | None = None,
) -> Verdict:
    """Check the person of `code` (or `registration`, or the registration with
    `registration_id`: a name tapped on a device) in on the list."""
    scan_uuid = scan_uuid or uuid.uuid4()
    now = timezone.now()
    # A device's clock may run ahead; a scan is never recorded in the future.
    scanned_at = min(scanned_at or now, now)
    with transaction.atomic():
        registration = _locked(
            checkin_list, code, registration.pk if registration else registration_id
        )
        if registration is None:
            return Verdict(
                RED,
                _("Not registered"),
                _("No registration for this event has that code."),
                unknown_code=True,
            )
        earlier = _earlier(checkin_list, registration, scan_uuid)
        done = next((row for row in earlier if row.scan_uuid == scan_uuid), None)
        if done is not None:
            return _replayed(done, registration, checkin_list, earlier)
        refusal = refusal_reason(registration, checkin_list)
        if refusal:
            return _with_notes(
                Verdict(RED, _("Not admitted"), refusal, registration), checkin_list
            )
        row = CheckIn(
            checkin_list=checkin_list,
            registration=registration,
            scanned_at=scanned_at,
            offline=offline,
            scan_uuid=scan_uuid,
            device=device,
            by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        verdict = _decide(row, registration, checkin_list, earlier)
        row.save()
        verdict.checkin = row
        if row.outcome == Outcome.ADMITTED:
            _mark_attended(registration, checkin_list, row)
    return _with_notes(verdict, checkin_list)


def _locked(checkin_list, code: str, registration_id) -> Registration | None:
    """The registration's row, locked (check-in changes no place: it is taken
    alone), found by its code in the list's event when no row is given."""
    rows = Registration.objects.select_related("attendee", "registration_type").filter(
        event_id=checkin_list.event_id
    )
    if registration_id is not None:
        rows = rows.filter(pk=registration_id)
    else:
        rows = rows.filter(checkin_code=normalise_code(code))
    found = lock_registrations(rows.order_by()[:1])  # one row: no ORDER BY
    return found[0] if found else None


def _earlier(checkin_list, registration, scan_uuid) -> list[CheckIn]:
    """The person's scans on the list, and any scan with this identifier (who
    made the first is read only when an amber verdict names them)."""
    return list(
        CheckIn.objects.filter(
            Q(scan_uuid=scan_uuid)
            | Q(checkin_list=checkin_list, registration=registration)
        ).order_by()  # _decide orders them
    )


def refusal_reason(registration: Registration, checkin_list: CheckInList) -> str:
    """Why the person may not pass this door, or "" when they may."""
    status = registration.status
    if status == Registration.Status.CANCELLED:
        return _("The registration was cancelled.")
    if status == Registration.Status.WAITLISTED:
        return _("On the waitlist: no place yet.")
    if status != Registration.Status.CONFIRMED:
        return _("The registration is not confirmed (%(status)s).") % {
            "status": registration.get_status_display()
        }
    session_ids = checkin_list.session_ids()
    if (
        session_ids
        and not registration.seats.filter(
            session_id__in=session_ids, status="confirmed"
        ).exists()
    ):
        return _("No seat in the sessions of %(list)s.") % {"list": checkin_list.name}
    return ""


def _decide(row: CheckIn, registration, checkin_list, earlier) -> Verdict:
    """Admitted, leaving, or a duplicate, from the person's earlier scans here."""
    passes = sorted(
        (r for r in earlier if r.outcome in (Outcome.ADMITTED, Outcome.EXITED)),
        key=lambda r: (r.scanned_at, r.pk),
    )
    if checkin_list.is_single_entry:
        first_in = next((r for r in passes if r.outcome == Outcome.ADMITTED), None)
    else:
        last = passes[-1] if passes else None
        first_in = last if last and last.outcome == Outcome.ADMITTED else None
    repeat = first_in is not None and (
        checkin_list.is_single_entry
        or abs(row.scanned_at - first_in.scanned_at) < REPEAT_WINDOW
    )
    if repeat:
        row.outcome, row.first = Outcome.DUPLICATE, first_in
        return Verdict(AMBER, _("Already checked in"), "", registration, first=first_in)
    if first_in is not None:  # inside, scanned again a while later: leaving
        row.outcome, row.direction = Outcome.EXITED, CheckIn.Direction.OUT
        return Verdict(GREEN, _("Checked out"), "", registration)
    row.outcome = Outcome.ADMITTED
    return Verdict(GREEN, _("Checked in"), "", registration)


def _replayed(done: CheckIn, registration, checkin_list, earlier) -> Verdict:
    headline = {
        Outcome.ADMITTED: _("Checked in"),
        Outcome.EXITED: _("Checked out"),
        Outcome.DUPLICATE: _("Already checked in"),
    }[Outcome(done.outcome)]
    colour = AMBER if done.outcome == Outcome.DUPLICATE else GREEN
    first = next((r for r in earlier if r.pk == done.first_id), None)
    verdict = Verdict(colour, headline, "", registration, done, first)
    return _with_notes(verdict, checkin_list)


def _mark_attended(registration, checkin_list, row: CheckIn) -> None:
    if not checkin_list.is_main or registration.checked_in_at is not None:
        return
    registration.checked_in_at = row.scanned_at
    registration.checked_in_by = row.by
    registration.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
    details = {"method": "offline" if row.offline else "scan", "list": checkin_list.pk}
    if row.device:
        details["device"] = row.device.name
    announce(
        [
            record_activity(
                verb=Activity.Verb.CHECKED_IN,
                event_id=registration.event_id,  # its row is not read here
                registration=registration,
                actor=row.by,
                details=details,
            )
        ]
    )


def _with_notes(verdict: Verdict, checkin_list: CheckInList) -> Verdict:
    registration = verdict.registration
    if registration is None:
        return verdict
    if checkin_list.shows(CheckInList.Note.SENSITIVE_ANSWERS):
        for answer in registration.answers.filter(
            question__is_sensitive=True
        ).select_related("question"):
            if answer.value not in (None, "", [], False):
                verdict.notes.append((answer.question.label, _answer_text(answer)))
    if checkin_list.shows(CheckInList.Note.ORGANISER_NOTE) and (
        registration.organiser_note
    ):
        verdict.notes.append((_("Note"), registration.organiser_note))
    return verdict


def _answer_text(answer) -> str:
    value = answer.value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if value is True:
        return _("Yes")
    return str(value)
