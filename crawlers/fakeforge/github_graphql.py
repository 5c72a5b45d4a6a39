"""GitHub's GraphQL API as the clients query it: nodes(ids:), object(expression:), languages.

Cost follows GitHub's rule: each connection (a field with ``first``) costs one request per
parent it is asked on, the sum over 100, rounded, at least 1 point.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    VariableNode,
    build_schema,
)

from crawlers.fakeforge import graphql_common as base
from crawlers.fakeforge.common import (
    Request,
    Response,
    file_entry,
    folder_listing,
    json_response,
    language_shares,
)
from crawlers.fakeforge.github import DOCS, not_found, unauthorized
from crawlers.fakeforge.state import RateWindow

# Above this GitHub gives no text (isTruncated), like its contents API (1 MB).
MAX_BLOB_TEXT = 1_000_000

SCHEMA = build_schema(
    """
    type Query {
      rateLimit: RateLimit
      nodes(ids: [ID!]!): [Node]!
      node(id: ID!): Node
    }
    interface Node { id: ID! }
    interface GitObject { oid: String! }
    enum LanguageOrderField { SIZE }
    enum OrderDirection { ASC DESC }
    input LanguageOrder { field: LanguageOrderField!, direction: OrderDirection! }
    type RateLimit { cost: Int!, limit: Int!, remaining: Int!, resetAt: String!, used: Int! }
    type Repository implements Node {
      id: ID!
      databaseId: Int
      nameWithOwner: String!
      object(expression: String!): GitObject
      languages(first: Int, orderBy: LanguageOrder): LanguageConnection
    }
    type Tree implements GitObject { oid: String!, entries: [TreeEntry!] }
    type TreeEntry { name: String!, type: String!, path: String }
    type Blob implements GitObject {
      oid: String!, byteSize: Int!, isBinary: Boolean, isTruncated: Boolean!, text: String
    }
    type LanguageConnection { totalSize: Int!, edges: [LanguageEdge] }
    type LanguageEdge { size: Int!, node: Language! }
    type Language { name: String! }
    """
)
_NODE_ID = re.compile(r"0\d+:Repository(\d{1,18})")


def _resolve_type(value: Any, *_: Any) -> str:
    return value["__typename"]


SCHEMA.type_map["Node"].resolve_type = _resolve_type  # type: ignore[attr-defined]
SCHEMA.type_map["GitObject"].resolve_type = _resolve_type  # type: ignore[attr-defined]


def answer(request: Request, headers: dict[str, str], settings: base.GraphQLSettings) -> Response:
    if request.host in settings.disabled:
        return not_found()
    if not any(k.lower() == "authorization" for k in headers):
        return unauthorized()  # GitHub's GraphQL API is for authenticated clients only
    read = base.parsed(request)
    if isinstance(read, Response):
        return read
    query, variables, document = read
    window = settings.window(request.host)
    cost = _cost(document, variables)
    if window.remaining < cost:
        response = json_response(
            {"message": "API rate limit exceeded", "documentation_url": DOCS}, 403
        )
        response.headers.update(_rate_headers(window, remaining=0))
        return response
    with settings.lock:
        window.used += cost
        settings.queries += 1
        settings.cost += cost
    context = {"request": request, "refused": settings.refused.get(request.host, set()),
               "cost": cost, "window": window}  # fmt: skip
    with request.state.lock:
        result = base.execute(SCHEMA, ROOT, query, variables, context)
    response = json_response(result)
    response.headers.update(_rate_headers(window))
    return response


def _rate_headers(window: RateWindow, *, remaining: int | None = None) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(window.limit),
        "X-RateLimit-Remaining": str(window.remaining if remaining is None else remaining),
        "X-RateLimit-Reset": str(window.reset),
        "X-RateLimit-Used": str(window.used),
        "X-RateLimit-Resource": "graphql",
    }


def _cost(document: Any, variables: dict[str, Any]) -> int:
    requests = 0

    def count(value: Any) -> int:
        if isinstance(value, VariableNode):
            found = variables.get(value.name.value)
            return len(found) if isinstance(found, list) else 1
        if isinstance(value, ListValueNode):
            return len(value.values)
        if isinstance(value, IntValueNode):
            return int(value.value)
        return 1

    def walk(selections: Any, parents: int) -> None:
        nonlocal requests
        for selection in selections or ():
            inner = parents
            if isinstance(selection, FieldNode):
                arguments = {a.name.value: a.value for a in selection.arguments or ()}
                if "first" in arguments:
                    requests += parents
                    inner = parents * count(arguments["first"])
                elif selection.name.value == "nodes" and "ids" in arguments:
                    inner = parents * count(arguments["ids"])
            if selection.selection_set is not None:
                walk(selection.selection_set.selections, inner)

    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            walk(definition.selection_set.selections, 1)
    return max(1, round(requests / 100))


# -- resolvers: repository dicts of the seed become GraphQL objects ---------------------------


def _repository_id(node_id: str) -> int | None:
    try:
        decoded = base64.b64decode(node_id, validate=True).decode()
    except (binascii.Error, ValueError):
        return None
    match = _NODE_ID.fullmatch(decoded)
    return int(match.group(1)) if match else None


def _node(info: Any, node_id: str) -> dict[str, Any]:
    context = info.context
    repo_id = _repository_id(node_id)
    repo = (
        None
        if repo_id is None
        else context["request"].state.repository(context["request"].host, repo_id)
    )
    if repo is None:
        raise GraphQLError(
            f"Could not resolve to a node with the global id of '{node_id}'",
            extensions={"forge": {"type": "NOT_FOUND"}},
        )
    if repo["id"] in context["refused"]:
        raise GraphQLError(
            "Resource not accessible by integration", extensions={"forge": {"type": "FORBIDDEN"}}
        )
    return _repository(repo, node_id)


def _repository(repo: dict[str, Any], node_id: str) -> dict[str, Any]:
    def object_(info: Any, expression: str) -> dict[str, Any] | None:
        ref, _, path = expression.partition(":")
        if ref not in ("HEAD", repo["default_branch"]):
            return None
        listing = folder_listing(repo, path)
        if listing is not None:
            return {"__typename": "Tree", "oid": "", "entries": [
                {"name": e.name, "path": e.path, "type": "tree" if e.is_dir else "blob"} for e in listing]}  # fmt: skip
        entry = file_entry(repo, path)
        if entry is None:
            return None
        binary = b"\x00" in entry.content
        truncated = len(entry.content) > MAX_BLOB_TEXT
        return {
            "__typename": "Blob",
            "oid": entry.sha,
            "byteSize": len(entry.content),
            "isBinary": binary,
            "isTruncated": truncated,
            "text": None if binary or truncated else entry.content.decode("utf-8", "replace"),
        }

    def languages(info: Any, first: int = 100, orderBy: Any = None) -> dict[str, Any]:  # noqa: N803
        sizes = {name: round(share * 100) for name, share in language_shares(repo).items()}
        ordered = sorted(sizes.items(), key=lambda item: -item[1])[:first]
        return {"totalSize": sum(sizes.values()),
                "edges": [{"size": size, "node": {"name": name}} for name, size in ordered]}  # fmt: skip

    return {
        "__typename": "Repository",
        "id": node_id,
        "databaseId": repo["id"],
        "nameWithOwner": f"{repo['owner']}/{repo['path']}",
        "object": object_,
        "languages": languages,
    }


def _nodes(info: Any, ids: list[str]) -> list[Any]:
    """An error in the list nulls its item only: the others' data comes with it."""
    found: list[Any] = []
    for node_id in ids:
        try:
            found.append(_node(info, node_id))
        except GraphQLError as error:
            found.append(error)
    return found


def _rate_limit(info: Any) -> dict[str, Any]:
    window = info.context["window"]
    return {"cost": info.context["cost"], "limit": window.limit, "remaining": window.remaining,
            "resetAt": str(window.reset), "used": window.used}  # fmt: skip


ROOT = {
    "rateLimit": _rate_limit,
    "nodes": _nodes,
    "node": lambda info, id: _node(info, id),  # noqa: A006 - GraphQL's argument name
}
