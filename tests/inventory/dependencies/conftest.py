"""A fake forge whose repositories carry manifests, crawled through the real clients into the database."""

from __future__ import annotations

import json

import pytest

from crawlers.fakeforge import FakeForge
from inventory.forges.models import Account, AccountKind, Forge, ForgeKind
from inventory.forges.services.crawl import account_crawl
from inventory.organisations.models import Organisation


def npm(dependencies: dict[str, str], lock: dict[str, str] | None = None) -> dict[str, str]:
    files = {"package.json": json.dumps({"name": "app", "dependencies": dependencies})}
    if lock:
        packages = {f"node_modules/{name}": {"version": v} for name, v in lock.items()}
        files["package-lock.json"] = json.dumps({"lockfileVersion": 3, "packages": packages})
    return files


def repo(host: str, repo_id: int, owner: str, name: str, files: dict[str, str]) -> dict:
    return {
        "host": host,
        "id": repo_id,
        "owner": owner,
        "name": name,
        "language": "JavaScript",
        "root_files": ["README.md", *files],
        "files": files,
        "created_at": "2021-01-01T00:00:00Z",
        "updated_at": "2024-01-01T00:00:00Z",
        "pushed_at": "2024-01-01T00:00:00Z",
    }


def seed() -> dict:
    return {
        "forges": {
            "github.com": {"kind": "github", "accounts": [{"login": "etalab", "kind": "org"},
                                                          {"login": "betagouv", "kind": "org"}]},
            "gitlab.com": {"kind": "gitlab", "accounts": [{"login": "dgfip", "kind": "group"}]},
        },  # fmt: skip
        "repositories": [
            repo("github.com", 1, "etalab", "front", npm({"React": "^18.2.0", "lodash": "4.17.20"},
                                                        {"react": "18.2.0", "lodash": "4.17.20"})),
            repo("github.com", 2, "etalab", "old-front", npm({"react": "^16.8.0"})),
            repo("github.com", 3, "etalab", "api", {"requirements.txt": "Django==4.2.7\nrequests>=2.31\n",
                                                    "requirements-dev.txt": "pytest\n"}),
            repo("github.com", 4, "etalab", "broken", {"package.json": '{"dependencies": '}),
            repo("github.com", 5, "betagouv", "site", npm({"react": "~17.0.2"})),
            repo("gitlab.com", 6, "dgfip", "portail", npm({"react": ">=18.0.0 <19"}, {"react": "18.3.1"})),
            repo("gitlab.com", 7, "dgfip", "impots", {"pom.xml": (
                "<project><groupId>fr.dgfip</groupId><artifactId>impots</artifactId><version>2.0</version>"
                "<dependencies><dependency><groupId>org.apache.logging.log4j</groupId>"
                "<artifactId>log4j-core</artifactId><version>2.14.1</version></dependency>"
                "</dependencies></project>")}),
        ],
    }  # fmt: skip


@pytest.fixture
def dependency_forge():
    with FakeForge(seed()) as forge:
        yield forge


@pytest.fixture
def organisations(db) -> dict[str, Organisation]:
    ministry = Organisation.objects.create(
        name="Ministère de l'Économie", slug="economie", is_top=True
    )
    other = Organisation.objects.create(
        name="Premier ministre", slug="premier-ministre", is_top=True
    )
    return {
        "economie": ministry,
        "premier-ministre": other,
        "dinum": Organisation.objects.create(name="DINUM", slug="dinum", ministry=other),
        "dgfip": Organisation.objects.create(name="DGFiP", slug="dgfip", ministry=ministry),
    }  # fmt: skip


@pytest.fixture
def crawled(dependency_forge, organisations, settings):
    """Every account crawled once, GitHub with a token (so through GraphQL), GitLab too."""
    settings.GITHUB_TOKEN = "ghp-test"
    settings.CRAWL_TIMEOUT = 2.0
    github = Forge.objects.create(
        host="github.com", kind=ForgeKind.GITHUB, api_url=dependency_forge.api_url("github.com")
    )
    gitlab = Forge.objects.create(host="gitlab.com", kind=ForgeKind.GITLAB,
                                  api_url=dependency_forge.api_url("gitlab.com"))  # fmt: skip
    accounts = [
        Account.objects.create(forge=github, login="etalab", kind=AccountKind.ORG,
                               organisation=organisations["dinum"]),
        Account.objects.create(forge=github, login="betagouv", kind=AccountKind.ORG,
                               organisation=organisations["dinum"]),
        Account.objects.create(forge=gitlab, login="dgfip", kind=AccountKind.GROUP,
                               organisation=organisations["dgfip"]),
    ]  # fmt: skip
    for account in accounts:
        result = account_crawl(account_id=account.pk)
        assert result.status == "success", result.error
    return accounts
