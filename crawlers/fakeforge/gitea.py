"""Gitea / Forgejo / Gogs REST v1: organisations, users, repositories, search, contents, raw files."""

from __future__ import annotations

from typing import Any

from crawlers.fakeforge.common import (
    Entry,
    Request,
    Response,
    Router,
    file_entry,
    get_contents,
    get_language_bytes,
    get_repository,
    int_param,
    is_real_spdx,
    json_response,
    link_header,
    neighbour_pages,
    page_slice,
    raw_response,
    repository_at,
    served_fields,
    sort_repositories,
)
from crawlers.fakeforge.github import rate_headers
from crawlers.fakeforge.releases import (
    gitea_tag_json,
    github_style_release_json,
    page_of,
    published_releases,
    tags_response,
)
from crawlers.fakeforge.state import Account, RateWindow

PREFIX = "api/v1"
MAX_LIMIT = 50
router = Router()


def not_found() -> Response:
    return json_response({"errors": [], "message": "The target couldn't be found.", "url": ""}, 404)


def unauthorized() -> Response:
    return json_response({"message": "token is required", "url": ""}, 401)


def rate_limited(window: RateWindow, reset: int) -> Response:
    response = json_response({"message": "rate limit exceeded", "url": ""}, 403)
    response.headers.update(rate_headers(window, remaining=0, reset=reset))
    return response


def secondary_rate_limited(window: RateWindow, retry_after: int) -> Response:
    response = json_response({"message": "too many requests", "url": ""}, 429)
    response.headers.update(rate_headers(window) | {"Retry-After": str(retry_after)})
    return response


def _owner_json(request: Request, account: Account) -> dict[str, Any]:
    return {
        "id": account.id,
        "login": account.login,
        "login_name": "",
        "full_name": account.name,
        "email": account.email,
        "avatar_url": f"https://{request.host}/avatars/{account.id}",
        "html_url": f"https://{request.host}/{account.login}",
        "language": "",
        "is_admin": False,
        "created": account.created_at,
        "restricted": False,
        "active": True,
        "prohibit_login": False,
        "location": account.location,
        "website": account.website,
        "description": account.description,
        "visibility": "public",
        "followers_count": account.followers,
        "following_count": 0,
        "starred_repos_count": 0,
        "username": account.login,
    }


def repository_json(request: Request, repo: dict[str, Any]) -> dict[str, Any]:
    owner = request.state.account(request.host, repo["owner"])
    full_name = f"{repo['owner']}/{repo['path']}"
    web = f"https://{request.host}/{full_name}"
    api = f"{request.api_base(PREFIX)}/repos/{full_name}"
    return {
        "id": repo["id"],
        "owner": _owner_json(request, owner) if owner else None,
        "name": repo["path"],
        "full_name": full_name,
        "description": repo["description"],
        "empty": False,
        "private": False,
        "fork": repo["fork"],
        "template": repo["template"],
        "parent": None,
        "mirror": False,
        "size": 0,
        "language": repo["language"],
        "languages_url": f"{api}/languages",
        "html_url": web,
        "url": api,
        "link": "",
        "ssh_url": f"git@{request.host}:{full_name}.git",
        "clone_url": f"{web}.git",
        "original_url": "",
        "website": repo["homepage"],
        "stars_count": repo["stars"],
        "forks_count": repo["forks"],
        "watchers_count": repo["subscribers"],
        "open_issues_count": repo["open_issues"],
        "open_pr_counter": 0,
        "release_counter": 0,
        "default_branch": repo["default_branch"],
        "archived": repo["archived"],
        "created_at": repo["created_at"],
        "updated_at": max(repo["updated_at"], repo["pushed_at"]),
        "has_issues": True,
        "internal": False,
        "topics": list(repo["topics"]),
        "licenses": [repo["license"]["spdx_id"]] if is_real_spdx(repo["license"]) else [],
    } | served_fields(repo)


def _paged(request: Request, repos: list[dict[str, Any]], *, wrap: bool = False) -> Response:
    limit = int_param(request.query, "limit", 30, maximum=MAX_LIMIT)
    page = int_param(request.query, "page", 1)
    chunk, last = page_slice(repos, page, limit)
    headers = {"X-Total-Count": str(len(repos))}
    rels = neighbour_pages(page, last)
    if rels:
        headers["Link"] = link_header(request, rels)
    data = [repository_json(request, r) for r in chunk]
    return json_response({"ok": True, "data": data} if wrap else data, headers=headers)


