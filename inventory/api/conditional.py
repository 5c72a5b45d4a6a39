"""Conditional GET for API reads: a strong ETag from the rendered body, a Last-Modified from the
data shown, 304 Not Modified when the client's copy is current, and a short-lived cache of
anonymous answers."""

from __future__ import annotations

import functools
import hashlib
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language


# Anonymous reads are the same for everyone and the data changes once a day (crawls) or on a
# few catalog edits: answers are reused for this many seconds (settings.API_CACHE_SECONDS).
def cache_seconds() -> int:
    return settings.API_CACHE_SECONDS


def _cache_key(request) -> str | None:
    """Only anonymous GET/HEAD answers are shared; the key holds all that shapes the body."""
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return None
    if cache_seconds() <= 0:
        return None
    shape = "|".join(
        [request.get_full_path(), request.accepted_renderer.format, get_language() or ""]
    )
    return "api-response:" + hashlib.sha256(shape.encode()).hexdigest()


def cached_read(handler):
    """Serve an anonymous read from the cache when it is there (throttles were applied before)."""

    @functools.wraps(handler)
    def wrapper(self, request, *args, **kwargs):
        key = _cache_key(request)
        self._cache_key = key
        if key is not None:
            stored = cache.get(key)
            if stored is not None:
                content, content_type, etag, last_modified = stored
                response = HttpResponse(content, content_type=content_type)
                response.conditional = (etag, last_modified)
                return response
        return handler(self, request, *args, **kwargs)

    return wrapper


class ConditionalGetMixin:
    """For GET/HEAD 200 answers: ETag = hash of the body, Last-Modified = newest item shown.

    Hashing the body costs less than a second query on the filtered list, and it is exact:
    any change in what the client would receive changes the ETag. Views report the items'
    modification times through ``note_modified``.
    """

    def initial(self, request, *args, **kwargs):
        self._last_modified: datetime | None = None
        self._cache_key: str | None = None
        super().initial(request, *args, **kwargs)

    def note_modified(self, *moments: datetime | None) -> None:
        for moment in moments:
            if moment is not None and (self._last_modified is None or moment > self._last_modified):
                self._last_modified = moment

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        validators = getattr(response, "conditional", None)
        if validators is None:
            response.render()
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:40] + '"'
            last_modified = getattr(self, "_last_modified", None)
            timestamp = int(last_modified.timestamp()) if last_modified else None
            key = getattr(self, "_cache_key", None)
            if key is not None:
                stored = (response.content, response["Content-Type"], etag, timestamp)
                cache.set(key, stored, cache_seconds())
        else:
            etag, timestamp = validators
        response["ETag"] = etag
        if timestamp is not None:
            response["Last-Modified"] = http_date(timestamp)
        # Shared caches may keep public reads; an agent's own data stays in their browser.
        visibility = "private" if request.user and request.user.is_authenticated else "public"
        response["Cache-Control"] = f"{visibility}, max-age=0, must-revalidate"
        return get_conditional_response(
            request, etag=etag, last_modified=timestamp, response=response
        )
