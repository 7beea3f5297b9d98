"""A registration's history as organisers read it: its facts and those of the
invitation it came from, oldest first, each with a one-line summary."""

from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import Activity

# Details that only machines read (snapshots for messages, flags).
HIDDEN_DETAILS = {"sessions", "session_uuid", "silent", "message", "language"}


def history(registration) -> list[Activity]:
    """Its activities and its invitation's, with their actors; one query."""
    return list(
        Activity.objects.filter(
            Q(registration=registration) | Q(invitation__registration=registration)
        )
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def summary(activity: Activity) -> str:
    """The fact's details in a line: "reason: …; sessions: A, B"."""
    details = activity.details or {}
    parts = [
        f"{key}: {value}"
        for key, value in details.items()
        if key not in HIDDEN_DETAILS and value not in (None, "", [])
    ]
    titles = [s.get("session_title", "") for s in details.get("sessions") or []]
    if titles:
        parts.append(_("sessions: %(titles)s") % {"titles": ", ".join(titles)})
    if details.get("silent"):
        parts.append(_("not emailed"))
    return "; ".join(parts) or "–"
