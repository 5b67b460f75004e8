"""Sign-in lockout against password guessing.

After ``LOGIN_FAILURE_LIMIT`` failed sign-ins for one username, or from one address, within
``LOGIN_LOCKOUT_SECONDS``, every further attempt for that username or from that address is
refused, right password or not, until the window has passed. Counting both keeps one address
from trying many usernames and many addresses from trying one. The counters live in the default
cache, which is shared by every worker when ``TRACKER_CACHE_URL`` names a Redis server.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

PREFIX = "login-failures"


def _keys(request: HttpRequest, username: str) -> list[str]:
    # Hashed, so that odd usernames make valid cache keys and no username sits in the cache.
    user = hashlib.sha256(username.strip().casefold().encode()).hexdigest()
    keys = [f"{PREFIX}:user:{user}"]
    address = request.META.get("REMOTE_ADDR")
    if address:
        keys.append(f"{PREFIX}:address:{address}")
    return keys


def seconds_locked(request: HttpRequest, username: str) -> int:
    """How long sign-ins for this username or from this address stay refused (0: not locked)."""
    keys = _keys(request, username)
    stored = cache.get_many(keys + [f"{key}:until" for key in keys])
    now = time.time()
    waits = [
        stored.get(f"{key}:until", now) - now
        for key in keys
        if stored.get(key, 0) >= settings.LOGIN_FAILURE_LIMIT
    ]
    return max(0, math.ceil(max(waits, default=0)))


def record_failure(request: HttpRequest, username: str) -> None:
    """Counts a failed sign-in; the window starts at the first failure of a series. The count
    is incremented atomically, so parallel guesses cannot slip under the limit."""
    window = settings.LOGIN_LOCKOUT_SECONDS
    until = time.time() + window
    for key in _keys(request, username):
        cache.add(f"{key}:until", until, timeout=window)
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr: a new window starts
            cache.add(key, 1, timeout=window)


def record_success(request: HttpRequest, username: str) -> None:
    """A successful sign-in forgets the username's failures (not the address's)."""
    key = _keys(request, username)[0]
    cache.delete_many([key, f"{key}:until"])
