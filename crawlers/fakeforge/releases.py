"""Releases and tags of seeded repositories, in each forge's JSON shape.

A seed repository may carry ``"releases": [{"tag_name": "v1.2.0", "name": "1.2.0",
"published_at": "2024-03-01T10:00:00Z", "prerelease": false, "draft": false}]`` and
``"tags": ["v1.2.0", "v1.1.0"]`` (newest first).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any

from crawlers.fakeforge.common import Request, Response, int_param, json_response


def _release_id(repo: dict[str, Any], tag: str) -> int:
    """A stable id (the same across runs, so ETags and 304s survive a restart)."""
    return zlib.crc32(f"{repo['host']}/{repo['id']}/{tag}".encode())


def page_of(request: Request, items: list[Any], *, size_param: str, default: int) -> list[Any]:
    """One page of ``items`` by the request's ``page`` and ``size_param`` (per_page, limit)."""
    size = int_param(request.query, size_param, default, maximum=100)
    page = int_param(request.query, "page", 1)
    return items[(page - 1) * size : page * size]


def published_releases(repo: dict[str, Any], *, prereleases: bool = True) -> list[dict[str, Any]]:
    """Releases that are not drafts, newest first (pre-releases only when asked for)."""
    releases = [
        r
        for r in repo.get("releases") or []
        if not r.get("draft") and (prereleases or not r.get("prerelease"))
    ]
    return sorted(releases, key=lambda r: r.get("published_at") or "", reverse=True)


def tags_response(
    request: Request,
    repo: dict[str, Any] | None,
    render: Callable[[Request, dict[str, Any], str], dict[str, Any]],
    *,
    size_param: str,
    default: int,
) -> Response | None:
    """One page of a repository's tags (None, a 404, for no repository)."""
    if repo is None:
        return None
    tags = page_of(request, list(repo.get("tags") or []), size_param=size_param, default=default)
    return json_response([render(request, repo, tag) for tag in tags])


def _web(request: Request, repo: dict[str, Any]) -> str:
    return f"https://{request.host}/{repo['owner']}/{repo['path']}"


def github_style_release_json(
    request: Request, repo: dict[str, Any], release: dict[str, Any]
) -> dict[str, Any]:
    """A release as GitHub shows it, and Gitea, whose API copies GitHub's."""
    tag = release["tag_name"]
    return {
        "id": _release_id(repo, tag),
        "tag_name": tag,
        "name": release.get("name") or tag,
        "draft": bool(release.get("draft")),
        "prerelease": bool(release.get("prerelease")),
        "created_at": release.get("published_at"),
        "published_at": release.get("published_at"),
        "html_url": f"{_web(request, repo)}/releases/tag/{tag}",
        "body": release.get("body", ""),
    }


def github_tag_json(request: Request, repo: dict[str, Any], tag: str) -> dict[str, Any]:
    return {
        "name": tag,
        "zipball_url": f"{_web(request, repo)}/zipball/{tag}",
        "tarball_url": f"{_web(request, repo)}/tarball/{tag}",
        "commit": {"sha": "0" * 40},
    }


def gitlab_release_json(
    request: Request, repo: dict[str, Any], release: dict[str, Any]
) -> dict[str, Any]:
    tag = release["tag_name"]
    return {
        "tag_name": tag,
        "name": release.get("name") or tag,
        "description": release.get("body", ""),
        "created_at": release.get("published_at"),
        "released_at": release.get("published_at"),
        "upcoming_release": False,
        "_links": {"self": f"{_web(request, repo)}/-/releases/{tag}"},
    }


def gitlab_tag_json(request: Request, repo: dict[str, Any], tag: str) -> dict[str, Any]:
    return {"name": tag, "message": "", "target": "0" * 40, "release": None, "protected": False}


def gitea_tag_json(request: Request, repo: dict[str, Any], tag: str) -> dict[str, Any]:
    return {"name": tag, "message": "", "id": "0" * 40, "commit": {"sha": "0" * 40}}
