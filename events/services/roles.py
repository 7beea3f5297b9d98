"""Who organises an event: naming organisers, changing their roles, removing them.

An event always keeps an owner: a change or removal that would leave it with none
is refused. Changes to one event's team queue on the event's row, so two owners
demoting each other at once cannot both succeed.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from ..locks import lock_event
from ..models import Event, EventOrganiser

Role = EventOrganiser.Role


class RoleError(Exception):
    """A change to an event's team was refused; the message is safe to show."""


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise RoleError(_("Choose one of the roles."))


def add_organiser(
    *, event: Event, user, role: str, actor: User | None = None
) -> EventOrganiser:
    """Give `user` `role` in `event`; refused if they already have a role there."""
    _check_role(role)
    with transaction.atomic():
        event = lock_event(event.pk)  # team changes of an event queue on its row
        if EventOrganiser.objects.filter(event=event, user=user).exists():
            raise RoleError(
                _("%(person)s is already in this event's team.")
                % {"person": user.email}
            )
        return EventOrganiser.objects.create(event=event, user=user, role=role)


def _refuse_losing_the_last_owner(organiser: EventOrganiser) -> None:
    if organiser.role != Role.OWNER:
        return
    others = (
        EventOrganiser.objects.filter(event_id=organiser.event_id, role=Role.OWNER)
        .exclude(pk=organiser.pk)
        .exists()
    )
    if not others:
        raise RoleError(
            _("An event needs at least one owner: make someone else an owner first.")
        )


def _locked(organiser: EventOrganiser) -> EventOrganiser:
    lock_event(organiser.event_id)
    current = EventOrganiser.objects.filter(pk=organiser.pk).first()
    if current is None:
        raise RoleError(_("This person is no longer in the event's team."))
    return current


def change_role(
    *, organiser: EventOrganiser, role: str, actor: User | None = None
) -> EventOrganiser:
    """Change an organiser's role; the last owner stays an owner."""
    _check_role(role)
    with transaction.atomic():
        current = _locked(organiser)
        if current.role != role:
            _refuse_losing_the_last_owner(current)
            current.role = role
            current.save(update_fields=["role"])
    organiser.role = current.role
    return current


def remove_organiser(*, organiser: EventOrganiser, actor: User | None = None) -> None:
    """Take an organiser off the event's team; the last owner cannot be removed."""
    with transaction.atomic():
        current = _locked(organiser)
        _refuse_losing_the_last_owner(current)
        current.delete()
