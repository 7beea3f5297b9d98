"""Schedule drafts: many moves prepared out of sight, then published as one change.

While a draft is open the sessions themselves stay as published: public pages,
feeds and messages know nothing of it. Publishing applies every move through
`move_sessions` at once (one sequence bump per session, one schedule version
bump, one batch for the digest), refused while a session has been changed
outside the draft since the draft first moved it.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..conflicts import Conflict, check_session
from ..locks import lock_event
from ..models import DraftMove, Event, Room, ScheduleDraft, Session
from .common import ScheduleError, StaleEdit, raise_on_conflicts
from .sessions import move_sessions

HARD = frozenset({"room", "outside_event"})


class DraftStale(ScheduleError):
    """Sessions changed outside the draft since it moved them."""

    def __init__(self, stale: list[DraftMove]):
        self.stale = stale
        super().__init__(
            _("Changed outside the draft since: %(titles)s. Resolve them first.")
            % {"titles": ", ".join(m.session.title for m in stale)}
        )


@dataclass(frozen=True)
class DraftRow:
    move: DraftMove
    session: Session
    stale: bool


def open_draft(event: Event) -> ScheduleDraft | None:
    return ScheduleDraft.objects.filter(
        event=event, outcome=ScheduleDraft.Outcome.OPEN
    ).first()


def start_draft(*, event: Event, actor: User | None = None) -> ScheduleDraft:
    """Open the event's draft, or hand back the one already open."""
    with transaction.atomic():
        lock_event(event)
        draft = open_draft(event)
        if draft:
            return draft
        try:
            with transaction.atomic():
                return ScheduleDraft.objects.create(
                    event=event, opened_by=actor if getattr(actor, "pk", None) else None
                )
        except IntegrityError:
            # Another organiser opened it at the same moment: theirs is the one.
            draft = open_draft(event)
            if draft is None:
                raise
            return draft


def _pending(draft: ScheduleDraft, skip: int) -> list[Session]:
    pending = []
    for move in draft.moves.select_related("session").exclude(session_id=skip):
        session = move.session
        session.starts_at, session.ends_at = move.starts_at, move.ends_at
        session.room_id = move.room_id
        session._pending_speaker_ids = []  # type: ignore[attr-defined]  # read by conflicts
        pending.append(session)
    return pending


def draft_conflicts(
    draft: ScheduleDraft,
    session: Session,
    starts_at: datetime,
    ends_at: datetime,
    room: Room | None,
) -> list[Conflict]:
    """Hard conflicts of `session` at the new place, against the draft's state."""
    pending = _pending(draft, session.pk)
    moved = Session(
        pk=session.pk,
        event=session.event,
        title=session.title,
        status=session.status,
        starts_at=starts_at,
        ends_at=ends_at,
        room=room,
    )
    found = check_session(
        moved, speaker_ids=[], exclude_ids={s.pk for s in pending}, pending=pending
    )
    return [c for c in found if c.kind in HARD]


def move_in_draft(
    *,
    draft: ScheduleDraft,
    session: Session,
    starts_at: datetime,
    ends_at: datetime,
    room: Room | None,
    edit_count: int,
    actor: User | None = None,
) -> DraftMove:
    """Move a session within the draft; the published session is untouched."""
    with transaction.atomic():
        lock_event(draft.event_id)
        current = Session.objects.select_related("event").get(pk=session.pk)
        existing = draft.moves.filter(session=current).first()
        if existing is None and current.edit_count != edit_count:
            raise StaleEdit(current, current.changes.order_by("-pk").first())
        raise_on_conflicts(draft_conflicts(draft, current, starts_at, ends_at, room))
        if existing is None:
            existing = DraftMove(draft=draft, session=current)
            existing.base_edit_count = current.edit_count
        existing.starts_at, existing.ends_at, existing.room = starts_at, ends_at, room
        existing.save()
        return existing


def draft_rows(draft: ScheduleDraft) -> list[DraftRow]:
    moves = draft.moves.select_related("session__room", "room").order_by(
        "starts_at", "pk"
    )
    return [
        DraftRow(m, m.session, m.session.edit_count != m.base_edit_count) for m in moves
    ]


def forget_move(
    *, draft: ScheduleDraft, session_id: int, actor: User | None = None
) -> None:
    """Take a session out of the draft (e.g. to resolve an outside change)."""
    with transaction.atomic():
        draft.moves.filter(session_id=session_id).delete()


def publish_draft(
    *, draft: ScheduleDraft, actor: User | None = None, reason: str = ""
) -> int:
    """Apply the draft as one change; returns how many sessions moved."""
    with transaction.atomic():
        lock_event(draft.event_id)
        draft = ScheduleDraft.objects.select_for_update().get(pk=draft.pk)
        if draft.outcome != ScheduleDraft.Outcome.OPEN:
            raise ScheduleError(_("This draft is closed already."))
        rows = draft_rows(draft)
        stale = [r.move for r in rows if r.stale]
        if stale:
            raise DraftStale(stale)
        moves = [
            (r.session, {"starts_at": r.move.starts_at, "ends_at": r.move.ends_at,
                         "room": r.move.room}, None)
            for r in rows
        ]  # fmt: skip
        move_sessions(
            moves=moves,
            actor=actor,
            expected={r.session.pk: r.move.base_edit_count for r in rows},
            allow=frozenset({"speaker"}),
            reason=reason,
        )
        draft.outcome = ScheduleDraft.Outcome.PUBLISHED
        draft.closed_at = timezone.now()
        draft.save(update_fields=["outcome", "closed_at"])
        return len(rows)


def discard_draft(*, draft: ScheduleDraft, actor: User | None = None) -> None:
    with transaction.atomic():
        ScheduleDraft.objects.filter(
            pk=draft.pk, outcome=ScheduleDraft.Outcome.OPEN
        ).update(outcome=ScheduleDraft.Outcome.DISCARDED, closed_at=timezone.now())
