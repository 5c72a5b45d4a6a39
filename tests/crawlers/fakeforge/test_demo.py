"""The demo seed built from code.gouv.fr's real 2021 inventory, and the command that serves it."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import requests
import yaml

from crawlers.fakeforge import FakeForge
from crawlers.fakeforge.demo import build_demo_seed, license_for

CSV = (
    Path(__file__).resolve().parents[4] / "shared" / "data" / "codegouvfr-2021" / "repositories.csv"
)
MAIN = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def demo() -> tuple[dict, str]:
    return build_demo_seed(CSV)


def _url(repo: dict) -> str:
    return f"https://{repo['host']}/{repo['owner']}/{repo['path']}"


def test_every_csv_repository_lands_in_the_seed_once(rows, demo):
    seed, _ = demo

    urls = [_url(r) for r in seed["repositories"]]

    assert len(rows) == 9157
    assert len(urls) == len(set(urls)) == len({r["repository_url"] for r in rows}) == 9066
    assert set(urls) == {r["repository_url"] for r in rows}


def test_repository_ids_are_unique_per_host_and_stable(demo):
    seed, _ = demo
    again, _ = build_demo_seed(CSV)

    per_host = Counter((r["host"], r["id"]) for r in seed["repositories"])

    assert max(per_host.values()) == 1
    assert [r["id"] for r in again["repositories"]] == [r["id"] for r in seed["repositories"]]


def test_csv_values_are_carried_over(rows, demo):
    seed, _ = demo
    by_url = {_url(r): r for r in seed["repositories"]}
    row = next(
        r for r in rows if r["repository_url"].endswith("/opendatateam/datapackage-pipelines-udata")
    )

    repo = by_url[row["repository_url"]]

    assert repo["host"] == "github.com" and repo["owner"] == "opendatateam"
    assert repo["license"] == {"spdx_id": "MIT", "key": "mit", "name": "MIT License"}
    assert repo["language"] == "Python" and repo["stars"] == 4 and repo["fork"] is False
    assert repo["created_at"] == "2018-08-29T16:00:02Z"
    assert repo["description"] == "Udata Data Package extensions to Datapackage Pipelines"
    topics = next(r for r in seed["repositories"] if "secmar" in r["topics"])["topics"]
    assert "datagouvfr" in topics and all("," not in t for t in topics)


def test_license_display_names_map_to_spdx():
    assert license_for("GNU Affero General Public License v3.0")["spdx_id"] == "AGPL-3.0"
    assert license_for("Apache License 2.0") == {
        "spdx_id": "Apache-2.0",
        "key": "apache-2.0",
        "name": "Apache License 2.0",
    }
    assert license_for("Other") == {"spdx_id": "NOASSERTION", "key": "other", "name": "Other"}
    assert license_for("") is None


def test_root_files_follow_the_license_and_publiccode_files_are_valid(demo):
    seed, _ = demo
    repos = seed["repositories"]
    with_readme = sum(any(n.lower().startswith("readme") for n in r["root_files"]) for r in repos)
    with_publiccode = [r for r in repos if "publiccode.yml" in r["root_files"]]

    assert with_readme > 0.8 * len(repos)
    for repo in repos:
        has_license_file = any(
            n.startswith(("LICENSE", "LICENCE", "COPYING")) for n in repo["root_files"]
        )
        assert has_license_file == (repo["license"] is not None)
    assert 0.01 * len(repos) < len(with_publiccode) < 0.06 * len(repos)
    for repo in with_publiccode:
        parsed = yaml.safe_load(repo["files"]["publiccode.yml"])
        assert parsed["publiccodeYmlVersion"] == "0.4"
        assert parsed["url"] == _url(repo)
        assert parsed["legal"]["license"] == repo["license"]["spdx_id"]
        assert len(parsed["description"]["fr"]["shortDescription"]) <= 150


def test_accounts_yaml_lists_owners_and_whole_instances(rows, demo):
    seed, text = demo

    registry = yaml.safe_load(text)
    whole = [host for host, forge in registry.items() if "owners" not in forge]
    github_owners = {r["repository_url"].split("/")[3] for r in rows if r["platform"] == "GitHub"}

    assert text.startswith("#")
    assert whole == ["gitlab.inria.fr", "gricad-gitlab.univ-grenoble-alpes.fr", "forgemia.inra.fr"]
    assert registry["github.com"]["forge"] == "github"
    assert set(registry["github.com"]["owners"]) == github_owners
    assert registry["gitlab.com"]["owners"]
    assert set(registry) == set(seed["forges"])
    assert all(
        forge["forge"] == "gitlab" for host, forge in registry.items() if host != "github.com"
    )
    assert registry["gitlab.inria.fr"]["pso_id"] == "1774a61b-42e1-4272-b6bb-7ba4cc44b8ac"


def test_listed_owners_cover_every_repository(demo):
    seed, text = demo
    registry = yaml.safe_load(text)

    for repo in seed["repositories"]:
        owners = registry[repo["host"]].get("owners")
        if owners is not None:
            assert repo["owner"].split("/")[0] in owners, _url(repo)


def test_demo_seed_is_served(demo):
    seed, _ = demo
    inria = sum(r["host"] == "gitlab.inria.fr" for r in seed["repositories"])
    with FakeForge(seed) as forge:
        instance = requests.get(
            f"{forge.api_url('gitlab.inria.fr')}/api/v4/projects",
            params={"per_page": 100},
            timeout=5,
        )
        org = requests.get(f"{forge.api_url('github.com')}/orgs/etalab", timeout=5).json()

    assert instance.headers["X-Total"] == str(inria)
    assert len(instance.json()) == 100
    assert org["public_repos"] == sum(
        r["host"] == "github.com" and r["owner"] == "etalab" for r in seed["repositories"]
    )
    assert org["name"]


def test_command_line_serves_a_seed_file(tmp_path):
    seed_file = tmp_path / "seed.json"
    seed_file.write_text(
        json.dumps(
            {"forges": {"github.com": {"kind": "github", "accounts": [{"login": "etalab"}]}}}
        )
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "crawlers.fakeforge", "--seed", str(seed_file), "--port", "0"],
        cwd=MAIN,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        banner = process.stdout.readline()
        base = re.search(r"http://127\.0\.0\.1:\d+", banner).group(0)
        answer = requests.get(f"{base}/github.com/api/v3/orgs/etalab", timeout=5)
    finally:
        process.terminate()
        process.wait(timeout=30)

    assert banner.startswith("Fake forge on http://127.0.0.1:")
    assert answer.json()["login"] == "etalab"
