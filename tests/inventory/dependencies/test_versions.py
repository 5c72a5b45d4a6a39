"""Version keys, the version a range is compared with, and the ranges people type."""

from __future__ import annotations

import pytest

from inventory.core.exceptions import ApplicationError
from inventory.dependencies.models import Dependency, Package
from inventory.dependencies.versions import effective_version, version_key, version_range_q
from tests.inventory.forges.conftest import (  # noqa: F401 - fixtures
    account,
    github_forge,
    make_record,
)


def test_version_keys_sort_as_versions():
    assert version_key("1.10.0") > version_key("1.9.3") > version_key("1.9")
    assert version_key("v2.0.0-rc.1") == version_key("2.0") == "00000002.00000000.00000000.00000000"
    assert version_key("latest") == ""


@pytest.mark.parametrize(
    ("requirement", "resolved", "expected"),
    [
        ("^18.2.0", "", "18.2.0"),
        ("<6,>=5.2", "", "5.2"),
        ("~> 7.1", "", "7.1"),
        ("v0.9.1", "", "0.9.1"),
        ("*", "", ""),
        ("<2", "", ""),
        ("^1", "1.4.2", "1.4.2"),
    ],
)
def test_effective_version_is_the_resolved_one_else_the_lower_bound(
    requirement, resolved, expected
):
    assert effective_version(requirement, resolved) == expected


@pytest.fixture
def versions(account):  # noqa: F811
    from inventory.forges.services.repositories import repositories_upsert

    repositories_upsert(
        account=account,
        records=[make_record(i) for i in range(1, 8)],
        seen_at=make_record(1).created_at,
    )
    package = Package.objects.create(ecosystem="pypi", name="django")
    for number, version in enumerate(
        ["1.11.29", "2.2.28", "3.2.0", "3.2.23", "4.2.7", "5.0", ""], 1
    ):
        Dependency.objects.create(
            repository_id=account.repositories.get(remote_id=str(number)).pk,
            package=package,
            resolved_version=version,
            version_key=version_key(version),
            scope="runtime",
            manifest="requirements.txt",
        )
    return package


def matching(text: str) -> list[str]:
    rows = Dependency.objects.filter(version_range_q(text)).order_by("version_key")
    return list(rows.values_list("resolved_version", flat=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.2", ["3.2.0", "3.2.23"]),
        ("==3.2.*", ["3.2.0", "3.2.23"]),
        ("~=3.2", ["3.2.0", "3.2.23"]),
        ("~> 2.2.1", ["2.2.28"]),
        ("~3.2.0", ["3.2.0", "3.2.23"]),
        (">=2,<4 !=3.2.0", ["2.2.28", "3.2.23"]),
        ("^2.2", ["2.2.28"]),
        ("<= 1.11.29", ["1.11.29"]),
        (">4", ["4.2.7", "5.0"]),
    ],
)
def test_ranges_select_versions(versions, text, expected):
    assert matching(text) == expected


@pytest.mark.parametrize("text", ["banana", ">=", "1.2 || 2", "   ", "1.2;drop"])
def test_unreadable_ranges_are_refused_with_a_message(db, text):
    with pytest.raises(ApplicationError) as caught:
        version_range_q(text)
    assert caught.value.extra == {"field": "version"}