def _account(request: Request, login: str, *, org: bool) -> Account | None:
    account = request.state.account(request.host, login)
    if account is None or (org and account.kind == "user"):
        return None
    return account


@router.route("api/v1/version")
def get_version(request: Request) -> Response:
    return json_response({"version": "1.22.0+fakeforge"})


@router.route("api/v1/orgs/{login}")
def get_org(request: Request, login: str) -> Response | None:
    account = _account(request, login, org=True)
    if account is None:
        return None
    data = _owner_json(request, account) | {
        "name": account.login,
        "repo_admin_change_team_access": False,
    }
    return json_response(data)


@router.route("api/v1/users/{login}")
def get_user(request: Request, login: str) -> Response | None:
    account = _account(request, login, org=False)
    return None if account is None else json_response(_owner_json(request, account))


@router.route("api/v1/orgs/{login}/repos", org=True)
@router.route("api/v1/users/{login}/repos", org=False)
def list_owned_repos(request: Request, login: str, *, org: bool) -> Response | None:
    account = _account(request, login, org=org)
    if account is None:
        return None
    return _paged(request, request.state.owned_repositories(request.host, account.login))


@router.route("api/v1/repos/search")
def search_repos(request: Request) -> Response:
    field = {
        "alpha": "full_name",
        "created": "created_at",
        "updated": "updated_at",
        "id": "id",
    }.get(request.query.get("sort", "alpha"), "full_name")
    repos = sort_repositories(
        request.state.visible_repositories(request.host),
        field,
        descending=request.query.get("order", "asc") == "desc",
    )
    return _paged(request, repos, wrap=True)


router.route("api/v1/repos/{owner}/{name}", render=repository_json)(get_repository)
router.route("api/v1/repos/{owner}/{name}/languages")(get_language_bytes)


def _content_json(request: Request, repo: dict[str, Any], entry: Entry) -> dict[str, Any]:
    full_name = f"{repo['owner']}/{repo['path']}"
    api = f"{request.api_base(PREFIX)}/repos/{full_name}"
    branch = repo["default_branch"]
    html = f"https://{request.host}/{full_name}/src/branch/{branch}/{entry.path}"
    return {
        "name": entry.name,
        "path": entry.path,
        "sha": entry.sha,
        "last_commit_sha": entry.sha,
        "type": "dir" if entry.is_dir else "file",
        "size": len(entry.content),
        "encoding": None,
        "content": None,
        "target": None,
        "url": f"{api}/contents/{entry.path}?ref={branch}",
        "html_url": html,
        "git_url": f"{api}/git/blobs/{entry.sha}",
        "download_url": None
        if entry.is_dir
        else f"https://{request.host}/{full_name}/raw/branch/{branch}/{entry.path}",
        "submodule_git_url": None,
        "_links": {"self": f"{api}/contents/{entry.path}?ref={branch}", "html": html},
    }


router.route(
    "api/v1/repos/{owner}/{name}/contents/{path*}", render=_content_json, base64_lines=False
)(get_contents)


@router.route("api/v1/repos/{owner}/{name}/raw/{path*}")
def get_raw(request: Request, owner: str, name: str, path: str) -> Response | None:
    repo = repository_at(request, owner, name)
    entry = None if repo is None else file_entry(repo, path)
    if entry is None or entry.is_dir:
        return None
    return raw_response(entry.content)


@router.route("api/v1/repos/{owner}/{name}/releases")
def list_releases(request: Request, owner: str, name: str) -> Response | None:
    """Releases newest first; ``draft=false`` and ``pre-release=false`` filter as Gitea does."""
    repo = repository_at(request, owner, name)
    if repo is None:
        return None
    prereleases = request.query.get("pre-release", "").lower() != "false"
    releases = page_of(
        request, published_releases(repo, prereleases=prereleases), size_param="limit", default=30
    )
    return json_response([github_style_release_json(request, repo, r) for r in releases])


@router.route("api/v1/repos/{owner}/{name}/tags")
def list_tags(request: Request, owner: str, name: str) -> Response | None:
    return tags_response(
        request, repository_at(request, owner, name), gitea_tag_json, size_param="limit", default=30
    )
