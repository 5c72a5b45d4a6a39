"""GitHub REST v3 as PyGithub reads it: organisations, users, repositories, contents, languages."""

from __future__ import annotations

import base64
from typing import Any

from crawlers.fakeforge.common import (
    Entry,
    Request,
    Response,
    Router,
    account_type,
    get_contents,
    get_language_bytes,
    get_repository,
    int_param,
    json_response,
    link_header,
    neighbour_pages,
    page_slice,
    repository_at,
    served_fields,
    sort_repositories,
)
from crawlers.fakeforge.releases import (
    github_style_release_json,
    github_tag_json,
    published_releases,
    tags_response,
)
from crawlers.fakeforge.state import Account, RateWindow

PREFIX = "api/v3"
DOCS = "https://docs.github.com/rest"
router = Router()


def not_found() -> Response:
    return json_response({"message": "Not Found", "documentation_url": DOCS, "status": "404"}, 404)


def unauthorized() -> Response:
    return json_response(
        {"message": "Bad credentials", "documentation_url": DOCS, "status": "401"}, 401
    )


def rate_headers(
    window: RateWindow, *, remaining: int | None = None, reset: int | None = None
) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(window.limit),
        "X-RateLimit-Remaining": str(window.remaining if remaining is None else remaining),
        "X-RateLimit-Reset": str(window.reset if reset is None else reset),
        "X-RateLimit-Used": str(window.used),
        "X-RateLimit-Resource": "core",
    }


def rate_limited(window: RateWindow, reset: int) -> Response:
    return _forbidden(
        "API rate limit exceeded for 127.0.0.1. (But here's the good news: "
        "Authenticated requests get a higher rate limit.)",
        rate_headers(window, remaining=0, reset=reset),
    )


def secondary_rate_limited(window: RateWindow, retry_after: int) -> Response:
    return _forbidden(
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        rate_headers(window) | {"Retry-After": str(retry_after)},
    )


def _forbidden(message: str, headers: dict[str, str]) -> Response:
    """GitHub's 403 for both of its rate limits."""
    response = json_response({"message": message, "documentation_url": DOCS}, 403)
    response.headers.update(headers)
    return response


def _node_id(kind: str, number: int) -> str:
    return base64.b64encode(f"0{len(kind)}:{kind}{number}".encode()).decode()


def _owner_json(request: Request, account: Account) -> dict[str, Any]:
    api = request.api_base(PREFIX)
    return {
        "login": account.login,
        "id": account.id,
        "node_id": _node_id(account_type(account), account.id),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{account.id}?v=4",
        "url": f"{api}/users/{account.login}",
        "html_url": f"https://{request.host}/{account.login}",
        "repos_url": f"{api}/users/{account.login}/repos",
        "type": account_type(account),
        "site_admin": False,
    }


def _license_json(request: Request, license_: dict[str, Any] | None) -> dict[str, Any] | None:
    if not license_:
        return None
    key = license_.get("key") or (license_.get("spdx_id") or "other").lower()
    return {
        "key": key,
        "name": license_.get("name") or license_.get("spdx_id") or "Other",
        "spdx_id": license_.get("spdx_id") or "NOASSERTION",
        "url": None if key == "other" else f"{request.api_base(PREFIX)}/licenses/{key}",
        "node_id": _node_id("License", sum(key.encode())),
    }


def repository_json(request: Request, repo: dict[str, Any]) -> dict[str, Any]:
    owner = request.state.account(request.host, repo["owner"])
    full_name = f"{repo['owner']}/{repo['path']}"
    api = f"{request.api_base(PREFIX)}/repos/{full_name}"
    web = f"https://{request.host}/{full_name}"
    return {
        "id": repo["id"],
        "node_id": _node_id("Repository", repo["id"]),
        "name": repo["path"],
        "full_name": full_name,
        "private": False,
        "owner": _owner_json(request, owner) if owner else None,
        "html_url": web,
        "description": repo["description"] or None,
        "fork": repo["fork"],
        "url": api,
        "contents_url": f"{api}/contents/{{+path}}",
        "languages_url": f"{api}/languages",
        "git_url": f"git://{request.host}/{full_name}.git",
        "ssh_url": f"git@{request.host}:{full_name}.git",
        "clone_url": f"{web}.git",
        "svn_url": web,
        "homepage": repo["homepage"] or None,
        "size": 0,
        "stargazers_count": repo["stars"],
        "watchers_count": repo["stars"],
        "subscribers_count": repo["subscribers"],
        "language": repo["language"] or None,
        "has_issues": True,
        "forks_count": repo["forks"],
        "archived": repo["archived"],
        "disabled": False,
        "open_issues_count": repo["open_issues"],
        "license": _license_json(request, repo["license"]),
        "allow_forking": True,
        "is_template": repo["template"],
        "topics": list(repo["topics"]),
        "visibility": "public",
        "forks": repo["forks"],
        "open_issues": repo["open_issues"],
        "watchers": repo["stars"],
        "default_branch": repo["default_branch"],
        "created_at": repo["created_at"],
        "updated_at": repo["updated_at"],
        "pushed_at": repo["pushed_at"],
    } | served_fields(repo)


