"""The demo seed carries realistic manifests for part of its repositories, the same at every build."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from crawlers.fakeforge.demo import build_demo_seed
from crawlers.manifests import read_manifests

CSV = (
    Path(__file__).resolve().parents[4] / "shared" / "data" / "codegouvfr-2021" / "repositories.csv"
)


@pytest.fixture(scope="module")
def seed() -> dict:
    return build_demo_seed(CSV)[0]


def manifests_of(repo: dict) -> dict[str, str]:
    return {k: v for k, v in (repo.get("files") or {}).items() if k != "publiccode.yml"}


def test_a_share_of_repositories_declare_dependencies_by_their_language(seed):
    with_manifests = [r for r in seed["repositories"] if manifests_of(r)]
    assert 2500 < len(with_manifests) < 4000
    assert {r["language"] for r in with_manifests} <= {
        "JavaScript", "TypeScript", "Vue", "Python", "Jupyter Notebook", "Java", "Kotlin",
        "PHP", "Ruby", "Go", "Rust", "C#",
    }  # fmt: skip
    statuses, ecosystems = Counter(), Counter()
    for repo in with_manifests:
        files = manifests_of(repo)
        assert set(files) <= set(repo["root_files"])
        manifests, dependencies = read_manifests(files, lambda name, f=files: f[name].encode())
        statuses.update(m.status for m in manifests)
        ecosystems.update(d.ecosystem for d in dependencies)
    assert 0 < statuses["malformed"] < statuses["parsed"] / 20
    assert set(ecosystems) == {
        "npm",
        "pypi",
        "maven",
        "packagist",
        "rubygems",
        "go",
        "cargo",
        "nuget",
    }


def test_the_manifests_are_the_same_at_every_build(seed):
    again = build_demo_seed(CSV)[0]
    assert [manifests_of(r) for r in again["repositories"]] == [
        manifests_of(r) for r in seed["repositories"]
    ]
