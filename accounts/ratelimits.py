"""Counting guesses per account and per client address, in the cache.

For inputs short enough to be guessed (check-in codes): a fixed window of one
minute, counted for the signed-in account and for the address the request came
from (allauth's reading of it, which honours TRUSTED_PROXY_COUNT), so that neither
several accounts on one network nor one account on several networks guess faster.
If the cache fails, the limit fails open with a logged warning: the door must keep
working.
"""

import logging
import time

from allauth.account.adapter import get_adapter
from django.core.cache import cache

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60


def _window() -> int:
    return int(time.time() // WINDOW_SECONDS)


def _keys(request, scope: str) -> list[str]:
    window = _window()
    address = get_adapter(request).get_client_ip(request)
    return [
        f"ratelimit:{scope}:user:{request.user.pk}:{window}",
        f"ratelimit:{scope}:address:{address}:{window}",
    ]


def seconds_until_reset() -> int:
    """For Retry-After: when the current window ends."""
    return (_window() + 1) * WINDOW_SECONDS - int(time.time())


def is_limited(request, *, scope: str, limit: int) -> bool:
    """True when the account or the address has used up `limit` in this window."""
    try:
        counts = cache.get_many(_keys(request, scope))
    except Exception:
        logger.warning("Rate limit %s not checked: the cache failed.", scope)
        return False
    return any(count >= limit for count in counts.values())


def count_attempt(request, *, scope: str) -> None:
    """Count one attempt for the account and for the address."""
    for key in _keys(request, scope):
        try:
            # add() starts the count atomically; incr() is atomic in Redis.
            if not cache.add(key, 1, timeout=2 * WINDOW_SECONDS):
                cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=2 * WINDOW_SECONDS)
        except Exception:
            logger.warning("Rate limit %s not counted: the cache failed.", scope)
            return
