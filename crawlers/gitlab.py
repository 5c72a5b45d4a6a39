"""GitLab (gitlab.com or any self-hosted instance) through python-gitlab: groups, users, instances."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import quote

import gitlab
import requests
from gitlab.exceptions import GitlabError

from crawlers.base import (
    AccountNotFound,
    AuthenticationFailed,
    CrawlerError,
    HttpCache,
    InvalidResponse,
)
from crawlers.http import ForgeAdapter, forge_session
from crawlers.normalize import (
    as_int,
    as_text,
    gitlab_change_key,
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
# Stable order, public projects only (a token may see more), not projects merely shared with a group.
LIST_QUERY = {"per_page": PER_PAGE, "order_by": "id", "sort": "asc", "visibility": "public"}


class GitLabClient:
    """Groups (with every subgroup), users and whole instances of one GitLab server."""

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
        # Retries and rate limits are the adapter's business: python-gitlab must not sleep itself.
        self.gitlab = gitlab.Gitlab(
            self.api_url,
            private_token=token or None,
            session=forge_session(self.adapter),
            timeout=timeout,
            retry_transient_errors=False,
            user_agent=USER_AGENT,
        )

    def crawl_account(self, account: AccountRef, *, known: Mapping[str, str]) -> AccountCrawlResult:
        stats = self.adapter.stats = RequestStats()
        try:
            profile, projects = self._listing(account)
            repositories = tuple(self._repository(item, known) for item in projects)
        except GitlabError as exc:
            raise _error(exc, account) from exc
        except requests.RequestException as exc:
            raise CrawlerError(f"request to {self.api_url} failed: {exc}") from exc
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise InvalidResponse(f"unexpected answer from {self.api_url}: {exc!r}") from exc
        return AccountCrawlResult(account=profile, repositories=repositories, stats=stats)

    def _listing(self, account: AccountRef) -> tuple[AccountRecord | None, list[dict[str, Any]]]:
        if account.kind == "instance":
            # Keyset paging: offset paging on /projects stops at 50,000 projects on GitLab.
            query = LIST_QUERY | {"pagination": "keyset"}
            return None, self._list("/projects", query)
        if account.kind == "user":
            users = self.gitlab.http_list("/users", {"username": account.login}, get_all=True)
            user = next((u for u in users if isinstance(u, dict)), None)
            if user is None:
                raise AccountNotFound(f"{self.api_url} has no user {account.login!r}", status=404)
            return _user_record(user), self._list(f"/users/{user['id']}/projects", LIST_QUERY)
        path = quote(account.login, safe="")
        group = _mapping(self.gitlab.http_get(f"/groups/{path}", {"with_projects": "false"}))
        query = LIST_QUERY | {"include_subgroups": "true", "with_shared": "false"}
        return _group_record(group), self._list(f"/groups/{path}/projects", query)

    def _list(self, path: str, query: dict[str, Any]) -> list[dict[str, Any]]:
        items: Iterable[Any] = self.gitlab.http_list(path, query, iterator=True)
        return [item for item in items if isinstance(item, dict)]

    def _repository(self, data: dict[str, Any], known: Mapping[str, str]) -> RepositoryRecord:
        forge_id = str(data["id"])
        change_key = gitlab_change_key(data)
        details = self._details(data) if known.get(forge_id) != change_key else None
        full_name = as_text(data.get("path_with_namespace"))
        namespace = _mapping(data.get("namespace"))
        return RepositoryRecord(
            forge_id=forge_id,
            owner=as_text(namespace.get("full_path")) or full_name.rpartition("/")[0],
            name=as_text(data.get("path")) or full_name.rpartition("/")[2],
            full_name=full_name,
            html_url=as_text(data.get("web_url")),
            clone_url=as_text(data.get("http_url_to_repo")),
            description=as_text(data.get("description")),
            default_branch=as_text(data.get("default_branch")),
            # GitLab lists neither: they come with the details of new or changed projects.
            language=details.language if details else "",
            license_spdx=details.license_spdx if details else "",
            license_name=details.license_name if details else "",
            topics=normalize_topics(data.get("topics") or data.get("tag_list")),
            stars=as_int(data.get("star_count")) or 0,
            forks=as_int(data.get("forks_count")) or 0,
            open_issues=as_int(data.get("open_issues_count"), None),
            is_fork=bool(data.get("forked_from_project")),
            is_archived=data.get("archived") is True,
            created_at=parse_datetime(data.get("created_at")),
            updated_at=parse_datetime(data.get("updated_at")),
            pushed_at=parse_datetime(data.get("last_activity_at")),
            change_key=change_key,
            details=details,
        )

    def _details(self, data: dict[str, Any]) -> RepositoryDetails:
        project = f"/projects/{data['id']}"
        try:
            full = _mapping(self.gitlab.http_get(project, {"license": "true"}))
        except GitlabError as exc:
            if getattr(exc, "response_code", None) != 404:
                raise
            return RepositoryDetails()  # deleted since it was listed: the next crawl will tell
        license_ = _mapping(full.get("license"))
        languages = {
            str(name): float(share)
            for name, share in _mapping(self.gitlab.http_get(f"{project}/languages")).items()
            if isinstance(share, int | float)
        }
        extra = {
            "license_spdx": license_spdx(
                as_text(license_.get("key")),
                as_text(license_.get("name")),
                as_text(license_.get("nickname")),
            ),
            "license_name": as_text(license_.get("name")),
            "language": max(languages, key=languages.__getitem__) if languages else "",
            "languages": languages,
        }
        branch = as_text(full.get("default_branch") or data.get("default_branch"))
        if not branch or full.get("empty_repo") is True:
            return repository_details(None, _no_file, **extra)
        try:
            tree = self.gitlab.http_get(
                f"{project}/repository/tree", {"ref": branch, "per_page": PER_PAGE}
            )
        except GitlabError as exc:
            if getattr(exc, "response_code", None) != 404:
                raise
            return repository_details(None, _no_file, **extra)
        entries = [
            (as_text(e.get("name")), e.get("type") == "tree")
            for e in (tree if isinstance(tree, list) else [])
            if isinstance(e, dict)
        ]

        def read(name: str) -> bytes | None:
            path = f"{project}/repository/files/{quote(name, safe='')}/raw"
            try:
                response = self.gitlab.http_get(path, {"ref": branch}, raw=True)
            except GitlabError as exc:
                if getattr(exc, "response_code", None) != 404:
                    raise
                return None
            return response.content if isinstance(response, requests.Response) else None

        return repository_details(entries, read, **extra)


def _no_file(name: str) -> bytes | None:
    return None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _group_record(data: dict[str, Any]) -> AccountRecord:
    return AccountRecord(
        login=as_text(data.get("full_path")),
        name=as_text(data.get("name")),
        description=as_text(data.get("description")),
        html_url=as_text(data.get("web_url")),
        avatar_url=as_text(data.get("avatar_url")),
        created_at=parse_datetime(data.get("created_at")),
    )


def _user_record(data: dict[str, Any]) -> AccountRecord:
    return AccountRecord(
        login=as_text(data.get("username")),
        name=as_text(data.get("name")),
        description=as_text(data.get("bio")),
        html_url=as_text(data.get("web_url")),
        website=as_text(data.get("website_url")),
        location=as_text(data.get("location")),
        email=as_text(data.get("public_email")),
        avatar_url=as_text(data.get("avatar_url")),
        created_at=parse_datetime(data.get("created_at")),
        followers=as_int(data.get("followers"), None),
    )


def _error(exc: GitlabError, account: AccountRef) -> CrawlerError:
    status = getattr(exc, "response_code", None)
    where = f"{account.api_url} {account.kind} {account.login!r}"
    if status in (404, 410):
        return AccountNotFound(f"{where} does not exist (HTTP {status})", status=status)
    if status in (401, 403):
        return AuthenticationFailed(
            f"{where}: access refused (HTTP {status}): {exc.error_message}", status=status
        )
    return InvalidResponse(f"{where}: {type(exc).__name__}: {exc.error_message}", status=status)
