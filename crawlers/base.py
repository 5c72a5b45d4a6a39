"""The forge-client protocol every forge module implements, and the errors it raises."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from crawlers.records import AccountCrawlResult, AccountRef, RequestStats


class CrawlerError(Exception):
    """A crawl of one account failed; ``kind`` says why in one word the pipeline can record.

    ``stats`` counts the requests the crawl sent before it failed (set by the client), so a
    failed crawl's cost is recorded as a successful one's is.
    """

    kind = "error"

    def __init__(self, message: str, *, status: int | None = None, url: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.url = url
        self.stats: RequestStats | None = None


class AccountNotFound(CrawlerError):
    """The account does not exist (any more) on the forge: 404 or 410."""

    kind = "not_found"


class AuthenticationFailed(CrawlerError):
    """The forge refused our credentials (401, or 403 that is not a rate limit)."""

    kind = "unauthorized"


class RateLimitExceeded(CrawlerError):
    """The forge's rate limit would make us wait longer than allowed."""

    kind = "rate_limited"


class ForgeUnavailable(CrawlerError):
    """5xx, timeouts or connection errors persisted after bounded retries."""

    kind = "unavailable"


class InvalidResponse(CrawlerError):
    """The forge answered something that is not the JSON we expect, even after retries."""

    kind = "invalid_response"


class HttpCache(Protocol):
    """Where conditional-request validators and bodies live between crawls (keyed by URL)."""

    def get(self, url: str) -> tuple[str, bytes] | None:
        """Return (etag, body) stored for ``url``, or None."""

    def set(self, url: str, etag: str, body: bytes) -> None:
        """Remember the validator and body of a 200 answer."""


class ForgeClient(Protocol):
    """One forge kind. ``known`` maps forge_id to the change_key stored at the last crawl:
    repositories absent from it or whose change_key differs get ``details`` filled in."""

    def crawl_account(
        self, account: AccountRef, *, known: Mapping[str, str]
    ) -> AccountCrawlResult: ...
