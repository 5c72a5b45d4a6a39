"""GitHub (github.com, GitHub Enterprise, compatible servers) through PyGithub's REST v3 requester."""

from __future__ import annotations

import base64
import binascii
import dataclasses
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import requests
from github import Auth, Github, GithubException

from crawlers import github_graphql
from crawlers.base import CrawlerError, InvalidResponse
from crawlers.client import (
    USER_AGENT,
    ForgeHttpClient,
    GraphQLUnavailable,
    account_error,
    first_object,
    github_style_record,
    root_entries,
)
from crawlers.graphql import details_from, missing_files, prefetched_names
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
        # GitHub's GraphQL API answers only authenticated clients: without a token, REST only.
        self.graphql = self.graphql and bool(token)
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

    def _latest_release(self, full_name: str) -> dict[str, Any] | None:
        path = f"/repos/{quote(full_name, safe='/')}/releases/latest"
        answer = self._unless_status((404,), lambda: self._get(path))
        return as_mapping(answer[1]) if answer else None

    def _latest_tag(self, full_name: str) -> dict[str, Any] | None:
        _headers, data = self._get(f"/repos/{quote(full_name, safe='/')}/tags", {"per_page": 1})
        return first_object(data)

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

    # -- GraphQL details ---------------------------------------------------------------------------

    def _graphql_batch(
        self, pairs: list[tuple[RepositoryRecord, dict[str, Any]]]
    ) -> dict[int, RepositoryRecord]:
        ids = {as_text(data.get("node_id")): index for index, (_, data) in enumerate(pairs)}
        ids.pop("", None)
        if not ids:
            return {}
        query, aliases = github_graphql.details_query(prefetched_names(manifests=self.manifests))
        data = self._graphql_query(query, {"ids": list(ids)})
        nodes = data.get("nodes") if isinstance(data.get("nodes"), list) else []
        found: dict[str, tuple[dict[str, Any], list | None, dict[str, str | None]]] = {}
        for node_id, node in zip(ids, nodes, strict=False):
            if not isinstance(node, dict) or node.get("id") != node_id:
                continue  # refused or unknown: REST fetches this one
            entries = github_graphql.root_entries(node)
            texts = {
                name: github_graphql.blob_text(node.get(alias)) for alias, name in aliases.items()
            }
            found[node_id] = (node, entries, texts)
        self._read_missing(found)
        records: dict[int, RepositoryRecord] = {}
        for node_id, (node, entries, texts) in found.items():
            record = pairs[ids[node_id]][0]
            details = details_from(
                entries,
                texts,
                manifests=self.manifests,
                license_spdx=record.license_spdx,
                license_name=record.license_name,
                language=record.language,
                languages=github_graphql.language_shares(node),
            )
            records[ids[node_id]] = dataclasses.replace(record, details=details)
        return records

    def _read_missing(
        self, found: dict[str, tuple[dict[str, Any], list | None, dict[str, str | None]]]
    ) -> None:
        """Ask, in one more query, for the root files the first did not name (requirements-dev.txt,
        App.csproj, other spellings); a repository whose files it cannot give goes to REST."""
        wanted = {
            node_id: names
            for node_id, (_, entries, texts) in found.items()
            if entries and (names := missing_files(entries, texts, manifests=self.manifests))
        }
        if not wanted:
            return
        query, aliases = github_graphql.files_query(wanted)
        try:
            data = self._graphql_query(query, {})
        except GraphQLUnavailable:
            data = {}
        for repository, (node_id, files) in aliases.items():
            node = data.get(repository)
            if not isinstance(node, dict):
                del found[node_id]  # REST reads this one
                continue
            texts = found[node_id][2]
            texts.update(
                {name: github_graphql.blob_text(node.get(alias)) for alias, name in files.items()}
            )

    def _graphql_query(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """The query's data through PyGithub; a partial answer (errors beside data) gives what it
        has, anything else raises GraphQLUnavailable."""
        stats = self.adapter.stats
        stats.graphql_queries += 1
        try:
            _, answer = self.requester.graphql_query(query, variables)
        except GithubException as exc:
            # PyGithub raises on any error, even beside data: keep the data of a partial answer.
            answer = exc.data if isinstance(exc.data, dict) else {}
            if not isinstance(answer.get("data"), dict):
                raise GraphQLUnavailable(f"GraphQL refused (HTTP {exc.status})") from exc
        except (CrawlerError, requests.RequestException) as exc:
            raise GraphQLUnavailable(str(exc)) from exc
        data = answer.get("data") if isinstance(answer, dict) else None
        if not isinstance(data, dict):
            raise GraphQLUnavailable("GraphQL answered without data")
        stats.graphql_cost += github_graphql.cost(data)
        return data

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
