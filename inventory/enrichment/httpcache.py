"""A source's conditional-request cache (the get/set interface of crawlers.http.MemoryHttpCache)
kept in the database, like inventory/forges/httpcache.py does for forge accounts."""

from __future__ import annotations

import zlib

from django.db import transaction

from inventory.enrichment.models import SourceHttpCacheEntry

SAVE_BATCH_SIZE = 500
URL_MAX_LENGTH = SourceHttpCacheEntry._meta.get_field("url").max_length
ETAG_MAX_LENGTH = SourceHttpCacheEntry._meta.get_field("etag").max_length


class SourceHttpCache:
    """Loads a source's validators in one query, serves them from memory, saves them in bulk."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._entries: dict[str, tuple[str, bytes]] = {
            url: (etag, bytes(body))
            for url, etag, body in SourceHttpCacheEntry.objects.filter(source=source).values_list(
                "url", "etag", "body"
            )
        }
        self._changed: dict[str, tuple[str, bytes]] = {}

    def get(self, url: str) -> tuple[str, bytes] | None:
        if url in self._changed:
            return self._changed[url]
        entry = self._entries.get(url)
        if entry is None:
            return None
        etag, compressed = entry
        return etag, zlib.decompress(compressed)

    def set(self, url: str, etag: str, body: bytes) -> None:
        # A validator we could not store whole would never match again: keep none instead.
        if not etag or len(url) > URL_MAX_LENGTH or len(etag) > ETAG_MAX_LENGTH:
            return
        self._changed[url] = (etag, body)

    def __len__(self) -> int:
        return len(self._entries.keys() | self._changed.keys())

    def save(self) -> int:
        """Write the validators received since loading; returns how many were written."""
        if not self._changed:
            return 0
        rows = [
            SourceHttpCacheEntry(source=self.source, url=url, etag=etag, body=zlib.compress(body))
            for url, (etag, body) in self._changed.items()
        ]
        with transaction.atomic():
            SourceHttpCacheEntry.objects.bulk_create(
                rows,
                batch_size=SAVE_BATCH_SIZE,
                update_conflicts=True,
                unique_fields=["url"],
                update_fields=["source", "etag", "body", "updated_at"],
            )
        for row in rows:
            self._entries[row.url] = (row.etag, row.body)
        written = len(self._changed)
        self._changed.clear()
        return written
