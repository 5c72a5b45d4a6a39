"""A conditional-request cache (the get/set interface of crawlers.http.MemoryHttpCache) kept in
the database: the forges' per account, the enrichment sources' per source."""

from __future__ import annotations

import zlib
from typing import Any

from django.db import models, transaction

SAVE_BATCH_SIZE = 500


class StoredHttpCache:
    """Loads an owner's validators in one query, serves them from memory, saves changes in bulk.

    ``model`` has ``url`` (unique), ``etag``, ``body`` (zlib-compressed), ``updated_at`` and an
    ``owner_field`` naming whose entry it is. A URL last used by another owner is not loaded: its
    first request goes out without If-None-Match, and the entry then moves to this owner.
    """

    def __init__(self, *, model: type[models.Model], owner_field: str, owner: Any) -> None:
        self.model = model
        self.owner_field = owner_field
        self.owner = owner
        self._url_max = model._meta.get_field("url").max_length
        self._etag_max = model._meta.get_field("etag").max_length
        self._entries: dict[str, tuple[str, bytes]] = {
            url: (etag, bytes(body))
            for url, etag, body in model.objects.filter(**{owner_field: owner}).values_list(
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
        if not etag or len(url) > self._url_max or len(etag) > self._etag_max:
            return
        self._changed[url] = (etag, body)

    def __len__(self) -> int:
        return len(self._entries.keys() | self._changed.keys())

    def save(self) -> int:
        """Write the validators received since loading; returns how many were written."""
        if not self._changed:
            return 0
        rows = [
            self.model(
                **{self.owner_field: self.owner}, url=url, etag=etag, body=zlib.compress(body)
            )
            for url, (etag, body) in self._changed.items()
        ]
        with transaction.atomic():
            self.model.objects.bulk_create(
                rows,
                batch_size=SAVE_BATCH_SIZE,
                update_conflicts=True,
                unique_fields=["url"],
                update_fields=[self.owner_field, "etag", "body", "updated_at"],
            )
        for row in rows:
            self._entries[row.url] = (row.etag, row.body)
        written = len(self._changed)
        self._changed.clear()
        return written
