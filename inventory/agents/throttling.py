"""Fixed-window counters in Django's cache that limit sign-in link requests per address and per IP."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _hit(scope: str, identity: str, *, limit: int, window: int) -> bool:
    """Count one request; True while the count stays within ``limit`` for this window."""
    # Hashed so that addresses never sit in the cache in clear.
    key = f"signin-throttle:{scope}:{hashlib.sha256(identity.encode()).hexdigest()}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:
        # The entry expired between add() and incr(): this request opens a new window.
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def signin_request_allowed(*, email: str, ip: str) -> bool:
    """Count a link request against its IP and its address; False once either is over its limit."""
    window = settings.SIGNIN_THROTTLE_WINDOW
    ip_ok = _hit("ip", ip or "unknown", limit=settings.SIGNIN_THROTTLE_PER_IP, window=window)
    address_ok = _hit("address", email, limit=settings.SIGNIN_THROTTLE_PER_ADDRESS, window=window)
    return ip_ok and address_ok
