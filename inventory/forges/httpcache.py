"""The crawlers' conditional-request cache (crawlers.base.HttpCache) kept in the database per account."""

from __future__ import annotations

import zlib

from django.db import transaction

from inventory.forges.models import Account, HttpCacheEntry

SAVE_BATCH_SIZE = 500


class DatabaseHttpCache:
    """Loads an account's validators in one query, serves them from memory, saves changes in bulk.

    A URL last used by another account's crawl is not loaded: its first request simply goes
    out without If-None-Match, and the entry then moves to this account.
    """

    def __init__(self, account: Account) -> None:
        self.account = account
        self._entries: dict[str, tuple[str, bytes]] = {
            url: (etag, bytes(body))
            for url, etag, body in HttpCacheEntry.objects.filter(account=account).values_list(
                "url", "etag", "body"
            )
        }
        self._changed: dict[str, tuple[str, bytes]] = {}

    def get(self, url: str) -> tuple[str, bytes] | None:
        if url in self._changed:
            etag, body = self._changed[url]
            return etag, body
        entry = self._entries.get(url)
        if entry is None:
            return None
        etag, compressed = entry
        return etag, zlib.decompress(compressed)

    def set(self, url: str, etag: str, body: bytes) -> None:
        # A validator we could not store whole would never match again: keep none instead.
        if (
            not etag
            or len(url) > HttpCacheEntry._meta.get_field("url").max_length
            or len(etag) > HttpCacheEntry._meta.get_field("etag").max_length
        ):
            return
        self._changed[url] = (etag, body)

    def __len__(self) -> int:
        return len(self._entries.keys() | self._changed.keys())

    def save(self) -> int:
        """Write the validators received since loading; returns how many were written."""
        if not self._changed:
            return 0
        rows = [
            HttpCacheEntry(account=self.account, url=url, etag=etag, body=zlib.compress(body))
            for url, (etag, body) in self._changed.items()
        ]
        with transaction.atomic():
            HttpCacheEntry.objects.bulk_create(
                rows,
                batch_size=SAVE_BATCH_SIZE,
                update_conflicts=True,
                unique_fields=["url"],
                update_fields=["account", "etag", "body", "updated_at"],
            )
        for row in rows:
            self._entries[row.url] = (row.etag, row.body)
        written = len(self._changed)
        self._changed.clear()
        return written
