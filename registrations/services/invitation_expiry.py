"""Unanswered invitations expire once their answer deadline has passed (the
periodic job), freeing the places they reserved."""

from django.db import transaction
from django.utils import timezone

from ..models import Activity, Invitation
from .activity import announce, record_activity
from .invitations import answer_details
from .locks import lock_event, lock_invitations
from .waitlists import fill_free_places


def expire_invitations(*, now=None) -> int:
    """Close open invitations whose answer deadline has passed; returns how many.

    Safe to run at any time and concurrently: each invitation is re-checked under
    its lock, so one closed by an answer meanwhile is left alone.
    """
    now = now or timezone.now()
    due = list(
        Invitation.objects.filter(
            status__in=Invitation.OPEN_STATUSES, rsvp_deadline__lte=now
        ).values_list("pk", "event_id")
    )
    expired = 0
    for event_id in sorted({eid for _pk, eid in due}):
        with transaction.atomic():
            event = lock_event(event_id)
            invitations = lock_invitations(
                Invitation.objects.filter(
                    pk__in=[pk for pk, eid in due if eid == event_id],
                    status__in=Invitation.OPEN_STATUSES,
                    rsvp_deadline__lte=now,
                )
            )
            activities = []
            for invitation in invitations:
                invitation.status = Invitation.Status.EXPIRED
                invitation.responded_at = now
                invitation.save(update_fields=["status", "responded_at"])
                activities.append(
                    record_activity(
                        verb=Activity.Verb.INVITATION_EXPIRED,
                        event=event,
                        invitation=invitation,
                        details=answer_details(invitation),
                    )
                )
            if any(i.reserves_seat for i in invitations):
                fill_free_places(event=event)
            announce(activities)
            expired += len(invitations)
    return expired
