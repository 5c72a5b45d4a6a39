"""Fixtures for the crawl pipeline: forges and accounts in the database, records, the fake forge."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from crawlers.records import RepositoryDetails, RepositoryRecord, RootFiles
from inventory.forges.models import Account, AccountKind, Forge, ForgeKind

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def make_record(forge_id: str | int, *, owner: str = "etalab", name: str | None = None, **changes):
    """A listed repository as a client returns it (without details unless given)."""
    name = name or f"repo-{forge_id}"
    record = RepositoryRecord(
        forge_id=str(forge_id),
        owner=owner,
        name=name,
        full_name=f"{owner}/{name}",
        html_url=f"https://github.com/{owner}/{name}",
        clone_url=f"https://github.com/{owner}/{name}.git",
        description=f"The {name} repository",
        default_branch="main",
        language="Python",
        license_spdx="MIT",
        license_name="MIT License",
        topics=("open-data",),
        stars=3,
        forks=1,
        created_at=T0,
        updated_at=T0,
        pushed_at=T0,
        change_key="v1",
    )
    return replace(record, **changes)


def make_details(**changes) -> RepositoryDetails:
    return replace(
        RepositoryDetails(
            root_files=RootFiles(readme=True, license=True, publiccode=True),
            publiccode_text="publiccodeYmlVersion: '0.4'\nname: demo\n",
            publiccode={"publiccodeYmlVersion": "0.4", "name": "demo"},
            license_spdx="MIT",
            license_name="MIT License",
            language="Python",
            languages={"Python": 100.0},
        ),
        **changes,
    )


@pytest.fixture
def github_forge(db) -> Forge:
    return Forge.objects.create(
        host="github.com", kind=ForgeKind.GITHUB, api_url="https://api.github.com"
    )


@pytest.fixture
def account(github_forge) -> Account:
    return Account.objects.create(forge=github_forge, login="etalab", kind=AccountKind.ORG)


@pytest.fixture
def other_account(github_forge) -> Account:
    return Account.objects.create(forge=github_forge, login="betagouv", kind=AccountKind.ORG)


PUBLICCODE = "publiccodeYmlVersion: '0.4'\nname: udata\nurl: https://github.com/etalab/udata\n"
# More than a page of 100. On GitLab: PyGithub waits 0.25 s between requests, python-gitlab does not.
MANY = 130


def _repo(host: str, repo_id: int, owner: str, name: str, **fields) -> dict:
    return {
        "host": host,
        "id": repo_id,
        "owner": owner,
        "name": name,
        "description": f"{name} by {owner}",
        "created_at": "2020-01-01T00:00:00Z",
        "updated_at": "2024-01-01T00:00:00Z",
        "pushed_at": "2024-01-01T00:00:00Z",
        **fields,
    }


def crawl_seed() -> dict:
    """GitHub organisations, GitLab groups (one with a subgroup, one big), a whole Gitea instance."""
    repositories = [
        _repo(
            "github.com",
            101,
            "etalab",
            "udata",
            language="Python",
            languages={"Python": 80.0, "HTML": 20.0},
            license={"spdx_id": "AGPL-3.0", "name": "GNU Affero General Public License v3.0"},
            topics=["Open-Data", "Python"],
            stars=5,
            forks=2,
            homepage="https://udata.fr",
            root_files=["README.md", "LICENSE", "publiccode.yml"],
            files={"publiccode.yml": PUBLICCODE},
        ),
        _repo(
            "github.com",
            102,
            "etalab",
            "schema",
            language="JavaScript",
            license={"spdx_id": "MIT", "name": "MIT License"},
            root_files=["README.md", "CONTRIBUTING.md", "CHANGELOG.md"],
        ),
        _repo("github.com", 103, "etalab", "old-site", archived=True),
        _repo("github.com", 201, "betagouv", "beta", language="Ruby"),
        _repo("github.com", 301, "closing-org", "leftover"),
        _repo(
            "gitlab.com",
            401,
            "incubateur-territoires",
            "decidim",
            language="Ruby",
            languages={"Ruby": 90.0, "JavaScript": 10.0},
            license={"spdx_id": "EUPL-1.2", "name": "European Union Public License 1.2"},
            root_files=["README.md", "LICENSE"],
        ),
        _repo(
            "gitlab.com",
            402,
            "incubateur-territoires/sub",
            "carto",
            language="Vue",
            languages={"Vue": 100.0},
            root_files=["README.md"],
        ),
        _repo("git.example.fr", 501, "dinum", "tool", language="Go"),
        _repo("git.example.fr", 502, "dinum", "other", language="Go"),
    ]
    repositories += [
        _repo("gitlab.com", 1000 + n, "numerique-gouv", f"project-{n:03d}", language="Python")
        for n in range(MANY)
    ]
    return {
        "forges": {
            "github.com": {
                "kind": "github",
                "accounts": [
                    {
                        "login": "etalab",
                        "kind": "org",
                        "name": "Etalab",
                        "description": "Open data and free software at the DINUM",
                        "website": "https://www.etalab.gouv.fr",
                        "location": "Paris",
                        "email": "info@data.gouv.fr",
                        "created_at": "2014-01-01T00:00:00Z",
                        "followers": 10,
                    },
                    {"login": "betagouv", "kind": "org", "name": "beta.gouv.fr"},
                    {"login": "closing-org", "kind": "org"},
                ],
            },
            "gitlab.com": {
                "kind": "gitlab",
                "accounts": [
                    {"login": "incubateur-territoires", "kind": "group"},
                    {"login": "incubateur-territoires/sub", "kind": "group"},
                    {"login": "numerique-gouv", "kind": "group"},
                ],
            },
            "git.example.fr": {"kind": "gitea", "accounts": [{"login": "dinum", "kind": "org"}]},
        },
        "repositories": repositories,
    }


@pytest.fixture
def fake_forge():
    from crawlers.fakeforge import FakeForge

    with FakeForge(crawl_seed()) as forge:
        yield forge


@pytest.fixture
def crawl_settings(settings):
    """Short timeouts and waits, so that faults fail fast."""
    settings.CRAWL_TIMEOUT = 1.0
    settings.CRAWL_MAX_RETRIES = 1
    settings.CRAWL_MAX_RATE_LIMIT_WAIT = 3.0
    settings.GITHUB_TOKEN = ""
    return settings


@pytest.fixture
def crawled_accounts(db, fake_forge, crawl_settings) -> dict[str, Account]:
    """Our registry for the fake forge: accounts keyed ``host/login`` (``host`` for an instance)."""
    forges = {
        host: Forge.objects.create(
            host=host,
            kind=kind,
            api_url=fake_forge.api_url(host),
            whole_instance=host == "git.example.fr",
        )
        for host, kind in (
            ("github.com", ForgeKind.GITHUB),
            ("gitlab.com", ForgeKind.GITLAB),
            ("git.example.fr", ForgeKind.GITEA),
        )
    }
    accounts = [
        Account(forge=forges["github.com"], login="etalab", kind=AccountKind.ORG),
        Account(forge=forges["github.com"], login="betagouv", kind=AccountKind.ORG),
        Account(forge=forges["github.com"], login="closing-org", kind=AccountKind.ORG),
        Account(forge=forges["gitlab.com"], login="incubateur-territoires", kind=AccountKind.GROUP),
        Account(forge=forges["gitlab.com"], login="numerique-gouv", kind=AccountKind.GROUP),
        Account(forge=forges["git.example.fr"], login="", kind=AccountKind.INSTANCE),
    ]
    for account in accounts:
        account.save()
    return {f"{a.forge.host}/{a.login}".rstrip("/"): a for a in accounts}
