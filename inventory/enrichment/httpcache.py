"""A source's conditional-request cache kept in the database, like the forges' per account."""

from __future__ import annotations

from inventory.core.httpcache import SAVE_BATCH_SIZE, StoredHttpCache
from inventory.enrichment.models import SourceHttpCacheEntry

__all__ = ["SAVE_BATCH_SIZE", "SourceHttpCache"]


class SourceHttpCache(StoredHttpCache):
    """One source's validators, loaded in one query and saved in bulk."""

    def __init__(self, source: str) -> None:
        super().__init__(model=SourceHttpCacheEntry, owner_field="source", owner=source)
        self.source = source
