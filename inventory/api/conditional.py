"""Conditional GET for API reads: a strong ETag from the rendered body, a Last-Modified from the
data shown, and 304 Not Modified when the client's copy is current."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.utils.cache import get_conditional_response
from django.utils.http import http_date


class ConditionalGetMixin:
    """For GET/HEAD 200 answers: ETag = hash of the body, Last-Modified = newest item shown.

    Hashing the body costs less than a second query on the filtered list, and it is exact:
    any change in what the client would receive changes the ETag. Views report the items'
    modification times through ``note_modified``.
    """

    def initial(self, request, *args, **kwargs):
        self._last_modified: datetime | None = None
        super().initial(request, *args, **kwargs)

    def note_modified(self, *moments: datetime | None) -> None:
        for moment in moments:
            if moment is not None and (self._last_modified is None or moment > self._last_modified):
                self._last_modified = moment

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:40] + '"'
        response["ETag"] = etag
        last_modified = getattr(self, "_last_modified", None)
        timestamp = int(last_modified.timestamp()) if last_modified else None
        if timestamp is not None:
            response["Last-Modified"] = http_date(timestamp)
        # Shared caches may keep public reads; an agent's own data stays in their browser.
        visibility = "private" if request.user and request.user.is_authenticated else "public"
        response["Cache-Control"] = f"{visibility}, max-age=0, must-revalidate"
        return get_conditional_response(
            request, etag=etag, last_modified=timestamp, response=response
        )
