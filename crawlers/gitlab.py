"""GitLab (gitlab.com or any self-hosted instance) through python-gitlab: groups, users, instances."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

import gitlab
import httpx
import requests
from gitlab.exceptions import GitlabError
from gql.transport.exceptions import TransportError, TransportQueryError

from crawlers import gitlab_graphql
from crawlers.base import AccountNotFound, CrawlerError
from crawlers.client import (
    USER_AGENT,
    ForgeHttpClient,
    GraphQLUnavailable,
    account_error,
    first_object,
    root_entries,
)
from crawlers.graphql import details_from, missing_files, prefetched_names
from crawlers.http import HttpxBridge, forge_session
from crawlers.normalize import (
    as_int,
    as_mapping,
    as_text,
    gitlab_change_key,
    license_spdx,
    normalize_topics,
    parse_datetime,
    web_url,
)
from crawlers.publiccode import repository_details
from crawlers.records import AccountRecord, AccountRef, RepositoryDetails, RepositoryRecord

PER_PAGE = 100
# Stable order, public projects only (a token may see more), not projects merely shared with a group.
LIST_QUERY = {"per_page": PER_PAGE, "order_by": "id", "sort": "asc", "visibility": "public"}


class GitLabClient(ForgeHttpClient):
    """Groups (with every subgroup), users and whole instances of one GitLab server."""

    status_error = GitlabError

    def _connect(self, *, token: str | None, timeout: float) -> None:
        # Retries and rate limits are the adapter's business: python-gitlab must not sleep itself.
        session = forge_session(self.adapter)
        self.gitlab = gitlab.Gitlab(
            self.api_url,
            private_token=token or None,
            session=session,
            timeout=timeout,
            retry_transient_errors=False,
            user_agent=USER_AGENT,
        )
        # python-gitlab's GraphQL client speaks httpx: bridged onto the same session and adapter.
        self.graphql_client = gitlab.GraphQL(
            self.api_url,
            token=token or None,
            client=httpx.Client(transport=HttpxBridge(session), timeout=timeout),
            user_agent=USER_AGENT,
            max_retries=0,
            obey_rate_limit=False,
            retry_transient_errors=False,
        )

    def _latest_release(self, full_name: str) -> dict[str, Any] | None:
        path = f"/projects/{quote(full_name, safe='')}/releases"
        release = first_object(self.gitlab.http_get(path, query_data={"per_page": 1}))
        return None if release is None or release.get("upcoming_release") else release

    def _latest_tag(self, full_name: str) -> dict[str, Any] | None:
        path = f"/projects/{quote(full_name, safe='')}/repository/tags"
        return first_object(self.gitlab.http_get(path, query_data={"per_page": 1}))

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
        group = as_mapping(self.gitlab.http_get(f"/groups/{path}", {"with_projects": "false"}))
        query = LIST_QUERY | {"include_subgroups": "true", "with_shared": "false"}
        return _group_record(group), self._list(f"/groups/{path}/projects", query)

    def _list(self, path: str, query: dict[str, Any]) -> list[dict[str, Any]]:
        items: Iterable[Any] = self.gitlab.http_list(path, query, iterator=True)
        return [item for item in items if isinstance(item, dict)]

    def _record(self, data: dict[str, Any]) -> RepositoryRecord:
        full_name = as_text(data.get("path_with_namespace"))
        namespace = as_mapping(data.get("namespace"))
        return RepositoryRecord(
            forge_id=str(data["id"]),
            owner=as_text(namespace.get("full_path")) or full_name.rpartition("/")[0],
            name=as_text(data.get("path")) or full_name.rpartition("/")[2],
            full_name=full_name,
            html_url=web_url(data.get("web_url")),
            clone_url=web_url(data.get("http_url_to_repo")),
            description=as_text(data.get("description")),
            default_branch=as_text(data.get("default_branch")),
            topics=normalize_topics(data.get("topics") or data.get("tag_list")),
            stars=as_int(data.get("star_count")) or 0,
            forks=as_int(data.get("forks_count")) or 0,
            open_issues=as_int(data.get("open_issues_count"), None),
            is_fork=bool(data.get("forked_from_project")),
            is_archived=data.get("archived") is True,
            created_at=parse_datetime(data.get("created_at")),
            updated_at=parse_datetime(data.get("updated_at")),
            pushed_at=parse_datetime(data.get("last_activity_at")),
            change_key=gitlab_change_key(data),
        )

    def _detailed(self, record: RepositoryRecord, data: dict[str, Any]) -> RepositoryRecord:
        details = self._details(data)
        # GitLab lists neither language nor license: they come with the details.
        return dataclasses.replace(
            record,
            language=details.language,
            license_spdx=details.license_spdx,
            license_name=details.license_name,
            details=details,
        )

    def _project(self, data: dict[str, Any]) -> dict[str, Any] | None:
        """The project with its license (GitLab lists none); None when it is gone since."""
        # as_mapping inside the call: a JSON null is a project without fields, not a 404.
        return self._unless_status(
            (404,),
            lambda: as_mapping(
                self.gitlab.http_get(f"/projects/{data['id']}", {"license": "true"})
            ),
        )

    def _fields(self, full: dict[str, Any], languages: dict[str, float]) -> dict[str, Any]:
        """The details' license, languages and options, from the project and its languages."""
        license_ = as_mapping(full.get("license"))
        return {
            "license_spdx": license_spdx(
                as_text(license_.get("key")),
                as_text(license_.get("name")),
                as_text(license_.get("nickname")),
            ),
            "license_name": as_text(license_.get("name")),
            "language": max(languages, key=languages.__getitem__) if languages else "",
            "languages": languages,
            "manifests": self.manifests,
        }

    def _details(self, data: dict[str, Any], **extra: Any) -> RepositoryDetails:
        # GitLab lists no license or language to carry over (``extra``): the project gives them.
        project = f"/projects/{data['id']}"
        full = self._project(data)
        if full is None:
            return RepositoryDetails()  # deleted since it was listed: the next crawl will tell
        languages = {
            str(name): float(share)
            for name, share in as_mapping(self.gitlab.http_get(f"{project}/languages")).items()
            if isinstance(share, int | float)
        }
        extra = self._fields(full, languages)
        branch = as_text(full.get("default_branch") or data.get("default_branch"))
        if not branch or full.get("empty_repo") is True:
            return repository_details(None, **extra)
        entries = self._unless_status(
            (404,),
            lambda: root_entries(
                self.gitlab.http_get(
                    f"{project}/repository/tree", {"ref": branch, "per_page": PER_PAGE}
                ),
                folder_type="tree",
            ),
        )
        if entries is None:
            return repository_details(None, **extra)

        def read(name: str) -> bytes | None:
            path = f"{project}/repository/files/{quote(name, safe='')}/raw"
            response = self._unless_status(
                (404,), lambda: self.gitlab.http_get(path, {"ref": branch}, raw=True)
            )
            return response.content if isinstance(response, requests.Response) else None

        return repository_details(entries, read, **extra)

    # -- GraphQL details ---------------------------------------------------------------------------

    def _graphql_batch(
        self, pairs: list[tuple[RepositoryRecord, dict[str, Any]]]
    ) -> dict[int, RepositoryRecord]:
        ids = {gitlab_graphql.global_id(data["id"]): i for i, (_, data) in enumerate(pairs)}
        names = prefetched_names(manifests=self.manifests)
        found = {
            node["id"]: node
            for node in gitlab_graphql.nodes(
                self._graphql_query(gitlab_graphql.details_query(list(ids), names))
            )
            if node.get("id") in ids
        }
        listings = {key: gitlab_graphql.root_entries(node) for key, node in found.items()}
        texts = {key: gitlab_graphql.blob_texts(node) for key, node in found.items()}
        self._read_missing(listings, texts)
        records: dict[int, RepositoryRecord] = {}
        for key, node in found.items():
            if key not in texts:
                continue  # its other files could not be read: REST fetches this one
            record, data = pairs[ids[key]]
            full = self._project(data)  # the license: not in GitLab's GraphQL
            if full is None:
                details = RepositoryDetails()
            else:
                fields = self._fields(full, gitlab_graphql.languages(node))
                details = details_from(listings[key], texts[key], **fields)
            records[ids[key]] = dataclasses.replace(
                record,
                language=details.language,
                license_spdx=details.license_spdx,
                license_name=details.license_name,
                details=details,
            )
        return records

    def _read_missing(
        self,
        listings: dict[str, list[tuple[str, bool]] | None],
        texts: dict[str, dict[str, str | None]],
    ) -> None:
        """One more query for the root files the first did not name (requirements-dev.txt,
        App.csproj, other spellings); projects it cannot serve are dropped from ``texts``."""
        wanted = {
            key: names
            for key, entries in listings.items()
            if entries and (names := missing_files(entries, texts[key], manifests=self.manifests))
        }
        if not wanted:
            return
        names = sorted({name for found in wanted.values() for name in found})
        try:
            data = self._graphql_query(gitlab_graphql.files_query(list(wanted), names))
        except GraphQLUnavailable:
            data = {}
        answered = {node["id"]: node for node in gitlab_graphql.nodes(data)}
        for key, missing in wanted.items():
            if key not in answered:
                del texts[key]
                continue
            more = gitlab_graphql.blob_texts(answered[key])
            texts[key].update({name: more.get(name) for name in missing})

    def _graphql_query(self, query: str) -> dict[str, Any]:
        """The query's data through python-gitlab's GraphQL client; a partial answer gives what
        it has, anything else raises GraphQLUnavailable."""
        stats = self.adapter.stats
        stats.graphql_queries += 1
        try:
            data = self.graphql_client.execute(query)
        except TransportQueryError as exc:  # errors in the answer, maybe beside data
            data = exc.data
        except (GitlabError, TransportError, CrawlerError, requests.RequestException) as exc:
            raise GraphQLUnavailable(str(exc)) from exc
        if not isinstance(data, dict):
            raise GraphQLUnavailable("GraphQL answered without data")
        stats.graphql_cost += gitlab_graphql.complexity(data)
        return data

    def _status(self, exc: GitlabError) -> int | None:
        return getattr(exc, "response_code", None)

    def _error(self, exc: GitlabError, account: AccountRef) -> CrawlerError:
        where = f"{account.api_url} {account.kind} {account.login!r}"
        return account_error(
            where,
            self._status(exc),
            reason=exc.error_message,
            detail=f"{type(exc).__name__}: {exc.error_message}",
        )


def _group_record(data: dict[str, Any]) -> AccountRecord:
    return AccountRecord(
        login=as_text(data.get("full_path")),
        name=as_text(data.get("name")),
        description=as_text(data.get("description")),
        html_url=web_url(data.get("web_url")),
        avatar_url=web_url(data.get("avatar_url")),
        created_at=parse_datetime(data.get("created_at")),
    )


def _user_record(data: dict[str, Any]) -> AccountRecord:
    return AccountRecord(
        login=as_text(data.get("username")),
        name=as_text(data.get("name")),
        description=as_text(data.get("bio")),
        html_url=web_url(data.get("web_url")),
        website=web_url(data.get("website_url")),
        location=as_text(data.get("location")),
        email=as_text(data.get("public_email")),
        avatar_url=web_url(data.get("avatar_url")),
        created_at=parse_datetime(data.get("created_at")),
        followers=as_int(data.get("followers"), None),
    )
