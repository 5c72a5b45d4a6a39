"""Gitea, Forgejo and Gogs through their REST API v1: organisations, users, whole instances."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

import requests

from crawlers.base import (
    AccountNotFound,
    AuthenticationFailed,
    CrawlerError,
    HttpCache,
    InvalidResponse,
)
from crawlers.http import ForgeAdapter, forge_session, next_link
from crawlers.normalize import (
    as_int,
    as_text,
    gitea_change_key,
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
# Gitea caps pages at its MAX_RESPONSE_ITEMS (50 by default): ask for more, follow the Link header.
PER_PAGE = 100


class HttpStatusError(Exception):
    """A 4xx answer the Gitea client decides about (404 on an account, on a file...)."""

    def __init__(self, response: requests.Response) -> None:
        super().__init__(f"HTTP {response.status_code} from {response.url}")
        self.status = response.status_code
        self.url = response.url


class GiteaClient:
    """Organisations, users and whole instances of one Gitea, Forgejo or Gogs server."""

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
        gogs: bool = False,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.gogs = gogs
        self.adapter = ForgeAdapter(
            cache=cache,
            timeout=timeout,
            max_retries=max_retries,
            max_rate_limit_wait=max_rate_limit_wait,
            sleep=sleep,
        )
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"token {token}"
        self.session = forge_session(self.adapter, headers)

    def crawl_account(self, account: AccountRef, *, known: Mapping[str, str]) -> AccountCrawlResult:
        stats = self.adapter.stats = RequestStats()
        try:
            profile, items = self._listing(account)
            repositories = tuple(self._repository(item, known) for item in items)
        except HttpStatusError as exc:
            raise _error(exc, account) from exc
        except requests.RequestException as exc:
            raise CrawlerError(f"request to {self.api_url} failed: {exc}") from exc
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise InvalidResponse(f"unexpected answer from {self.api_url}: {exc!r}") from exc
        return AccountCrawlResult(account=profile, repositories=repositories, stats=stats)

    def _get(self, url: str, params: dict[str, Any] | None = None) -> requests.Response:
        if not url.startswith(("http://", "https://")):
            url = f"{self.api_url}{url}"
        response = self.session.get(url, params=params)
        if response.status_code >= 400:
            raise HttpStatusError(response)
        return response

    def _listing(self, account: AccountRef) -> tuple[AccountRecord | None, list[dict[str, Any]]]:
        if account.kind == "instance":
            return None, self._list("/repos/search", {"sort": "id", "order": "asc"})
        login = quote(account.login, safe="")
        profile: dict[str, Any] | None = None
        if account.kind != "user":
            try:
                profile = _mapping(self._get(f"/orgs/{login}").json())
            except HttpStatusError as exc:
                if exc.status != 404:
                    raise
        if profile is not None:
            return _account_record(profile), self._list(f"/orgs/{login}/repos", {})
        # A user, or an account registered as an organisation that is a user on the forge.
        profile = _mapping(self._get(f"/users/{login}").json())
        return _account_record(profile), self._list(f"/users/{login}/repos", {})

    def _list(self, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        url, query = path, params | {"limit": PER_PAGE, "page": 1}
        while url:
            response = self._get(url, query)
            data = response.json()
            if isinstance(data, dict):  # /repos/search wraps its page: {"ok": true, "data": [...]}
                data = data.get("data")
            if not isinstance(data, list):
                raise InvalidResponse(f"a repository list was expected from {response.url}")
            items.extend(
                i
                for i in data
                if isinstance(i, dict) and not i.get("private") and not i.get("internal")
            )
            # Gogs does not page these lists: no Link header, everything came at once.
            url, query = next_link(response.headers.get("Link")), None
        return items

    def _repository(self, data: dict[str, Any], known: Mapping[str, str]) -> RepositoryRecord:
        forge_id = str(data["id"])
        change_key = gitea_change_key(data)
        licenses = data.get("licenses") if isinstance(data.get("licenses"), list) else []
        names = [as_text(name) for name in licenses]
        spdx = license_spdx(*names)
        license_name = names[0] if names else ""
        language = as_text(data.get("language"))
        details = None
        if known.get(forge_id) != change_key:
            details = self._details(
                data, license_spdx=spdx, license_name=license_name, language=language
            )
        full_name = as_text(data.get("full_name"))
        updated_at = parse_datetime(data.get("updated_at"))
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
            stars=as_int(data.get("stars_count")) or 0,
            forks=as_int(data.get("forks_count")) or 0,
            open_issues=as_int(data.get("open_issues_count"), None),
            subscribers=as_int(data.get("watchers_count"), None),
            is_fork=data.get("fork") is True,
            is_archived=data.get("archived") is True,
            is_template=data.get("template") is True,
            homepage=as_text(data.get("website")),
            created_at=parse_datetime(data.get("created_at")),
            updated_at=updated_at,
            # Gitea has no pushed_at; its updated_at moves on every push.
            pushed_at=updated_at,
            change_key=change_key,
            details=details,
        )

    def _details(self, data: dict[str, Any], **extra: Any) -> RepositoryDetails:
        repo = "/".join(quote(part, safe="") for part in as_text(data["full_name"]).split("/"))
        branch = as_text(data.get("default_branch"))
        if data.get("empty") is True or not branch:
            return repository_details(None, _no_file, **extra)
        try:
            listing = self._get(f"/repos/{repo}/contents", {"ref": branch}).json()
        except HttpStatusError as exc:
            if exc.status not in (403, 404, 409):
                raise
            return repository_details(None, _no_file, **extra)
        entries = [
            (as_text(e.get("name")), e.get("type") == "dir")
            for e in (listing if isinstance(listing, list) else [])
            if isinstance(e, dict)
        ]

        def read(name: str) -> bytes | None:
            if self.gogs:  # Gogs names the branch in the path
                url, params = f"/repos/{repo}/raw/{quote(branch)}/{quote(name)}", None
            else:
                url, params = f"/repos/{repo}/raw/{quote(name)}", {"ref": branch}
            try:
                return self._get(url, params).content
            except HttpStatusError as exc:
                if exc.status not in (403, 404):
                    raise
                return None

        return repository_details(entries, read, **extra)


def _no_file(name: str) -> bytes | None:
    return None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _account_record(data: dict[str, Any]) -> AccountRecord:
    return AccountRecord(
        login=as_text(data.get("username")) or as_text(data.get("login")),
        name=as_text(data.get("full_name")),
        description=as_text(data.get("description")),
        html_url=as_text(data.get("html_url")),
        website=as_text(data.get("website")),
        location=as_text(data.get("location")),
        email=as_text(data.get("email")),
        avatar_url=as_text(data.get("avatar_url")),
        created_at=parse_datetime(data.get("created")),
        followers=as_int(data.get("followers_count"), None),
    )


def _error(exc: HttpStatusError, account: AccountRef) -> CrawlerError:
    where = f"{account.api_url} account {account.login!r}"
    if exc.status in (404, 410):
        return AccountNotFound(f"{where} does not exist (HTTP {exc.status})", status=exc.status)
    if exc.status in (401, 403):
        return AuthenticationFailed(
            f"{where}: access refused (HTTP {exc.status})", status=exc.status
        )
    return InvalidResponse(f"{where}: {exc}", status=exc.status, url=exc.url)
