"""What the forge clients share: the transport, one account's crawl, status handling, errors."""

from __future__ import annotations

import dataclasses
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

import requests

from crawlers.base import (
    AccountNotFound,
    AuthenticationFailed,
    CrawlerError,
    HttpCache,
    InvalidResponse,
)
from crawlers.http import ForgeAdapter
from crawlers.normalize import (
    as_int,
    as_mapping,
    as_text,
    normalize_topics,
    parse_datetime,
    web_url,
)
from crawlers.records import (
    AccountCrawlResult,
    AccountRecord,
    AccountRef,
    ReleaseRecord,
    RepositoryDetails,
    RepositoryRecord,
    RequestStats,
)

USER_AGENT = "Logitheque-crawler"
T = TypeVar("T")
# Repositories per GraphQL query: GitHub's nodes(ids:) and GitLab's projects(ids:) take 100.
GRAPHQL_BATCH = 100


class GraphQLUnavailable(Exception):
    """The GraphQL endpoint is off, refused us or failed: REST takes over for this crawl."""


class ForgeHttpClient(ABC):
    """A ForgeClient whose requests all go through one ForgeAdapter.

    A subclass connects its library to the adapter (``_connect``), lists an account
    (``_listing``), turns a listed repository into a record (``_record``) and fetches the details
    of new or changed ones (``_details``, or ``_detailed`` entirely); this class runs the crawl
    and maps the library's errors to CrawlerErrors.
    """

    # The exception the client library raises on an HTTP error status.
    status_error: ClassVar[type[Exception]]
    # Exceptions that mean the forge answered something other than what we expect.
    unexpected: ClassVar[tuple[type[Exception], ...]] = (
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
    )

    def __init__(
        self,
        *,
        api_url: str,
        token: str | None = None,
        cache: HttpCache | None = None,
        timeout: float = 30,
        max_retries: int = 4,
        max_rate_limit_wait: float = 3600,
        sleep: Callable[[float], object] = time.sleep,
        graphql: bool = False,
        manifests: bool = False,
    ) -> None:
        """``graphql``: fetch details in batched GraphQL queries where the forge offers them
        (REST per repository otherwise); ``manifests``: read manifests and lock files too."""
        self.api_url = api_url.rstrip("/")
        self.graphql = graphql
        self.manifests = manifests
        self.adapter = ForgeAdapter(
            cache=cache,
            timeout=timeout,
            max_retries=max_retries,
            max_rate_limit_wait=max_rate_limit_wait,
            sleep=sleep,
        )
        self._connect(token=token, timeout=timeout)

    def crawl_account(self, account: AccountRef, *, known: Mapping[str, str]) -> AccountCrawlResult:
        stats = self.adapter.stats = RequestStats()
        try:
            return self._crawl(account, known, stats)
        except CrawlerError as exc:
            exc.stats = stats
            raise

    def _crawl(
        self, account: AccountRef, known: Mapping[str, str], stats: RequestStats
    ) -> AccountCrawlResult:
        try:
            profile, items = self._listing(account)
            records = [self._record(item) for item in items]
            changed = [i for i, r in enumerate(records) if known.get(r.forge_id) != r.change_key]
            detailed = self._detailed_many([(records[i], items[i]) for i in changed])
            for index, record in zip(changed, detailed, strict=True):
                records[index] = record
            repositories = tuple(records)
        except self.status_error as exc:
            raise self._error(exc, account) from exc
        except requests.RequestException as exc:
            raise CrawlerError(f"request to {self.api_url} failed: {exc}") from exc
        except self.unexpected as exc:
            raise InvalidResponse(f"unexpected answer from {self.api_url}: {exc!r}") from exc
        return AccountCrawlResult(account=profile, repositories=repositories, stats=stats)

    def _detailed_many(
        self, pairs: list[tuple[RepositoryRecord, dict[str, Any]]]
    ) -> list[RepositoryRecord]:
        """The records of new or changed repositories with their details, in the same order.

        With ``graphql``, batches of GRAPHQL_BATCH go to ``_graphql_batch``; whatever it does
        not return (a partial answer) is fetched over REST, one repository at a time, and so
        is everything after the endpoint proved unavailable.
        """
        found: dict[int, RepositoryRecord] = {}
        available = self.graphql
        for start in range(0, len(pairs), GRAPHQL_BATCH):
            if not available:
                break
            try:
                batch = self._graphql_batch(pairs[start : start + GRAPHQL_BATCH])
            except GraphQLUnavailable:
                available = False
                continue
            found.update({start + index: record for index, record in batch.items()})
        return [
            found.get(index) or self._detailed(record, data)
            for index, (record, data) in enumerate(pairs)
        ]

    def _graphql_batch(
        self, pairs: list[tuple[RepositoryRecord, dict[str, Any]]]
    ) -> dict[int, RepositoryRecord]:
        """Records with details for some of ``pairs`` (by index) from batched GraphQL queries."""
        raise GraphQLUnavailable(f"{type(self).__name__} has no GraphQL details")

    def _detailed(self, record: RepositoryRecord, data: dict[str, Any]) -> RepositoryRecord:
        """``record`` with its details, which repeat the license and language it was listed with."""
        details = self._details(
            data,
            license_spdx=record.license_spdx,
            license_name=record.license_name,
            language=record.language,
            manifests=self.manifests,
        )
        return dataclasses.replace(record, details=details)

    def latest_release(self, full_name: str) -> ReleaseRecord | None:
        """The latest stable release of the repository ``full_name``, else its latest tag, else
        None; a CrawlerError (with the HTTP status) when the forge refuses or fails."""
        try:
            data = self._latest_release(full_name) or self._latest_tag(full_name)
        except self.status_error as exc:
            status = self._status(exc)
            raise CrawlerError(
                f"{self.api_url}: no release for {full_name} (HTTP {status})", status=status
            ) from exc
        except requests.RequestException as exc:
            raise CrawlerError(f"request to {self.api_url} failed: {exc}") from exc
        except self.unexpected as exc:
            raise InvalidResponse(f"unexpected answer from {self.api_url}: {exc!r}") from exc
        return release_record(data) if data else None

    def _unless_status(self, statuses: tuple[int, ...], request: Callable[[], T]) -> T | None:
        """``request()``, or None when the forge answers with one of ``statuses``."""
        try:
            return request()
        except self.status_error as exc:
            if self._status(exc) not in statuses:
                raise
            return None

    # -- what each forge says its own way ----------------------------------------------------------

    @abstractmethod
    def _connect(self, *, token: str | None, timeout: float) -> None: ...

    @abstractmethod
    def _listing(
        self, account: AccountRef
    ) -> tuple[AccountRecord | None, list[dict[str, Any]]]: ...

    @abstractmethod
    def _record(self, data: dict[str, Any]) -> RepositoryRecord: ...

    @abstractmethod
    def _details(self, data: dict[str, Any], **extra: Any) -> RepositoryDetails:
        """What ``_detailed`` adds: root files and publiccode.yml, with ``extra`` fields."""

    @abstractmethod
    def _latest_release(self, full_name: str) -> dict[str, Any] | None:
        """The forge's latest release that is not a draft or pre-release, as JSON."""

    @abstractmethod
    def _latest_tag(self, full_name: str) -> dict[str, Any] | None:
        """The forge's first listed tag, as JSON."""

    @abstractmethod
    def _status(self, exc: Any) -> int | None:
        """The HTTP status of a ``status_error``."""

    @abstractmethod
    def _error(self, exc: Any, account: AccountRef) -> CrawlerError:
        """The CrawlerError for a ``status_error`` on ``account``."""


