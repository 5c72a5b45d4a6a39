"""The seed the forge-client tests crawl, a fake forge serving it, and clients that never really sleep."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from crawlers.base import ForgeClient
from crawlers.fakeforge import FakeForge
from crawlers.http import MemoryHttpCache
from crawlers.registry import client_for

GITHUB = "github.com"
GITLAB = "gitlab.com"
GITEA = "git.example.fr"
GOGS = "gogs.example.fr"

PUBLICCODE = """\
publiccodeYmlVersion: "0.4"
name: udata
url: https://github.com/etalab/udata
releaseDate: 2024-03-01
platforms: [web]
categories: [open-data]
developmentStatus: stable
softwareType: standalone/web
description:
  fr:
    shortDescription: Plateforme de données ouvertes
legal:
  license: AGPL-3.0-or-later
"""
BROKEN_PUBLICCODE = "name: [unclosed\nlegal: {license: MIT\n"

# How many repositories each account holds: enough for two list pages where it matters.
GITHUB_ORG_REPOS = 150
GITLAB_GROUP_REPOS = 60
GITLAB_SUBGROUP_REPOS = 70
GITEA_ORG_REPOS = 70


def repository(host: str, repo_id: int, owner: str, name: str, **fields: Any) -> dict[str, Any]:
    """A seed repository; the first four of each host carry the root files the tests look for."""
    number = repo_id % 1000
    repo: dict[str, Any] = {
        "host": host,
        "id": repo_id,
        "owner": owner,
        "name": name,
        "description": f"Dépôt {name}",
        "language": "Python",
        "languages": {"Python": 75.0, "HTML": 25.0},
        "license": {
            "spdx_id": "AGPL-3.0",
            "name": "GNU Affero General Public License v3.0",
            "key": "agpl-3.0",
        },
        "topics": ["Open-Data", "open-data", "France"],
        "stars": repo_id % 7,
        "forks": repo_id % 3,
        "created_at": f"2020-01-{1 + number % 28:02d}T10:00:00Z",
        "updated_at": "2024-05-01T08:00:00Z",
        "pushed_at": "2024-05-02T09:30:00+02:00",
        "root_files": ["README.md"],
    }
    if number == 1:
        repo["root_files"] = ["README.md", "LICENSE", "publiccode.yml", "src/"]
        repo["files"] = {"publiccode.yml": PUBLICCODE}
    elif number == 2:
        repo["root_files"] = ["readme.rst", "publiccode.yaml"]
        repo["files"] = {"publiccode.yaml": BROKEN_PUBLICCODE}
    elif number == 3:
        repo["root_files"] = ["COPYING", "CONTRIBUTING.md", "CHANGELOG.md", "docs/"]
    elif number == 4:
        repo["root_files"] = []
    return repo | fields


def build_seed() -> dict[str, Any]:
    repositories = [
        repository(GITHUB, i, "etalab", f"projet-{i}") for i in range(1, GITHUB_ORG_REPOS + 1)
    ]
    repositories += [repository(GITHUB, 5000 + i, "jdoe", f"perso-{i}") for i in (1, 2, 3)]
    repositories += [
        repository(GITLAB, i, "incubateur", f"service-{i}")
        for i in range(1, GITLAB_GROUP_REPOS + 1)
    ]
    repositories += [
        repository(GITLAB, 100 + i, "incubateur/equipe", f"outil-{i}")
        for i in range(1, GITLAB_SUBGROUP_REPOS + 1)
    ]
    repositories += [repository(GITLAB, 5000 + i, "alice", f"notes-{i}") for i in (1, 2)]
    repositories += [
        repository(GITEA, i, "dinum", f"appli-{i}") for i in range(1, GITEA_ORG_REPOS + 1)
    ]
    repositories += [repository(GITEA, 5001, "bob", "carnet")]
    repositories += [repository(GOGS, i, "mairie", f"site-{i}") for i in (1, 2)]
    return {
        "forges": {
            GITHUB: {
                "kind": "github",
                "accounts": [
                    {
                        "login": "etalab",
                        "kind": "org",
                        "name": "Etalab",
                        "description": "Administrateur général des données",
                        "website": "https://www.etalab.gouv.fr",
                        "location": "Paris",
                        "email": "contact@etalab.gouv.fr",
                        "created_at": "2014-01-01T00:00:00Z",
                        "followers": 10,
                    },
                    {"login": "jdoe", "kind": "user", "name": "Jeanne Doe"},
                ],
            },
            GITLAB: {
                "kind": "gitlab",
                "accounts": [
                    {"login": "incubateur", "kind": "group", "name": "Incubateur"},
                    {"login": "incubateur/equipe", "kind": "group", "name": "Équipe"},
                    {
                        "login": "alice",
                        "kind": "user",
                        "name": "Alice",
                        "email": "alice@example.fr",
                    },
                ],
            },
            GITEA: {
                "kind": "gitea",
                "accounts": [
                    {"login": "dinum", "kind": "org", "name": "DINUM", "location": "Paris"},
                    {"login": "bob", "kind": "user", "name": "Bob"},
                ],
            },
            GOGS: {"kind": "gogs", "accounts": [{"login": "mairie", "kind": "org"}]},
        },
        "repositories": repositories,
    }


@pytest.fixture
def forge() -> Iterator[FakeForge]:
    with FakeForge(build_seed()) as ff:
        yield ff


@pytest.fixture
def sleeps() -> list[float]:
    """What the clients asked to sleep, instead of sleeping."""
    return []


@pytest.fixture
def make_client(forge: FakeForge, sleeps: list[float]) -> Callable[..., ForgeClient]:
    """A registry client for a seeded host, with a memory cache and fake sleep.

    The timeout is generous: on a loaded machine the fake forge can take over a second to
    answer a GraphQL batch, and a timed-out request is retried, which changes the request
    counts the tests assert. Tests of timeouts pass their own short one.
    """

    def make(host: str, **options: Any) -> ForgeClient:
        options = {"cache": MemoryHttpCache(), "timeout": 10, "sleep": sleeps.append} | options
        kind = forge.state.forge(host).kind
        return client_for(kind, api_url=forge.api_url(host), **options)

    return make


def paths(forge: FakeForge) -> list[str]:
    """The paths the fake forge was asked for, in order (query left out)."""
    return [entry.path for entry in forge.requests]


def statuses(forge: FakeForge) -> list[int]:
    return [entry.status for entry in forge.requests]


def known_from(result: Any) -> dict[str, str]:
    """The ``known`` mapping the pipeline would pass after storing ``result``."""
    return {record.forge_id: record.change_key for record in result.repositories}
