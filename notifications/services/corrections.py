"""A schedule change the organiser calls a correction: nobody is told of it.

The feeds show the change anyway (they read the sessions); only the digest
leaves it out, because it is marked composed with the reason in the log.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from events.models import ScheduleChange


def mark_correction(*, change: ScheduleChange, actor: User | None = None) -> bool:
    """Tell nobody about `change`; False when it has been told already."""
    with transaction.atomic():
        updated = ScheduleChange.objects.filter(
            pk=change.pk, composed_at__isnull=True
        ).update(
            composed_at=timezone.now(),
            reason=_("Correction: nobody told"),
        )
    return bool(updated)