def _account_json(request: Request, account: Account, *, as_org: bool) -> dict[str, Any]:
    api = request.api_base(PREFIX)
    public_repos = len(request.state.owned_repositories(request.host, account.login))
    data = _owner_json(request, account) | {
        "name": account.name or None,
        "company": None,
        "blog": account.website,
        "location": account.location or None,
        "email": account.email or None,
        "bio": account.description or None,
        "public_repos": public_repos,
        "public_gists": 0,
        "followers": account.followers,
        "following": 0,
        "created_at": account.created_at,
        "updated_at": account.created_at,
    }
    if as_org:
        data |= {
            "url": f"{api}/orgs/{account.login}",
            "repos_url": f"{api}/orgs/{account.login}/repos",
            "description": account.description or None,
            "is_verified": False,
            "has_organization_projects": True,
        }
    return data


@router.route("api/v3/orgs/{login}", as_org=True)
@router.route("api/v3/users/{login}", as_org=False)
def get_account(request: Request, login: str, *, as_org: bool) -> Response | None:
    account = request.state.account(request.host, login)
    if account is None or (as_org and account.kind == "user"):
        return None
    return json_response(_account_json(request, account, as_org=as_org))


# GitHub sorts an organisation's repositories by creation date, a user's by name.
@router.route("api/v3/orgs/{login}/repos", org=True, default_sort="created")
@router.route("api/v3/users/{login}/repos", org=False, default_sort="full_name")
def list_owned_repos(
    request: Request, login: str, *, org: bool, default_sort: str
) -> Response | None:
    account = request.state.account(request.host, login)
    if account is None or (org and account.kind == "user"):
        return None
    repos = request.state.owned_repositories(request.host, account.login)
    kind = request.query.get("type", "all")
    if kind == "forks":
        repos = [r for r in repos if r["fork"]]
    elif kind == "sources":
        repos = [r for r in repos if not r["fork"]]
    sort = request.query.get("sort", default_sort)
    if sort not in ("created", "updated", "pushed", "full_name"):
        sort = default_sort
    direction = request.query.get("direction", "asc" if sort == "full_name" else "desc")
    field = {"created": "created_at", "updated": "updated_at", "pushed": "pushed_at"}.get(
        sort, sort
    )
    repos = sort_repositories(repos, field, descending=direction == "desc")
    per_page = int_param(request.query, "per_page", 30, maximum=100)
    page = int_param(request.query, "page", 1)
    items, last = page_slice(repos, page, per_page)
    headers = {}
    if last > 1:
        headers["Link"] = link_header(request, neighbour_pages(page, last))
    return json_response([repository_json(request, r) for r in items], headers=headers)


router.route("api/v3/repos/{owner}/{name}", render=repository_json)(get_repository)
router.route("api/v3/repos/{owner}/{name}/languages")(get_language_bytes)


def _content_json(request: Request, repo: dict[str, Any], entry: Entry) -> dict[str, Any]:
    full_name = f"{repo['owner']}/{repo['path']}"
    api = f"{request.api_base(PREFIX)}/repos/{full_name}"
    branch = repo["default_branch"]
    kind = "dir" if entry.is_dir else "file"
    html = f"https://{request.host}/{full_name}/{'tree' if entry.is_dir else 'blob'}/{branch}/{entry.path}"
    git = f"{api}/git/{'trees' if entry.is_dir else 'blobs'}/{entry.sha}"
    return {
        "name": entry.name,
        "path": entry.path,
        "sha": entry.sha,
        "size": len(entry.content),
        "url": f"{api}/contents/{entry.path}?ref={branch}",
        "html_url": html,
        "git_url": git,
        "download_url": None
        if entry.is_dir
        else f"https://raw.githubusercontent.com/{full_name}/{branch}/{entry.path}",
        "type": kind,
        "_links": {"self": f"{api}/contents/{entry.path}?ref={branch}", "git": git, "html": html},
    }


router.route(
    "api/v3/repos/{owner}/{name}/contents/{path*}", render=_content_json, base64_lines=True
)(get_contents)


@router.route("api/v3/rate_limit")
def get_rate_limit(request: Request) -> Response:
    window = request.state.window(request.host)
    core = {
        "limit": window.limit,
        "remaining": window.remaining,
        "reset": window.reset,
        "used": window.used,
    }
    search = {"limit": 30, "remaining": 30, "reset": window.reset, "used": 0}
    return json_response(
        {
            "resources": {
                "core": core | {"resource": "core"},
                "search": search | {"resource": "search"},
            },
            "rate": core | {"resource": "core"},
        }
    )


@router.route("api/v3/repos/{owner}/{name}/releases/latest")
def get_latest_release(request: Request, owner: str, name: str) -> Response | None:
    """The newest published release that is neither a draft nor a pre-release (404 if none)."""
    repo = repository_at(request, owner, name)
    releases = published_releases(repo, prereleases=False) if repo else []
    return (
        json_response(github_style_release_json(request, repo, releases[0])) if releases else None
    )


@router.route("api/v3/repos/{owner}/{name}/tags")
def list_tags(request: Request, owner: str, name: str) -> Response | None:
    return tags_response(
        request,
        repository_at(request, owner, name),
        github_tag_json,
        size_param="per_page",
        default=30,
    )
