"""Conditional requests and a short cache for anonymous HTML pages, as the API has.

An anonymous page is the same for every anonymous visitor but for the CSRF token of its forms
(the language switch): it is stored with a marker instead, and each visitor gets their own
token put back. Signed-in agents' pages, and pages carrying anything personal (messages, a
session being written, a cookie being set by the view), are neither stored nor validated.

Validators: a weak ETag (the stored body's hash: the token differs per visitor) and a
Last-Modified, the last change of the content recorded by the crawl and catalog services
(``inventory.core.content``). Stored bodies are keyed by that moment too, so a change is seen
at once; other edits (the Django admin) within ``PAGE_CACHE_SECONDS``.
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language

from inventory.core.content import content_changed_at
from inventory.web.shared import content_version_set

# Never stored: the API has its own cache, and these pages are forms, files or the admin.
SKIPPED_PREFIXES = ("/admin/", "/agents/", "/api/", "/data/", "/i18n/", "/static/")
TOKEN_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')
TOKEN_MARKER = b"\x00csrf-token\x00"
ANY_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def _anonymous_read(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not request.path.startswith(SKIPPED_PREFIXES)
    )


def _key(request: HttpRequest, changed_at) -> str:
    shape = "|".join(
        [request.get_full_path(), get_language() or "", changed_at.isoformat() if changed_at else ""]
    )
    return "page:" + hashlib.sha256(shape.encode()).hexdigest()


def _personal(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the page holds anything of this visitor's but the CSRF token."""
    messages = getattr(request, "_messages", None)
    session = getattr(request, "session", None)
    return bool(
        response.cookies
        or (messages is not None and (messages.used or len(messages)))
        or (session is not None and session.modified)
    )


def _shared_body(request: HttpRequest, content: bytes) -> bytes | None:
    """The body with every CSRF token replaced by the marker; None when some token of this
    visitor's would be left in it (outside a form's hidden input)."""
    shared = TOKEN_INPUT.sub(rb"\1" + TOKEN_MARKER + rb"\2", content)
    secret = request.META.get("CSRF_COOKIE")
    if secret:
        for candidate in ANY_TOKEN.findall(shared):
            if _unmask_cipher_token(candidate.decode()) == secret:
                return None
    return shared


def _served(request: HttpRequest, shared: bytes, content_type: str) -> HttpResponse:
    """The stored body with this visitor's own CSRF token."""
    if TOKEN_MARKER in shared:
        shared = shared.replace(TOKEN_MARKER, get_token(request).encode())
    return HttpResponse(shared, content_type=content_type)


class AnonymousPageCacheMiddleware:
    """Put it last in MIDDLEWARE: the others (security headers, CSRF cookie, language) then
    apply to stored pages as to rendered ones."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _anonymous_read(request):
            return self.get_response(request)
        changed_at = content_changed_at()
        content_version_set(request, changed_at)
        key = _key(request, changed_at)
        seconds = settings.PAGE_CACHE_SECONDS
        stored = cache.get(key) if seconds > 0 else None
        if stored is not None:
            shared, content_type, etag = stored
            response = _served(request, shared, content_type)
        else:
            response = self.get_response(request)
            if (
                response.status_code != 200
                or response.streaming
                or not response.get("Content-Type", "").startswith("text/html")
                or _personal(request, response)
            ):
                return response
            shared = _shared_body(request, response.content)
            if shared is None:
                return response
            etag = 'W/"' + hashlib.sha256(shared).hexdigest()[:40] + '"'
            if seconds > 0:
                cache.set(key, (shared, response["Content-Type"], etag), seconds)
        timestamp = int(changed_at.timestamp()) if changed_at else None
        response["ETag"] = etag
        if timestamp is not None:
            response["Last-Modified"] = http_date(timestamp)
        # The browser may keep it, asking again each time; no shared cache may (the token).
        response["Cache-Control"] = "private, no-cache"
        return get_conditional_response(
            request, etag=etag, last_modified=timestamp, response=response
        )
