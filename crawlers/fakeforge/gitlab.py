"""GitLab REST v4 as python-gitlab reads it: groups, users, projects, licenses, languages, files."""

from __future__ import annotations

import email.utils
import math
import time
from collections.abc import Callable
from typing import Any

from crawlers.fakeforge.common import (
    Entry,
    Request,
    Response,
    Router,
    bool_param,
    file_entry,
    folder_listing,
    int_param,
    json_response,
    language_shares,
    link_header,
    neighbour_pages,
    page_slice,
    raw_response,
    served_fields,
    sort_repositories,
    validate_id,
)
from crawlers.fakeforge.releases import (
    gitlab_release_json,
    gitlab_tag_json,
    page_of,
    published_releases,
    tags_response,
)
from crawlers.fakeforge.state import Account, RateWindow

PREFIX = "api/v4"
Render = Callable[[Request, Any], dict[str, Any]]
router = Router()

_NICKNAMES = {
    "agpl-3.0": "GNU AGPLv3",
    "gpl-3.0": "GNU GPLv3",
    "gpl-2.0": "GNU GPLv2",
    "lgpl-3.0": "GNU LGPLv3",
    "lgpl-2.1": "GNU LGPLv2.1",
}
_ORDERS = {
    "id": "id",
    "name": "name",
    "path": "path",
    "created_at": "created_at",
    "updated_at": "updated_at",
    "last_activity_at": "last_activity_at",
    "star_count": "stars",
}


def not_found() -> Response:
    return json_response({"message": "404 Not found"}, 404)


def unauthorized() -> Response:
    return json_response({"message": "401 Unauthorized"}, 401)


def rate_headers(
    window: RateWindow, *, remaining: int | None = None, reset: int | None = None
) -> dict[str, str]:
    reset = window.reset if reset is None else reset
    return {
        "RateLimit-Limit": str(window.limit),
        "RateLimit-Observed": str(window.used),
        "RateLimit-Remaining": str(window.remaining if remaining is None else remaining),
        "RateLimit-Reset": str(reset),
        "RateLimit-ResetTime": email.utils.formatdate(reset, usegmt=True),
    }


def rate_limited(window: RateWindow, reset: int) -> Response:
    """GitLab answers every throttled request with 429 (never 403), saying when to come back."""
    response = Response(status=429, body=b"Retry later\n", content_type="text/plain")
    retry_after = max(0, reset - math.ceil(time.time()))
    response.headers.update(rate_headers(window, remaining=0, reset=reset))
    response.headers["Retry-After"] = str(retry_after)
    return response


def secondary_rate_limited(window: RateWindow, retry_after: int) -> Response:
    response = Response(status=429, body=b"Retry later\n", content_type="text/plain")
    response.headers.update(rate_headers(window) | {"Retry-After": str(retry_after)})
    return response


def _group_json(request: Request, group: Account) -> dict[str, Any]:
    parent = request.state.account(request.host, group.parent_path) if group.parent_path else None
    return {
        "id": group.id,
        "web_url": f"https://{request.host}/groups/{group.login}",
        "name": group.name,
        "path": group.login.rpartition("/")[2],
        "description": group.description,
        "visibility": "public",
        "full_name": " / ".join(group.login.split("/")),
        "full_path": group.login,
        "parent_id": parent.id if parent else None,
        "avatar_url": None,
        "created_at": group.created_at,
    }


def _user_json(request: Request, user: Account) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.login,
        "name": user.name,
        "state": "active",
        "locked": False,
        "avatar_url": None,
        "web_url": f"https://{request.host}/{user.login}",
        "created_at": user.created_at,
        "bio": user.description,
        "location": user.location,
        "public_email": user.email,
        "website_url": user.website,
        "organization": "",
    }


def _namespace_json(request: Request, repo: dict[str, Any]) -> dict[str, Any]:
    owner = request.state.account(request.host, repo["owner"])
    kind = "user" if owner and owner.kind == "user" else "group"
    parent = (
        request.state.account(request.host, owner.parent_path)
        if owner and owner.parent_path
        else None
    )
    return {
        "id": owner.id if owner else None,
        "name": owner.name if owner else repo["owner"],
        "path": repo["owner"].rpartition("/")[2],
        "kind": kind,
        "full_path": repo["owner"],
        "parent_id": parent.id if parent else None,
        "avatar_url": None,
        "web_url": f"https://{request.host}/{'' if kind == 'user' else 'groups/'}{repo['owner']}",
    }


def _last_activity(repo: dict[str, Any]) -> str:
    return max(repo["updated_at"], repo["pushed_at"])


