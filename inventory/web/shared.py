"""Parts of pages every visitor sees alike (filter menus, statistics, counts): computed once per
content change and kept in the cache, so a page's own work is only what its visitor asked for.

Keyed by the moment the content last changed (``inventory.core.content``, which the crawl and
catalog services move forward), so a crawl or a catalog write is seen at once; edits that do
not record a change (the Django admin) are seen within ``SHARED_CACHE_SECONDS``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import get_language

from inventory.core.content import content_changed_at

T = TypeVar("T")
_ATTRIBUTE = "_content_version"


def content_version(request: HttpRequest) -> str:
    """The content's last change as text, read once per request (the anonymous page cache
    middleware has usually read it already)."""
    if not hasattr(request, _ATTRIBUTE):
        changed_at = content_changed_at()
        setattr(request, _ATTRIBUTE, changed_at.isoformat() if changed_at else "")
    return getattr(request, _ATTRIBUTE)


def content_version_set(request: HttpRequest, changed_at) -> None:
    """What the middleware read, for this request's shared parts."""
    setattr(request, _ATTRIBUTE, changed_at.isoformat() if changed_at else "")


def shared_value(request: HttpRequest, name: str, compute: Callable[[], T]) -> T:
    """``compute()``, or its value for the current content and language from the cache."""
    seconds = settings.SHARED_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    key = f"shared:{name}:{get_language() or ''}:{content_version(request)}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
