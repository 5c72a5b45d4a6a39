"""GitHub (github.com, GitHub Enterprise, compatible servers) through PyGithub's REST v3 requester."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from github import Auth, Github, GithubException

from crawlers.base import CrawlerError, InvalidResponse
from crawlers.client import (
    USER_AGENT,
    ForgeHttpClient,
    account_error,
    github_style_record,
    root_entries,
)
from crawlers.http import next_link
from crawlers.normalize import (
    as_int,
    as_mapping,
    as_text,
    github_change_key,
    license_spdx,
    parse_datetime,
    web_url,
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

PER_PAGE = 100
# Statuses GitHub gives a repository whose files cannot be listed: empty (404, 409), blocked (403, 451).
NO_FILES = (403, 404, 409, 451)


class GitHubClient(ForgeHttpClient):
    """Organisations and users of one GitHub server: profile, public repositories, details."""

    status_error = GithubException
    unexpected = (*ForgeHttpClient.unexpected, RuntimeError)

    def _connect(self, *, token: str | None, timeout: float) -> None:
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

    def _crawl(
        self, account: AccountRef, known: Mapping[str, str], stats: RequestStats
    ) -> AccountCrawlResult:
        try:
            return super()._crawl(account, known, stats)
        except AssertionError as exc:  # PyGithub asserts that links stay on the server's host
            raise InvalidResponse(f"{self.api_url} sent a link elsewhere: {exc}") from exc

    def _get(self, path: str, parameters: dict[str, Any] | None = None) -> tuple[dict, Any]:
        return self.requester.requestJsonAndCheck("GET", path, parameters=parameters)

    def _listing(self, account: AccountRef) -> tuple[AccountRecord | None, list[dict[str, Any]]]:
        if account.kind == "instance":
            raise CrawlerError("GitHub servers are crawled by organisation or user, not whole")
        profile = self._profile(account)
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
        return _account_record(profile), items

    def _profile(self, account: AccountRef) -> dict[str, Any]:
        login = quote(account.login, safe="")
        if account.kind != "user":
            org = self._unless_status((404,), lambda: self._get(f"/orgs/{login}"))
            if org is not None:
                return as_mapping(org[1])
        # A user, or an account registered as an organisation that is a user on GitHub.
        return as_mapping(self._get(f"/users/{login}")[1])

    def _record(self, data: dict[str, Any]) -> RepositoryRecord:
        license_ = as_mapping(data.get("license"))
        return github_style_record(
            data,
            license_spdx=license_spdx(
                as_text(license_.get("spdx_id")), as_text(license_.get("key"))
            ),
            license_name=as_text(license_.get("name")),
            stars=as_int(data.get("stargazers_count")) or 0,
            subscribers=as_int(data.get("subscribers_count"), None),
            is_template=data.get("is_template") is True,
            homepage=web_url(data.get("homepage")),
            updated_at=parse_datetime(data.get("updated_at")),
            pushed_at=parse_datetime(data.get("pushed_at")),
            change_key=github_change_key(data),
        )

    def _details(self, data: dict[str, Any], **extra: Any) -> RepositoryDetails:
        repo_path = "/".join(quote(part, safe="") for part in data["full_name"].split("/"))
        listing = self._unless_status(NO_FILES, lambda: self._get(f"/repos/{repo_path}/contents/"))
        entries = None
        if listing is not None and isinstance(listing[1], list):
            entries = root_entries(listing[1], folder_type="dir")

        def read(name: str) -> bytes | None:
            path = f"/repos/{repo_path}/contents/{quote(name)}"
            answer = self._unless_status(NO_FILES, lambda: self._get(path))
            content = as_mapping(answer[1]) if answer is not None else {}
            if content.get("encoding") != "base64":
                return None  # over 1 MB GitHub gives no content here
            try:
                return base64.b64decode(as_text(content.get("content")))
            except (binascii.Error, ValueError):
                return None

        return repository_details(entries, read, **extra)

    def _status(self, exc: GithubException) -> int | None:
        return exc.status

    def _error(self, exc: GithubException, account: AccountRef) -> CrawlerError:
        message = (
            exc.message or (exc.data.get("message") if isinstance(exc.data, dict) else "") or ""
        )
        where = f"{account.api_url} account {account.login!r}"
        return account_error(
            where, exc.status, reason=message, detail=f"HTTP {exc.status}: {message}"
        )


def _account_record(data: dict[str, Any]) -> AccountRecord:
    return AccountRecord(
        login=as_text(data.get("login")),
        name=as_text(data.get("name")),
        description=as_text(data.get("description")) or as_text(data.get("bio")),
        html_url=web_url(data.get("html_url")),
        website=web_url(data.get("blog")),
        location=as_text(data.get("location")),
        email=as_text(data.get("email")),
        avatar_url=web_url(data.get("avatar_url")),
        created_at=parse_datetime(data.get("created_at")),
        followers=as_int(data.get("followers"), None),
        is_verified=data.get("is_verified") if isinstance(data.get("is_verified"), bool) else None,
    )