def project_json(request: Request, repo: dict[str, Any]) -> dict[str, Any]:
    """A project as ``GET /projects`` lists it: no license and no language (GitLab never lists them)."""
    full_path = f"{repo['owner']}/{repo['path']}"
    web = f"https://{request.host}/{full_path}"
    api = f"{request.api_base(PREFIX)}/projects/{repo['id']}"
    namespace = _namespace_json(request, repo)
    data: dict[str, Any] = {
        "id": repo["id"],
        "description": repo["description"] or None,
        "name": repo["name"],
        "name_with_namespace": f"{namespace['name']} / {repo['name']}",
        "path": repo["path"],
        "path_with_namespace": full_path,
        "created_at": repo["created_at"],
        "updated_at": repo["updated_at"],
        "default_branch": repo["default_branch"],
        "tag_list": list(repo["topics"]),
        "topics": list(repo["topics"]),
        "ssh_url_to_repo": f"git@{request.host}:{full_path}.git",
        "http_url_to_repo": f"{web}.git",
        "web_url": web,
        "readme_url": None,
        "forks_count": repo["forks"],
        "avatar_url": None,
        "star_count": repo["stars"],
        "last_activity_at": _last_activity(repo),
        "namespace": namespace,
        "visibility": "public",
        "archived": repo["archived"],
        "empty_repo": False,
        "open_issues_count": repo["open_issues"],
        "issues_enabled": True,
        "_links": {
            "self": api,
            "issues": f"{api}/issues",
            "repo_branches": f"{api}/repository/branches",
        },
    }
    if repo["fork"]:
        upstream = repo.get("forked_from") or f"upstream/{repo['path']}"
        data["forked_from_project"] = {
            "id": repo.get("forked_from_id") or repo["id"] + 1_000_000_000,
            "name": upstream.rpartition("/")[2],
            "path": upstream.rpartition("/")[2],
            "path_with_namespace": upstream,
            "web_url": f"https://{request.host}/{upstream}",
        }
    return data | served_fields(repo)


def _project(request: Request, id_or_path: str) -> dict[str, Any] | None:
    number = validate_id(id_or_path)
    if number is not None:
        return request.state.repository(request.host, number)
    return request.state.repository_by_path(request.host, id_or_path)


def _group(request: Request, id_or_path: str) -> Account | None:
    number = validate_id(id_or_path)
    if number is not None:
        account = request.state.account_by_id(request.host, number)
    else:
        account = request.state.account(request.host, id_or_path)
    return account if account and account.kind == "group" else None


def _user(request: Request, id_text: str) -> Account | None:
    number = validate_id(id_text)
    account = None if number is None else request.state.account_by_id(request.host, number)
    if account is None:
        account = request.state.account(request.host, id_text)
    return account if account and account.kind == "user" else None


def _paged(request: Request, items: list[Any], render: Render) -> Response:
    """Offset paging with GitLab's headers, or keyset paging on id (``pagination=keyset``)."""
    per_page = int_param(request.query, "per_page", 20, maximum=100)
    if request.query.get("pagination") == "keyset":
        return _keyset_paged(request, items, per_page, render)
    page = int_param(request.query, "page", 1)
    chunk, last = page_slice(items, page, per_page)
    rels = neighbour_pages(page, last)
    headers = {
        "Link": link_header(request, rels | {"first": 1, "last": last}),
        "X-Page": str(page),
        "X-Per-Page": str(per_page),
        "X-Next-Page": str(rels["next"]) if "next" in rels else "",
        "X-Prev-Page": str(rels["prev"]) if "prev" in rels else "",
        "X-Total": str(len(items)),
        "X-Total-Pages": str(last),
    }
    return json_response([render(request, item) for item in chunk], headers=headers)


def _item_id(item: dict[str, Any] | Account) -> int:
    return item.id if isinstance(item, Account) else item["id"]


def _keyset_paged(request: Request, items: list[Any], per_page: int, render: Render) -> Response:
    descending = request.query.get("sort", "asc") == "desc"
    items = sorted(items, key=_item_id, reverse=descending)
    if descending and validate_id(request.query.get("id_before", "")) is not None:
        bound = int(request.query["id_before"])
        items = [r for r in items if _item_id(r) < bound]
    elif not descending and validate_id(request.query.get("id_after", "")) is not None:
        bound = int(request.query["id_after"])
        items = [r for r in items if _item_id(r) > bound]
    chunk = items[:per_page]
    headers = {"X-Per-Page": str(per_page)}
    if len(items) > per_page:
        cursor = "id_before" if descending else "id_after"
        headers["Link"] = f'<{request.url_with(**{cursor: _item_id(chunk[-1])})}>; rel="next"'
    return json_response([render(request, item) for item in chunk], headers=headers)


def _project_list(request: Request, repos: list[dict[str, Any]]) -> Response:
    archived = bool_param(request.query, "archived")
    if archived is not None:
        repos = [r for r in repos if r["archived"] == archived]
    order = _ORDERS.get(request.query.get("order_by", "created_at"), "created_at")
    if order == "last_activity_at":
        repos = sorted(repos, key=lambda r: (_last_activity(r), r["id"]))
        if request.query.get("sort", "desc") == "desc":
            repos.reverse()
    else:
        repos = sort_repositories(
            repos, order, descending=request.query.get("sort", "desc") == "desc"
        )
    return _paged(request, repos, project_json)


