"""The fake forge's releases and tags, as each forge answers them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from crawlers.fakeforge import FakeForge

RELEASES = [
    {"tag_name": "v2.0.0-rc1", "published_at": "2024-05-01T00:00:00Z", "prerelease": True},
    {"tag_name": "v1.1.0", "name": "Un-un", "published_at": "2024-04-01T00:00:00Z"},
    {"tag_name": "v1.0.0", "published_at": "2024-01-01T00:00:00Z"},
    {"tag_name": "v3.0.0", "published_at": "2024-06-01T00:00:00Z", "draft": True},
]
SEED = {
    "forges": {
        "github.com": {"kind": "github", "accounts": []},
        "gitlab.com": {"kind": "gitlab", "accounts": []},
        "git.example.fr": {"kind": "gitea", "accounts": []},
    },
    "repositories": [
        {
            "host": host,
            "id": number,
            "owner": "o",
            "name": "r",
            "releases": RELEASES,
            "tags": ["b", "a"],
        }
        for number, host in enumerate(("github.com", "gitlab.com", "git.example.fr"), start=1)
    ]
    + [{"host": "github.com", "id": 9, "owner": "o", "name": "bare"}],
}


@pytest.fixture(scope="module")
def forge() -> Iterator[FakeForge]:
    with FakeForge(SEED) as fake:
        yield fake


def get(forge: FakeForge, host: str, path: str, **params: str) -> requests.Response:
    return requests.get(f"{forge.api_url(host)}{path}", params=params, timeout=5)


def test_github_latest_release_is_the_newest_stable_one(forge):
    latest = get(forge, "github.com", "/repos/o/r/releases/latest").json()
    assert (latest["tag_name"], latest["name"], latest["published_at"]) == (
        "v1.1.0",
        "Un-un",
        "2024-04-01T00:00:00Z",
    )
    assert latest["html_url"] == "https://github.com/o/r/releases/tag/v1.1.0"
    assert get(forge, "github.com", "/repos/o/bare/releases/latest").status_code == 404


def test_gitlab_lists_releases_newest_first_drafts_left_out(forge):
    releases = get(forge, "gitlab.com", "/api/v4/projects/o%2Fr/releases").json()
    assert [r["tag_name"] for r in releases] == ["v2.0.0-rc1", "v1.1.0", "v1.0.0"]
    assert releases[1]["_links"]["self"] == "https://gitlab.com/o/r/-/releases/v1.1.0"


def test_gitea_filters_pre_releases_and_pages_by_limit(forge):
    stable = get(
        forge, "git.example.fr", "/repos/o/r/releases", limit="1", **{"pre-release": "false"}
    )
    assert [r["tag_name"] for r in stable.json()] == ["v1.1.0"]
    every = get(forge, "git.example.fr", "/repos/o/r/releases").json()
    assert [r["prerelease"] for r in every] == [True, False, False]


@pytest.mark.parametrize(
    ("host", "path", "size"),
    [
        ("github.com", "/repos/o/r/tags", "per_page"),
        ("gitlab.com", "/api/v4/projects/o%2Fr/repository/tags", "per_page"),
        ("git.example.fr", "/repos/o/r/tags", "limit"),
    ],
)
def test_tags_are_listed_in_seed_order_and_paged(forge, host, path, size):
    assert [t["name"] for t in get(forge, host, path).json()] == ["b", "a"]
    assert [t["name"] for t in get(forge, host, path, **{size: "1", "page": "2"}).json()] == ["a"]
