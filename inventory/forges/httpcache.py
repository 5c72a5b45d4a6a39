"""The crawlers' conditional-request cache (crawlers.base.HttpCache) kept in the database per account."""

from __future__ import annotations

from inventory.core.httpcache import SAVE_BATCH_SIZE, StoredHttpCache
from inventory.forges.models import Account, HttpCacheEntry

__all__ = ["SAVE_BATCH_SIZE", "DatabaseHttpCache"]


class DatabaseHttpCache(StoredHttpCache):
    """An account's validators: a URL last used by another account's crawl moves to this one."""

    def __init__(self, account: Account) -> None:
        super().__init__(model=HttpCacheEntry, owner_field="account", owner=account)
        self.account = account
