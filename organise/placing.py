"""Placing a session from the timetable editor: the checks, then the service.

One path for the editor's script and for the plain form a block opens: hard
rules refuse (422), warnings need a reason (422 until one is given), a change
that started from an older edit count is refused (409, nothing written), and
while a draft is open the move goes into the draft instead of the schedule.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from events import services as schedule
from events.models import Room, ScheduleDraft, Session
from events.services.drafts import draft_conflicts

from .schedule_checks import MoveCheck, check_move


@dataclass
class Placed:
    status: int  # 200, 409 or 422
    message: str = ""
    check: MoveCheck = field(default_factory=MoveCheck)

    def as_json(self) -> dict:
        return {
            "ok": self.status == 200,
            "message": self.message,
            **self.check.as_json(),
        }


def checked(
    session: Session, starts_at, ends_at, room: Room | None, draft: ScheduleDraft | None
) -> MoveCheck:
    result = check_move(session, starts_at, ends_at, room)
    if draft is not None:
        # the draft's own state decides the room: drop the published clashes
        result.hard = [
            c.message for c in draft_conflicts(draft, session, starts_at, ends_at, room)
        ]
    return result


def place(
    *, session: Session, data: dict, draft: ScheduleDraft | None, actor=None
) -> Placed:
    starts_at, ends_at, room = data["starts_at"], data["ends_at"], data["room"]
    result = checked(session, starts_at, ends_at, room, draft)
    if result.hard:
        return Placed(422, " ".join(result.hard), result)
    reason = data.get("reason", "").strip()
    if result.soft and not reason:
        return Placed(422, _("Give a reason to move it despite the warnings."), result)
    try:
        if session.in_tray:
            if draft is not None:
                raise schedule.ScheduleError(
                    _("Place sessions from the tray outside a draft.")
                )
            schedule.place_from_tray(
                session=session, starts_at=starts_at, ends_at=ends_at, room=room,
                edit_count=data["edit_count"], actor=actor,
                reason=reason if result.soft else "",
            )  # fmt: skip
        elif draft is not None:
            schedule.move_in_draft(
                draft=draft, session=session, starts_at=starts_at, ends_at=ends_at,
                room=room, edit_count=data["edit_count"], actor=actor,
            )  # fmt: skip
        else:
            schedule.move_sessions(
                moves=[(session, {"starts_at": starts_at, "ends_at": ends_at,
                                  "room": room}, None)],
                actor=actor,
                expected={session.pk: data["edit_count"]},
                allow=frozenset({"speaker"}),
                reason=reason if result.soft else "",
            )  # fmt: skip
    except schedule.StaleEdit as error:
        return Placed(409, str(error), result)
    except (schedule.ScheduleError, ValidationError) as error:
        text = (
            " ".join(error.messages)
            if isinstance(error, ValidationError)
            else str(error)
        )
        result.hard.append(text)
        return Placed(422, text, result)
    return Placed(200, "", result)
