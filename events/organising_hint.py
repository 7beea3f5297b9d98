"""Whether a person organises any event: the site header's "Organise" link only.

Every signed-in page shows the header, and this is its one query; the answer
changes only when the person is named to or removed from an event's team, so it
is kept in the cache per person and dropped when their `EventOrganiser` rows
change. It only
chooses whether a link is shown: the organiser pages decide access themselves
(`events.access.roles`), from the database, on every request.
"""

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest

from .models import EventOrganiser

HINT_TIMEOUT = 3600


def _key(user_id: int) -> str:
    return f"organises:{user_id}"


def organises_anything(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_active:  # anonymous, or switched off
        return False
    if user.is_superuser:
        return True
    roles = getattr(request, "_kokous_event_roles", None)  # read for this page
    if roles is not None:
        return bool(roles)
    hint = cache.get(_key(user.pk))
    if hint is None:
        hint = EventOrganiser.objects.filter(user=user).exists()
        cache.set(_key(user.pk), hint, HINT_TIMEOUT)
    return hint


def forget(sender, instance: EventOrganiser, **kwargs) -> None:
    """post_save and post_delete of an EventOrganiser (deleting an event or a
    user cascades through these signals too). Dropped now, and again after the
    commit: a page shown meanwhile may have stored the answer from before it."""
    key = _key(instance.user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
