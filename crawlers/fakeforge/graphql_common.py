"""The fake forge's GraphQL endpoints: GitHub's ``/graphql`` and GitLab's ``/api/graphql``.

Queries run on a graphql-core schema of the fields the clients use (``github_graphql``,
``gitlab_graphql``), so aliases, fragments, variables and partial errors behave as on the real
forges. ``FakeForge.graphql`` switches behaviours per host: ``disabled`` hosts answer 404 (an
instance without GraphQL), ``refused`` repository ids resolve to null with an error beside the
other repositories' data (a partial answer), ``points`` is GitHub's hourly budget of rate-limit
points (exhausted: 403 with ``X-RateLimit-Remaining: 0``), ``max_complexity`` GitLab's limit
(above it: an error and no data).
"""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError, GraphQLSchema, graphql_sync, parse

from crawlers.fakeforge.common import Request, Response, json_response
from crawlers.fakeforge.state import RATE_LIMIT_WINDOW, RateWindow


@dataclass
class GraphQLSettings:
    """What the GraphQL endpoints do, per host; change it while the forge runs."""

    disabled: set[str] = field(default_factory=set)
    refused: dict[str, set[int]] = field(default_factory=dict)  # host → repository ids
    points: int = 5000  # GitHub: rate-limit points per hour
    max_complexity: int = 250  # GitLab, for authenticated and anonymous clients alike
    queries: int = 0
    cost: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    windows: dict[str, RateWindow] = field(default_factory=dict)

    def window(self, host: str) -> RateWindow:
        with self.lock:
            now = time.time()
            window = self.windows.get(host)
            if window is None or now >= window.started + RATE_LIMIT_WINDOW:
                window = self.windows[host] = RateWindow(limit=self.points, started=now)
            return window


def is_graphql(request: Request) -> bool:
    return request.segments in (["graphql"], ["api", "graphql"])


def payload(request: Request) -> tuple[str, dict[str, Any]] | Response:
    """The query and variables of a POST, or the answer a forge gives a body it cannot read."""
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return json_response({"message": "Problems parsing JSON"}, 400)
    query = body.get("query") if isinstance(body, dict) else None
    variables = body.get("variables") if isinstance(body, dict) else None
    if not isinstance(query, str):
        return json_response({"errors": [{"message": "A query attribute must be specified"}]}, 200)
    return query, variables if isinstance(variables, dict) else {}


def execute(
    schema: GraphQLSchema,
    root: dict[str, Any],
    query: str,
    variables: dict[str, Any],
    context: dict[str, Any],
) -> dict[str, Any]:
    """The answer as the forges shape it: ``data`` (possibly partial) and ``errors``."""
    result = graphql_sync(
        schema, query, root_value=root, variable_values=variables, context_value=context
    )
    answer: dict[str, Any] = {"data": result.data}
    if result.errors:
        answer["errors"] = [_error(error) for error in result.errors]
    return answer


def _error(error: GraphQLError) -> dict[str, Any]:
    formatted: dict[str, Any] = {"message": error.message}
    if error.path is not None:
        formatted["path"] = list(error.path)
    if error.locations:
        formatted["locations"] = [{"line": at.line, "column": at.column} for at in error.locations]
    formatted.update((error.extensions or {}).get("forge", {}))
    return formatted


def parsed(request: Request) -> tuple[str, dict[str, Any], Any] | Response:
    """The query, its variables and its parsed document, or the answer to a request that has
    none (a body that is not JSON, a query that does not parse)."""
    read = payload(request)
    if isinstance(read, Response):
        return read
    query, variables = read
    try:
        return query, variables, parse(query)
    except GraphQLError as error:
        return json_response({"errors": [{"message": error.message}]})


def reset_seconds(window: RateWindow) -> int:
    return max(0, math.ceil(window.reset - time.time()))
