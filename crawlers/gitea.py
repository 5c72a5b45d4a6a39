from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

from crawlers.base import CrawlerError, InvalidResponse
from crawlers.client import (
    USER_AGENT,
    ForgeHttpClient,
    account_error,
    first_object,
    github_style_record,
    root_entries,
)
from crawlers.http import forge_session, next_link
from crawlers.normalize import (
    as_int,
    as_mapping,
    as_text,
    gitea_change_key,
    license_spdx,
    parse_datetime,
    web_url,
)
from crawlers.publiccode import repository_details
from crawlers.records import AccountRecord, AccountRef, RepositoryDetails, RepositoryRecord

# Gitea caps pages at its MAX_RESPONSE_ITEMS (50 by default): ask for more, follow the Link header.
PER_PAGE = 100


class HttpStatusError(Exception):
    """A 4xx answer the Gitea client decides about (404 on an account, on a file...)."""

    def __init__(self, response: requests.Response) -> None:
        super().__init__(f"HTTP {response.status_code} from {response.url}")
        self.status = response.status_code
        self.url = response.url


class GiteaClient(ForgeHttpClient):
    """Organisations, users and whole instances of one Gitea, Forgejo or Gogs server."""

    status_error = HttpStatusError

    def __init__(self, *, gogs: bool = False, **options: Any) -> None:
        """``options``: those of :class:`ForgeHttpClient`."""
        self.gogs = gogs
        super().__init__(**options)

    def _connect(self, *, token: str | None, timeout: float) -> None:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"token {token}"
        self.session = forge_session(self.adapter, headers)

    def _get(self, url: str, params: dict[str, Any] | None = None) -> requests.Response:
        if not url.startswith(("http://", "https://")):
            url = f"{self.api_url}{url}"
        response = self.session.get(url, params=params)
        if response.status_code >= 400:
            raise HttpStatusError(response)
        return response

    def _latest_release(self, full_name: str) -> dict[str, Any] | None:
        query = {"limit": 1, "draft": "false", "pre-release": "false"}
        releases = self._get(f"/repos/{quote(full_name, safe='/')}/releases", query).json()
        release = first_object(releases)
        # Servers older than Gitea 1.17 ignore the filters.
        return (
            None
            if release is None or release.get("prerelease") or release.get("draft")
            else release
        )

    def _latest_tag(self, full_name: str) -> dict[str, Any] | None:
        return first_object(
            self._get(f"/repos/{quote(full_name, safe='/')}/tags", {"limit": 1}).json()
        )

    def _listing(self, account: AccountRef) -> tuple[AccountRecord | None, list[dict[str, Any]]]:
        if account.kind == "instance":
            return None, self._list("/repos/search", {"sort": "id", "order": "asc"})
        login = quote(account.login, safe="")
        if account.kind != "user":
            org = self._unless_status((404,), lambda: self._get(f"/orgs/{login}"))
            if org is not None:
                profile = as_mapping(org.json())
                return _account_record(profile), self._list(f"/orgs/{login}/repos", {})
        # A user, or an account registered as an organisation that is a user on the forge.
        profile = as_mapping(self._get(f"/users/{login}").json())
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

    def _record(self, data: dict[str, Any]) -> RepositoryRecord:
        licenses = data.get("licenses") if isinstance(data.get("licenses"), list) else []
        names = [as_text(name) for name in licenses]
        updated_at = parse_datetime(data.get("updated_at"))
        return github_style_record(
            data,
            license_spdx=license_spdx(*names),
            license_name=names[0] if names else "",
            stars=as_int(data.get("stars_count")) or 0,
            subscribers=as_int(data.get("watchers_count"), None),
            is_template=data.get("template") is True,
            homepage=web_url(data.get("website")),
            updated_at=updated_at,
            # Gitea has no pushed_at; its updated_at moves on every push.
            pushed_at=updated_at,
            change_key=gitea_change_key(data),
        )

    def _details(self, data: dict[str, Any], **extra: Any) -> RepositoryDetails:
        repo = "/".join(quote(part, safe="") for part in as_text(data["full_name"]).split("/"))
        branch = as_text(data.get("default_branch"))
        if data.get("empty") is True or not branch:
            return repository_details(None, **extra)
        listing = self._unless_status(
            (403, 404, 409), lambda: self._get(f"/repos/{repo}/contents", {"ref": branch})
        )
        if listing is None:
            return repository_details(None, **extra)

        def read(name: str) -> bytes | None:
            if self.gogs:  # Gogs names the branch in the path
                url, params = f"/repos/{repo}/raw/{quote(branch)}/{quote(name)}", None
            else:
                url, params = f"/repos/{repo}/raw/{quote(name)}", {"ref": branch}
            response = self._unless_status((403, 404), lambda: self._get(url, params))
            return None if response is None else response.content

        entries = root_entries(listing.json(), folder_type="dir")
        return repository_details(entries, read, **extra)

    def _status(self, exc: HttpStatusError) -> int | None:
        return exc.status

    def _error(self, exc: HttpStatusError, account: AccountRef) -> CrawlerError:
        where = f"{account.api_url} account {account.login!r}"
        return account_error(where, exc.status, detail=str(exc), url=exc.url)


def _account_record(data: dict[str, Any]) -> AccountRecord:
    return AccountRecord(
        login=as_text(data.get("username")) or as_text(data.get("login")),
        name=as_text(data.get("full_name")),
        description=as_text(data.get("description")),
        html_url=web_url(data.get("html_url")),
        website=web_url(data.get("website")),
        location=as_text(data.get("location")),
        email=as_text(data.get("email")),
        avatar_url=web_url(data.get("avatar_url")),
        created_at=parse_datetime(data.get("created")),
        followers=as_int(data.get("followers_count"), None),
    )
