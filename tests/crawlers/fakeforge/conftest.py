"""A small seed with every forge kind, and a running fake forge per test."""

from __future__ import annotations

from typing import Any

import pytest
from github import Github

from crawlers.fakeforge import FakeForge

ORG_REPOSITORIES = 250  # three pages of 100


def _repo(host: str, repo_id: int, owner: str, name: str, **extra: Any) -> dict[str, Any]:
    return {
        "host": host,
        "id": repo_id,
        "owner": owner,
        "name": name,
        "created_at": f"2020-01-{1 + repo_id % 28:02d}T00:00:00Z",
        "updated_at": "2021-06-01T00:00:00Z",
        "pushed_at": "2021-06-02T00:00:00Z",
    } | extra


def make_seed() -> dict[str, Any]:
    udata = _repo(
        "github.com",
        1,
        "etalab",
        "udata",
        description="Customizable and skinnable social platform dedicated to (open) data.",
        language="Python",
        languages={"Python": 80.0, "HTML": 20.0},
        license={
            "spdx_id": "AGPL-3.0",
            "name": "GNU Affero General Public License v3.0",
            "key": "agpl-3.0",
        },
        topics=["Open-Data"],
        stars=5,
        forks=2,
        open_issues=1,
        subscribers=3,
        root_files=["README.md", "LICENSE", "publiccode.yml", "docs/"],
        files={"publiccode.yml": "publiccodeYmlVersion: '0.4'\nname: udata\n"},
    )
    repositories = [udata]
    repositories += [
        _repo("github.com", i, "etalab", f"project-{i:03d}") for i in range(2, ORG_REPOSITORIES + 1)
    ]
    repositories += [_repo("github.com", 900, "jdoe", "dotfiles", fork=True)]
    repositories += [
        _repo(
            "gitlab.com",
            101,
            "incubateur-territoires",
            "Startups Mon Suivi",
            path="mon-suivi",
            language="Ruby",
            license={"spdx_id": "MIT", "name": "MIT License", "key": "mit"},
            root_files=["README.md", "LICENSE", "CONTRIBUTING.md"],
        ),
        _repo("gitlab.com", 102, "incubateur-territoires/sub", "outil", fork=True),
        _repo("gitlab.com", 103, "incubateur-territoires/sub/deep", "carte"),
        _repo("gitlab.com", 104, "elsewhere", "not-ours"),
        _repo("gitlab.com", 105, "someone", "personal"),
    ]
    repositories += [
        _repo("gitlab.example.fr", 1000 + i, f"team-{i % 3}", f"app-{i}") for i in range(1, 46)
    ]
    repositories += [_repo("git.example.fr", 5000 + i, "dinum", f"outil-{i}") for i in range(1, 61)]
    repositories += [_repo("git.example.fr", 5100, "agent", "notes")]
    return {
        "forges": {
            "github.com": {
                "kind": "github",
                "accounts": [
                    {
                        "login": "etalab",
                        "kind": "org",
                        "name": "Etalab",
                        "location": "Paris",
                        "created_at": "2014-01-01T00:00:00Z",
                        "followers": 10,
                    },
                    {"login": "jdoe", "kind": "user", "name": "Jane Doe"},
                ],
            },
            "gitlab.com": {
                "kind": "gitlab",
                "accounts": [
                    {"login": "incubateur-territoires", "kind": "group"},
                    {"login": "incubateur-territoires/sub", "kind": "group"},
                    {"login": "someone", "kind": "user", "name": "Some One"},
                ],
            },
            "gitlab.example.fr": {"kind": "gitlab", "accounts": []},
            "git.example.fr": {
                "kind": "gitea",
                "accounts": [{"login": "dinum", "kind": "org"}, {"login": "agent", "kind": "user"}],
            },
        },
        "repositories": repositories,
    }


@pytest.fixture
def seed() -> dict[str, Any]:
    return make_seed()


@pytest.fixture
def forge(seed):
    with FakeForge(seed) as running:
        yield running


@pytest.fixture
def github_client(forge) -> Github:
    """The real PyGithub, without its client-side throttle and retries (the crawler sets those)."""
    return Github(
        base_url=forge.api_url("github.com"), per_page=100, retry=None, seconds_between_requests=0
    )