def account_error(
    where: str, status: int | None, *, detail: str, reason: str | None = None, url: str = ""
) -> CrawlerError:
    """The error for an HTTP ``status`` on the account ``where`` designates."""
    if status in (404, 410):
        return AccountNotFound(f"{where} does not exist (HTTP {status})", status=status)
    if status in (401, 403):
        suffix = "" if reason is None else f": {reason}"
        return AuthenticationFailed(
            f"{where}: access refused (HTTP {status}){suffix}", status=status
        )
    return InvalidResponse(f"{where}: {detail}", status=status, url=url)


def first_object(listing: Any) -> dict[str, Any] | None:
    """The first object of a JSON list (a page of releases or tags), else None."""
    items = listing if isinstance(listing, list) else []
    return next((item for item in items if isinstance(item, dict)), None)


def release_record(data: dict[str, Any]) -> ReleaseRecord | None:
    """A release (GitHub, GitLab, Gitea) or tag as a record; None without a tag name."""
    tag = as_text(data.get("tag_name") or data.get("name")).strip()
    if not tag:
        return None
    published = data.get("published_at") or data.get("released_at") or data.get("created_at")
    return ReleaseRecord(
        tag=tag,
        name=as_text(data.get("name")).strip() if data.get("tag_name") else "",
        published_at=parse_datetime(published),
        html_url=web_url(data.get("html_url") or as_mapping(data.get("_links")).get("self")),
    )


def root_entries(listing: Any, *, folder_type: str) -> list[tuple[str, bool]]:
    """(name, is_folder) pairs of a root listing in JSON; anything but a list lists nothing."""
    return [
        (as_text(e.get("name")), e.get("type") == folder_type)
        for e in (listing if isinstance(listing, list) else [])
        if isinstance(e, dict)
    ]


def github_style_record(data: dict[str, Any], **fields: Any) -> RepositoryRecord:
    """A record from the fields Gitea names as GitHub does (its API copies GitHub's); ``fields``
    gives the others."""
    full_name = as_text(data.get("full_name"))
    return RepositoryRecord(
        forge_id=str(data["id"]),
        owner=as_text(as_mapping(data.get("owner")).get("login")) or full_name.split("/")[0],
        name=as_text(data.get("name")),
        full_name=full_name,
        html_url=web_url(data.get("html_url")),
        clone_url=web_url(data.get("clone_url")),
        description=as_text(data.get("description")),
        default_branch=as_text(data.get("default_branch")),
        language=as_text(data.get("language")),
        topics=normalize_topics(data.get("topics")),
        forks=as_int(data.get("forks_count")) or 0,
        open_issues=as_int(data.get("open_issues_count"), None),
        is_fork=data.get("fork") is True,
        is_archived=data.get("archived") is True,
        created_at=parse_datetime(data.get("created_at")),
        **fields,
    )
