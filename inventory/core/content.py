"""The moment the public content last changed (a crawl, a catalog write): written by the
services that change what pages show, read by the pages' conditional requests and cache."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from inventory.core.models import ContentChange

ROW = 1


def content_changed() -> None:
    """Record that what pages show has changed now (call it in the writing transaction)."""
    now = timezone.now()
    # One UPDATE, but the very first time (get_or_create copes with two first times at once).
    if not ContentChange.objects.filter(pk=ROW).update(changed_at=now):
        ContentChange.objects.get_or_create(pk=ROW, defaults={"changed_at": now})


def content_changed_at() -> datetime | None:
    """When the content last changed (None before any recorded change)."""
    return ContentChange.objects.filter(pk=ROW).values_list("changed_at", flat=True).first()
