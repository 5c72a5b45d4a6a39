"""GitHub (github.com, GitHub Enterprise, compatible servers) through PyGithub's REST v3 requester."""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

import requests
from github import Auth, Github, GithubException

from crawlers.base import (
    AccountNotFound,
    AuthenticationFailed,
    CrawlerError,
    HttpCache,
    InvalidResponse,
)
from crawlers.http import ForgeAdapter, next_link
from crawlers.normalize import (
    as_int,
    as_text,
    github_change_key,
    license_spdx,
    normalize_topics,
    parse_datetime,
)
from crawlers.publiccode import repository_details
from crawlers.records import (
    AccountCrawlResult,
    AccountRecord,
    AccountRef,
    RepositoryDetails,
    RepositoryRecord,
    RequestStats,
)

USER_AGENT = "Logitheque-crawler"
PER_PAGE = 100
# Statuses GitHub gives a repository whose files cannot be listed: empty (404, 409), blocked (403, 451).
NO_FILES = (403, 404, 409, 451)


class GitHubClient:
    """Organisations and users of one GitHub server: profile, public repositories, details."""

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
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.adapter = ForgeAdapter(
            cache=cache,
            timeout=timeout,
            max_retries=max_retries,
            max_rate_limit_wait=max_rate_limit_wait,
            sleep=sleep,
        )
        # retry=None: PyGithub's own GithubRetry would sleep on rate limits behind our back;
        # seconds_between_requests=None: its fixed 0.25 s pause is replaced by the adapter's pacing.
        self.github = Github(
            base_url=self.api_url,
            auth=Auth.Token(token) if token else None,
            per_page=PER_PAGE,
            retry=None,
            seconds_between_requests=None,
            timeout=int(timeout) or 1,
            user_agent=USER_AGENT,
        )
        self.requester = self.github.requester
        # PyGithub offers no hook for a transport adapter: its requester keeps one persistent
        # connection whose requests session we equip with ours.
        connection = self.requester._Requester__createConnection()  # noqa: SLF001
        connection.session.mount("http://", self.adapter)
        connection.session.mount("https://", self.adapter)

    def crawl_account(self, account: AccountRef, *, known: Mapping[str, str]) -> AccountCrawlResult:
        stats = self.adapter.stats = RequestStats()
        if account.kind == "instance":
            raise CrawlerError("GitHub servers are crawled by organisation or user, not whole")
        try:
            profile = self._profile(account)
            repositories = tuple(
                self._repository(item, known) for item in self._listing(account, profile)
            )
        except GithubException as exc:
            raise _error(exc, account) from exc
        except requests.RequestException as exc:
            raise CrawlerError(f"request to {self.api_url} failed: {exc}") from exc
        except (ValueError, TypeError, KeyError, AttributeError, RuntimeError) as exc:
            raise InvalidResponse(f"unexpected answer from {self.api_url}: {exc!r}") from exc
        except AssertionError as exc:  # PyGithub asserts that links stay on the server's host
            raise InvalidResponse(f"{self.api_url} sent a link elsewhere: {exc}") from exc
        return AccountCrawlResult(
            account=_account_record(profile), repositories=repositories, stats=stats
        )

    def _get(self, path: str, parameters: dict[str, Any] | None = None) -> tuple[dict, Any]:
        return self.requester.requestJsonAndCheck("GET", path, parameters=parameters)

    def _profile(self, account: AccountRef) -> dict[str, Any]:
        login = quote(account.login, safe="")
        if account.kind != "user":
            try:
                return _mapping(self._get(f"/orgs/{login}")[1])
            except GithubException as exc:
                if exc.status != 404:
                    raise
        # A user, or an account registered as an organisation that is a user on GitHub.
        return _mapping(self._get(f"/users/{login}")[1])

    def _listing(self, account: AccountRef, profile: dict[str, Any]) -> list[dict[str, Any]]:
        login = quote(as_text(profile.get("login")) or account.login, safe="")
        if profile.get("type") == "Organization":
            url, parameters = f"/orgs/{login}/repos", {"type": "public", "per_page": PER_PAGE}
        else:
            url, parameters = f"/users/{login}/repos", {"type": "owner", "per_page": PER_PAGE}
        items: list[dict[str, Any]] = []
        while url:
            headers, data = self._get(url, parameters)
            if not isinstance(data, list):
                raise InvalidResponse(f"a repository list was expected from {url}")
            items.extend(i for i in data if isinstance(i, dict) and not i.get("private"))
            # The next page's URL carries every parameter already.
            url, parameters = next_link(headers.get("link")), None
        return items

    def _repository(self, data: dict[str, Any], known: Mapping[str, str]) -> RepositoryRecord:
        forge_id = str(data["id"])
        change_key = github_change_key(data)
        license_ = _mapping(data.get("license"))
        spdx = license_spdx(as_text(license_.get("spdx_id")), as_text(license_.get("key")))
        license_name = as_text(license_.get("name"))
        language = as_text(data.get("language"))
        details = None
        if known.get(forge_id) != change_key:
            details = self._details(
                data, license_spdx=spdx, license_name=license_name, language=language
            )
        full_name = as_text(data.get("full_name"))
        return RepositoryRecord(
            forge_id=forge_id,
            owner=as_text(_mapping(data.get("owner")).get("login")) or full_name.split("/")[0],
            name=as_text(data.get("name")),
            full_name=full_name,
            html_url=as_text(data.get("html_url")),
            clone_url=as_text(data.get("clone_url")),
            description=as_text(data.get("description")),
            default_branch=as_text(data.get("default_branch")),
            language=language,
            license_spdx=spdx,
            license_name=license_name,
            topics=normalize_topics(data.get("topics")),
            stars=as_int(data.get("stargazers_count")) or 0,
            forks=as_int(data.get("forks_count")) or 0,
            open_issues=as_int(data.get("open_issues_count"), None),
            subscribers=as_int(data.get("subscribers_count"), None),
            is_fork=data.get("fork") is True,
            is_archived=data.get("archived") is True,
            is_template=data.get("is_template") is True,
            homepage=as_text(data.get("homepage")),
            created_at=parse_datetime(data.get("created_at")),
            updated_at=parse_datetime(data.get("updated_at")),
            pushed_at=parse_datetime(data.get("pushed_at")),
            change_key=change_key,
            details=details,
        )

    def _details(self, data: dict[str, Any], **extra: Any) -> RepositoryDetails:
        repo_path = "/".join(quote(part, safe="") for part in data["full_name"].split("/"))
        try:
            listing = self._get(f"/repos/{repo_path}/contents/")[1]
        except GithubException as exc:
            if exc.status not in NO_FILES:
                raise
            listing = None
        entries = None
        if isinstance(listing, list):
            entries = [
                (as_text(e.get("name")), e.get("type") == "dir")
                for e in listing
                if isinstance(e, dict)
            ]

        def read(name: str) -> bytes | None:
            try:
                content = _mapping(self._get(f"/repos/{repo_path}/contents/{quote(name)}")[1])
            except GithubException as exc:
                if exc.status not in NO_FILES:
                    raise
                return None
            if content.get("encoding") != "base64":
                return None  # over 1 MB GitHub gives no content here
            try:
                return base64.b64decode(as_text(content.get("content")))
            except (binascii.Error, ValueError):
                return None

        return repository_details(entries, read, **extra)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _account_record(data: dict[str, Any]) -> AccountRecord:
    return AccountRecord(
        login=as_text(data.get("login")),
        name=as_text(data.get("name")),
        description=as_text(data.get("description")) or as_text(data.get("bio")),
        html_url=as_text(data.get("html_url")),
        website=as_text(data.get("blog")),
        location=as_text(data.get("location")),
        email=as_text(data.get("email")),
        avatar_url=as_text(data.get("avatar_url")),
        created_at=parse_datetime(data.get("created_at")),
        followers=as_int(data.get("followers"), None),
        is_verified=data.get("is_verified") if isinstance(data.get("is_verified"), bool) else None,
    )


def _error(exc: GithubException, account: AccountRef) -> CrawlerError:
    message = exc.message or (exc.data.get("message") if isinstance(exc.data, dict) else "") or ""
    where = f"{account.api_url} account {account.login!r}"
    if exc.status in (404, 410):
        return AccountNotFound(f"{where} does not exist (HTTP {exc.status})", status=exc.status)
    if exc.status in (401, 403):
        return AuthenticationFailed(
            f"{where}: access refused (HTTP {exc.status}): {message}", status=exc.status
        )
    return InvalidResponse(f"{where}: HTTP {exc.status}: {message}", status=exc.status)