@router.route("api/v4/version")
def get_version(request: Request) -> Response:
    return json_response({"version": "17.5.0", "revision": "fakeforge"})


@router.route("api/v4/groups/{group}")
def get_group(request: Request, group: str) -> Response | None:
    account = _group(request, group)
    return None if account is None else json_response(_group_json(request, account))


@router.route("api/v4/groups/{group}/projects")
def list_group_projects(request: Request, group: str) -> Response | None:
    account = _group(request, group)
    if account is None:
        return None
    subgroups = bool_param(request.query, "include_subgroups") is True
    repos = request.state.owned_repositories(request.host, account.login, subgroups=subgroups)
    return _project_list(request, repos)


@router.route("api/v4/groups/{group}/subgroups", descendants=False)
@router.route("api/v4/groups/{group}/descendant_groups", descendants=True)
def list_subgroups(request: Request, group: str, *, descendants: bool) -> Response | None:
    account = _group(request, group)
    if account is None:
        return None
    return _paged(request, request.state.subgroups(account, descendants=descendants), _group_json)


@router.route("api/v4/users")
def list_users(request: Request) -> Response:
    username = request.query.get("username", "")
    account = request.state.account(request.host, username) if username else None
    users = [account] if account and account.kind == "user" else []
    return _paged(request, users, _user_json)


@router.route("api/v4/users/{user}")
def get_user(request: Request, user: str) -> Response | None:
    account = _user(request, user)
    return None if account is None else json_response(_user_json(request, account))


@router.route("api/v4/users/{user}/projects")
def list_user_projects(request: Request, user: str) -> Response | None:
    account = _user(request, user)
    if account is None:
        return None
    return _project_list(request, request.state.owned_repositories(request.host, account.login))


@router.route("api/v4/projects")
def list_projects(request: Request) -> Response:
    return _project_list(request, request.state.visible_repositories(request.host))


@router.route("api/v4/projects/{project}")
def get_project(request: Request, project: str) -> Response | None:
    repo = _project(request, project)
    if repo is None:
        return None
    data = project_json(request, repo)
    if bool_param(request.query, "license"):
        data["license_url"] = None
        data["license"] = None
        license_ = repo["license"]
        if license_:
            key = license_.get("key") or (license_.get("spdx_id") or "other").lower()
            data["license_url"] = f"{data['web_url']}/-/blob/{repo['default_branch']}/LICENSE"
            data["license"] = {
                "key": key,
                "name": license_.get("name") or "Other",
                "nickname": _NICKNAMES.get(key),
                "html_url": f"https://opensource.org/licenses/{license_.get('spdx_id', key)}",
                "source_url": None,
            }
    return json_response(data)


@router.route("api/v4/projects/{project}/languages")
def get_languages(request: Request, project: str) -> Response | None:
    repo = _project(request, project)
    if repo is None:
        return None
    return json_response({lang: float(share) for lang, share in language_shares(repo).items()})


def _tree_item(request: Request, entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.sha,
        "name": entry.name,
        "type": "tree" if entry.is_dir else "blob",
        "path": entry.path,
        "mode": "040000" if entry.is_dir else "100644",
    }


@router.route("api/v4/projects/{project}/repository/tree")
def get_tree(request: Request, project: str) -> Response | None:
    repo = _project(request, project)
    if repo is None:
        return None
    listing = folder_listing(repo, request.query.get("path", ""))
    if listing is None:
        return None
    return _paged(request, listing, _tree_item)


@router.route("api/v4/projects/{project}/repository/files/{path}")
def get_file(request: Request, project: str, path: str) -> Response | None:
    repo = _project(request, project)
    entry = None if repo is None else file_entry(repo, path)
    if entry is None or entry.is_dir:
        return None
    ref = request.query.get("ref", repo["default_branch"])
    return json_response(
        {
            "file_name": entry.name,
            "file_path": entry.path,
            "size": len(entry.content),
            "encoding": "base64",
            "content": entry.base64.replace("\n", ""),
            "ref": ref,
            "blob_id": entry.sha,
        }
    )


@router.route("api/v4/projects/{project}/repository/files/{path}/raw")
def get_raw_file(request: Request, project: str, path: str) -> Response | None:
    repo = _project(request, project)
    entry = None if repo is None else file_entry(repo, path)
    if entry is None or entry.is_dir:
        return None
    return raw_response(entry.content)


@router.route("api/v4/projects/{project}/releases")
def list_releases(request: Request, project: str) -> Response | None:
    """Releases by ``released_at``, newest first (GitLab's default order)."""
    repo = _project(request, project)
    if repo is None:
        return None
    releases = page_of(request, published_releases(repo), size_param="per_page", default=20)
    return json_response([gitlab_release_json(request, repo, r) for r in releases])


@router.route("api/v4/projects/{project}/repository/tags")
def list_tags(request: Request, project: str) -> Response | None:
    return tags_response(
        request, _project(request, project), gitlab_tag_json, size_param="per_page", default=20
    )
