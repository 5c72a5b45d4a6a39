"""Throttling of anonymous API clients, read from settings at each request.

``API_ANON_RATE`` (settings.REST_FRAMEWORK's "anon" rate) takes DRF's form ("120/minute");
"off" or "none" switches throttling off (load benchmarks). A throttled client gets a 429 with a
Retry-After header and a JSON ``detail`` saying when to come back.
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

DISABLED = {"", "off", "none", "0"}


class AnonymousRateThrottle(AnonRateThrottle):
    def get_rate(self) -> str | None:
        # Read at each request (not at import) so a settings change takes effect.
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if rate is None or str(rate).strip().lower() in DISABLED:
            return None
        return rate
