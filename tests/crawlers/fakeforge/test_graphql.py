"""The fake forge's GraphQL endpoints, spoken to directly: cost, complexity, errors, switches."""

from __future__ import annotations

import base64

import pytest
import requests

from crawlers.fakeforge import FakeForge
from tests.crawlers.conftest import GITHUB, GITLAB, build_seed

GITHUB_QUERY = """query($ids: [ID!]!) { rateLimit { cost remaining }
  nodes(ids: $ids) { ... on Repository { databaseId
    root: object(expression: "HEAD:") { ... on Tree { entries { name type } } }
    readme: object(expression: "HEAD:README.md") { ... on Blob { byteSize text } }
    languages(first: 10) { totalSize edges { size node { name } } } } } }"""


def node_id(number: int) -> str:
    return base64.b64encode(f"010:Repository{number}".encode()).decode()


@pytest.fixture
def forge():
    with FakeForge(build_seed()) as ff:
        yield ff


def github(forge, ids, *, authorization="token t", query=GITHUB_QUERY):
    headers = {"Authorization": authorization} if authorization else {}
    return requests.post(f"{forge.base_url}/{GITHUB}/api/graphql",
                         json={"query": query, "variables": {"ids": ids}}, headers=headers, timeout=5)  # fmt: skip


def test_github_answers_nodes_with_entries_blobs_languages_and_cost(forge):
    response = github(forge, [node_id(i) for i in range(1, 101)])
    data = response.json()["data"]
    assert response.headers["X-RateLimit-Resource"] == "graphql"
    # 100 repositories × one languages connection = 100 requests → 1 point.
    assert data["rateLimit"]["cost"] == 1
    first = data["nodes"][0]
    assert first["databaseId"] == 1
    assert {"name": "publiccode.yml", "type": "blob"} in first["root"]["entries"]
    assert first["readme"]["text"].startswith("# projet-1")
    assert first["languages"]["edges"][0] == {"size": 7500, "node": {"name": "Python"}}
    two = (
        "query($ids: [ID!]!) { rateLimit { cost } nodes(ids: $ids) { ... on Repository { "
        "a: languages(first: 10) { totalSize } b: languages(first: 10) { totalSize } } } }"
    )
    # Two connections on each of 100 repositories: 200 requests, 2 points.
    assert (
        github(forge, [node_id(i) for i in range(1, 101)], query=two).json()["data"]["rateLimit"][
            "cost"
        ]
        == 2
    )
    assert forge.graphql.cost == 3


def test_github_partial_errors_unknown_and_refused_nodes(forge):
    forge.graphql.refused[GITHUB] = {2}
    answer = github(forge, [node_id(1), node_id(2), "bm9wZQ=="]).json()
    assert answer["data"]["nodes"][0]["databaseId"] == 1
    assert answer["data"]["nodes"][1:] == [None, None]
    assert [(e["type"], e["path"]) for e in answer["errors"]] == [
        ("FORBIDDEN", ["nodes", 1]),
        ("NOT_FOUND", ["nodes", 2]),
    ]


def test_github_needs_a_token_can_be_disabled_and_runs_out_of_points(forge):
    assert github(forge, [node_id(1)], authorization="").status_code == 401
    forge.graphql.points = 1
    assert github(forge, [node_id(1)]).status_code == 200
    exhausted = github(forge, [node_id(1)])
    assert exhausted.status_code == 403 and exhausted.headers["X-RateLimit-Remaining"] == "0"
    forge.graphql.disabled.add(GITHUB)
    assert github(forge, [node_id(1)]).status_code == 404
    bad = requests.post(f"{forge.base_url}/{GITLAB}/api/graphql", data=b"{", timeout=5)
    assert bad.status_code == 400


def test_gitlab_answers_projects_and_refuses_complex_queries(forge):
    query = ('{ queryComplexity { score limit } projects(ids: ["gid://gitlab/Project/1", '
             '"gid://gitlab/Project/2"]) { nodes { id repository { rootRef tree { blobs { nodes '
             '{ name } } } blobs(paths: ["publiccode.yml"]) { nodes { path rawTextBlob } } } '
             "languages { name share } } } }")  # fmt: skip
    url = f"{forge.base_url}/{GITLAB}/api/graphql"
    answer = requests.post(url, json={"query": query}, timeout=5)
    data = answer.json()["data"]
    assert "RateLimit-Remaining" in answer.headers
    assert data["queryComplexity"]["score"] == 19
    assert [n["id"] for n in data["projects"]["nodes"]] == [
        "gid://gitlab/Project/2",
        "gid://gitlab/Project/1",
    ]
    assert (
        data["projects"]["nodes"][1]["repository"]["blobs"]["nodes"][0]["path"] == "publiccode.yml"
    )
    forge.graphql.max_complexity = 10
    refused = requests.post(url, json={"query": query}, timeout=5).json()
    assert refused == {
        "errors": [{"message": "Query has complexity of 19, which exceeds max complexity of 10"}]
    }
