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
