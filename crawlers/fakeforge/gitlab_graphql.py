"""GitLab's GraphQL API as the client queries it: projects(ids:) with tree, blobs and languages.

GitLab refuses a query whose complexity (here: its number of fields) is above its limit with
an error and no data, and counts GraphQL requests against the same rate limit as REST.
"""

from __future__ import annotations

import re
from typing import Any

from graphql import FieldNode, GraphQLError, OperationDefinitionNode, build_schema

from crawlers.fakeforge import graphql_common as base
from crawlers.fakeforge.common import (
    Request,
    Response,
    file_entry,
    folder_listing,
    json_response,
    language_shares,
)
from crawlers.fakeforge.gitlab import not_found, rate_headers, rate_limited

SCHEMA = build_schema(
    """
    type Query {
      projects(ids: [ID!], first: Int, after: String): ProjectConnection
      queryComplexity: QueryComplexity
    }
    type QueryComplexity { limit: Int, score: Int }
    type PageInfo { hasNextPage: Boolean!, endCursor: String }
    type ProjectConnection { nodes: [Project], pageInfo: PageInfo! }
    type Project {
      id: ID!
      fullPath: ID!
      repository: Repository
      languages: [RepositoryLanguage!]
    }
    type RepositoryLanguage { name: String!, share: Float, color: String }
    type Repository {
      rootRef: String
      empty: Boolean!
      exists: Boolean!
      tree(path: String, ref: String, recursive: Boolean): Tree
      blobs(paths: [String!]!, ref: String): RepositoryBlobConnection
    }
    type Tree { blobs(first: Int): BlobConnection!, trees(first: Int): TreeConnection! }
    type BlobConnection { nodes: [TreeBlob] }
    type TreeBlob { name: String!, path: String!, type: String! }
    type TreeConnection { nodes: [TreeEntry] }
    type TreeEntry { name: String!, path: String!, type: String! }
    type RepositoryBlobConnection { nodes: [RepositoryBlob] }
    type RepositoryBlob { path: String!, name: String!, size: Int, rawTextBlob: String }
    """
)
_GLOBAL_ID = re.compile(r"gid://gitlab/Project/(\d{1,18})")
MAX_PROJECTS = 100


def answer(request: Request, headers: dict[str, str], settings: base.GraphQLSettings) -> Response:
    if request.host in settings.disabled:
        return not_found()
    window = request.state.window(request.host)
    if window.remaining <= 0:
        return rate_limited(window, window.reset)
    request.state.consume(request.host)
    read = base.parsed(request)
    if isinstance(read, Response):
        read.headers.update(rate_headers(window))
        return read
    query, variables, document = read
    complexity = _complexity(document)
    if complexity > settings.max_complexity:
        message = (f"Query has complexity of {complexity}, which exceeds max complexity of "
                   f"{settings.max_complexity}")  # fmt: skip
        result: dict[str, Any] = {"errors": [{"message": message}]}
    else:
        with settings.lock:
            settings.queries += 1
            settings.cost += complexity
        context = {"request": request, "refused": settings.refused.get(request.host, set()),
                   "complexity": complexity, "limit": settings.max_complexity}  # fmt: skip
        with request.state.lock:
            result = base.execute(SCHEMA, ROOT, query, variables, context)
    response = json_response(result)
    response.headers.update(rate_headers(window))
    return response


def _complexity(document: Any) -> int:
    """Every field selected counts one (GitLab's base rule, without its connection weights)."""

    def walk(selections: Any) -> int:
        total = 0
        for selection in selections or ():
            if isinstance(selection, FieldNode):
                total += 1
            if selection.selection_set is not None:
                total += walk(selection.selection_set.selections)
        return total

    return sum(
        walk(d.selection_set.selections)
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    )


def _projects(
    info: Any, ids: list[str] | None = None, first: int = 100, after: str | None = None
) -> dict[str, Any]:
    request: Request = info.context["request"]
    if ids is None or len(ids) > MAX_PROJECTS:
        raise GraphQLError(f"projects(ids:) takes 1 to {MAX_PROJECTS} ids")
    found = []
    for global_id in ids:
        match = _GLOBAL_ID.fullmatch(global_id)
        repo = (
            None if match is None else request.state.repository(request.host, int(match.group(1)))
        )
        if repo is not None and repo["id"] not in info.context["refused"]:
            found.append(repo)
    # GitLab answers in its own order (newest first), not the ids' order.
    found.sort(key=lambda repo: -repo["id"])
    return {"nodes": [_project(repo) for repo in found[:first]],
            "pageInfo": {"hasNextPage": len(found) > first, "endCursor": None}}  # fmt: skip


def _project(repo: dict[str, Any]) -> dict[str, Any]:
    def tree(info: Any, path: str = "", ref: str | None = None, recursive: bool = False) -> Any:
        listing = folder_listing(repo, path)
        if listing is None:
            return None
        blobs = [{"name": e.name, "path": e.path, "type": "blob"} for e in listing if not e.is_dir]
        trees = [{"name": e.name, "path": e.path, "type": "tree"} for e in listing if e.is_dir]
        return {"blobs": lambda info, first=100: {"nodes": blobs[:first]},
                "trees": lambda info, first=100: {"nodes": trees[:first]}}  # fmt: skip

    def blobs(info: Any, paths: list[str], ref: str | None = None) -> dict[str, Any]:
        nodes = []
        for path in paths:
            entry = file_entry(repo, path)
            if entry is not None and not entry.is_dir:
                binary = b"\x00" in entry.content
                nodes.append({"path": entry.path, "name": entry.name, "size": len(entry.content),
                              "rawTextBlob": None if binary else entry.content.decode("utf-8", "replace")})  # fmt: skip
        return {"nodes": nodes}

    return {
        "id": f"gid://gitlab/Project/{repo['id']}",
        "fullPath": f"{repo['owner']}/{repo['path']}",
        "repository": {
            "rootRef": repo["default_branch"],
            "empty": False,
            "exists": True,
            "tree": tree,
            "blobs": blobs,
        },  # fmt: skip
        "languages": [
            {"name": name, "share": float(share), "color": None}
            for name, share in language_shares(repo).items()
        ],  # fmt: skip
    }


def _query_complexity(info: Any) -> dict[str, int]:
    return {"limit": info.context["limit"], "score": info.context["complexity"]}


ROOT = {"projects": _projects, "queryComplexity": _query_complexity}
