"""Organiser-side writes to events and their schedules.

Every function owns its transaction, refuses conflicts with a ScheduleError whose
message is safe to show, raises `sequence` on every change of time, place or
status, writes a ScheduleChange in the same transaction, bumps the event's
schedule version (the feeds' ETag) and then sends `schedule_changed` explicitly.
"""

from .common import (
    CHECKED_FIELDS,
    EVENT_SEQUENCED_FIELDS,
    EVENT_SHOWN_FIELDS,
    SEQUENCED_FIELDS,
    SESSION_FIELDS,
    ScheduleError,
    StaleEdit,
    bump_schedule_version,
    session_snapshot,
)
from .copying import copy_event, moved
from .drafts import (
    DraftStale,
    discard_draft,
    draft_rows,
    forget_move,
    move_in_draft,
    open_draft,
    publish_draft,
    start_draft,
)
from .event import (
    EVENT_FIELDS,
    cancel_event,
    create_event,
    publish_event,
    update_event,
)
from .roles import RoleError, add_organiser, change_role, remove_organiser
from .sessions import (
    cancel_session,
    create_session,
    move_session,
    move_sessions,
    restore_session,
    update_session,
)
from .shown import (
    delete_speaker,
    delete_track,
    save_room,
    save_speaker,
    save_track,
    save_venue,
)
from .tray import create_unplaced_session, place_from_tray, take_to_tray
from .undo import last_undoable, undo_last

__all__ = [
    "DraftStale",
    "StaleEdit",
    "discard_draft",
    "draft_rows",
    "forget_move",
    "last_undoable",
    "move_in_draft",
    "open_draft",
    "publish_draft",
    "start_draft",
    "undo_last",
    "create_unplaced_session",
    "place_from_tray",
    "take_to_tray",
    "CHECKED_FIELDS",
    "EVENT_FIELDS",
    "EVENT_SEQUENCED_FIELDS",
    "EVENT_SHOWN_FIELDS",
    "SEQUENCED_FIELDS",
    "SESSION_FIELDS",
    "RoleError",
    "ScheduleError",
    "add_organiser",
    "bump_schedule_version",
    "cancel_event",
    "cancel_session",
    "change_role",
    "copy_event",
    "create_event",
    "create_session",
    "delete_speaker",
    "delete_track",
    "move_session",
    "move_sessions",
    "moved",
    "publish_event",
    "remove_organiser",
    "restore_session",
    "save_room",
    "save_speaker",
    "save_track",
    "save_venue",
    "session_snapshot",
    "update_event",
    "update_session",
]
