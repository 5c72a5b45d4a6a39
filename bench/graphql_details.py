"""Benchmark: requests and GitHub rate-limit points of a first crawl, REST vs GraphQL details,
with and without manifests, side by side on the demo seed; then an unchanged re-crawl.

    .venv/bin/python bench/graphql_details.py [--csv ../shared/data/codegouvfr-2021/repositories.csv]

Serves the demo seed (crawlers.fakeforge.demo, with its manifests) on the fake forge and crawls
every github.com and gitlab.com account through the real clients (PyGithub, python-gitlab),
once per configuration, each account with a fresh HTTP cache; the GraphQL-with-manifests crawl
is then repeated with its cache and known change keys, nothing having changed.

GitHub rate-limit points: one per REST request answered (304s are free), GraphQL queries at
the cost GitHub's rule gives them (the fake forge computes it: connections asked per parent,
over 100, at least 1). Targets (issue #12): first crawl through GraphQL ≤ 1.1 × (listing
requests + ⌈new repositories / 100⌉ queries) per account on GitHub; ≥ 10× fewer GitHub points
than today's REST details; unchanged re-crawl ≥ 95 % 304 and no GraphQL query; manifests add
no request per repository on GitHub.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from crawlers.fakeforge import FakeForge  # noqa: E402
from crawlers.fakeforge.demo import build_demo_seed  # noqa: E402
from crawlers.http import MemoryHttpCache  # noqa: E402
from crawlers.manifests import read_manifests  # noqa: E402
from crawlers.records import AccountRef  # noqa: E402
from crawlers.registry import client_for  # noqa: E402

DEFAULT_CSV = ROOT.parent / "shared" / "data" / "codegouvfr-2021" / "repositories.csv"
GITHUB = "github.com"
CONFIGURATIONS = (
    ("REST details", {"graphql": False, "manifests": False}),
    ("REST details + manifests", {"graphql": False, "manifests": True}),
    ("GraphQL details", {"graphql": True, "manifests": False}),
    ("GraphQL details + manifests", {"graphql": True, "manifests": True}),
)


@dataclass
class Figures:
    requests: int = 0
    not_modified: int = 0
    rest_points: int = 0  # REST requests answered other than 304 (GitHub counts these)
    graphql_queries: int = 0
    graphql_points: int = 0
    repositories: int = 0
    detailed: int = 0
    listing: int = (
        0  # listing requests (profile and pages), the part of the floor REST needs anyway
    )
    floor: int = 0  # listing + ceil(detailed / 100) per account
    dependencies: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    results: dict[str, object] = field(default_factory=dict)


def accounts(registry: dict, host: str) -> list[AccountRef]:
    """The accounts the demo registers on ``host``: its owners, or the whole instance."""
    entry = registry[host]
    if not entry.get("owners"):
        return [AccountRef(api_url="", kind="instance")]
    kind = "org" if entry["forge"] == "github" else "group"
    return [AccountRef(api_url="", kind=kind, login=login) for login in entry["owners"]]


def crawl(forge: FakeForge, refs: list[tuple[str, AccountRef]], options: dict, *,
          caches: dict | None = None, known: dict | None = None) -> Figures:  # fmt: skip
    figures = Figures()
    started = time.perf_counter()
    points_before = forge.graphql.cost
    for host, ref in refs:
        key = f"{host}/{ref.login}"
        cache = MemoryHttpCache() if caches is None else caches.setdefault(key, MemoryHttpCache())
        client = client_for(forge.state.forge(host).kind, api_url=forge.api_url(host),
                            token="bench-token", cache=cache, sleep=lambda s: None, **options)  # fmt: skip
        forge.reset_log()
        account = AccountRef(api_url=forge.api_url(host), kind=ref.kind, login=ref.login)
        try:
            result = client.crawl_account(account, known=(known or {}).get(key, {}))
        except Exception as error:  # noqa: BLE001 - reported, the run goes on
            figures.failures.append(f"{host}/{ref.login}: {error}")
            continue
        log = forge.requests
        figures.results[key] = result
        figures.requests += result.stats.requests
        figures.not_modified += result.stats.not_modified
        figures.rest_points += sum(1 for e in log if e.method == "GET" and e.status != 304)
        figures.graphql_queries += result.stats.graphql_queries
        figures.repositories += len(result.repositories)
        detailed = sum(1 for r in result.repositories if r.details is not None)
        figures.detailed += detailed
        # The organisation or group, then its pages of 100 (one even when empty).
        listing = 1 + max(1, math.ceil(len(result.repositories) / 100))
        figures.listing += listing
        figures.floor += listing + math.ceil(detailed / 100)
        figures.dependencies += sum(
            len(r.details.dependencies) for r in result.repositories if r.details
        )
    figures.graphql_points = forge.graphql.cost - points_before
    figures.seconds = time.perf_counter() - started
    return figures


def expected_dependencies(seed: dict, hosts: list[str]) -> dict[tuple[str, str], int]:
    """Dependencies each repository's seeded manifests declare ((host, forge id) → count)."""
    expected = {}
    for repo in seed["repositories"]:
        files = {k: v for k, v in (repo.get("files") or {}).items() if k != "publiccode.yml"}
        if repo["host"] in hosts and files:
            _, dependencies = read_manifests(files, lambda name, f=files: f[name].encode())
            expected[(repo["host"], str(repo["id"]))] = len(dependencies)
    return expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    args = parser.parse_args()
    seed, accounts_yaml = build_demo_seed(args.csv)
    registry = yaml.safe_load(accounts_yaml)
    table: dict[tuple[str, str], Figures] = {}
    with FakeForge(seed) as forge:
        forge.graphql.points = 10**9  # count the points, never make the bench wait
        for forge_name, hosts in (
            ("github.com", [GITHUB]),
            ("GitLab", [h for h in registry if h != GITHUB]),
        ):
            refs = [(host, ref) for host in hosts for ref in accounts(registry, host)]
            for name, options in CONFIGURATIONS:
                if forge_name == "GitLab" and not options["manifests"]:
                    continue  # GitLab is only compared with manifests (its REST crawl is long)
                caches: dict = {}
                table[(forge_name, name)] = figures = crawl(forge, refs, options, caches=caches)
                print(f"{forge_name:12} {name:30} {figures.requests:7} requests, "
                      f"{figures.seconds:6.1f} s", flush=True)  # fmt: skip
                if options == {"graphql": True, "manifests": True}:
                    known = {key: {r.forge_id: r.change_key for r in result.repositories}
                             for key, result in figures.results.items()}  # fmt: skip
                    table[(forge_name, "unchanged re-crawl")] = crawl(
                        forge, refs, options, caches=caches, known=known
                    )
                    found = Counter()
                    for key, result in figures.results.items():
                        for record in result.repositories:
                            found[(key.split("/")[0], record.forge_id)] = len(
                                record.details.dependencies
                            )
                    expected = expected_dependencies(seed, hosts)
                    missing = [i for i, count in expected.items() if found.get(i) != count]
                    print(f"  dependencies: {sum(expected.values())} expected in {len(expected)} "
                          f"repositories, {len(missing)} repositories differ", flush=True)  # fmt: skip
            for figures in table.values():
                figures.results.clear()
    report(table)


def report(table: dict[tuple[str, str], Figures]) -> None:
    print()
    print(f"{'forge':12} {'crawl':30} {'repos':>6} {'detailed':>8} {'requests':>8} "
          f"{'304':>6} {'GraphQL':>7} {'GitHub points':>13} {'floor':>6} {'ratio':>6} {'deps':>6} {'s':>6}")  # fmt: skip
    for (host, name), f in table.items():
        points = f.rest_points + f.graphql_points if host == GITHUB else ""
        ratio = f"{f.requests / f.floor:.3f}" if host == GITHUB and "GraphQL" in name else ""
        print(f"{host:12} {name:30} {f.repositories:6} {f.detailed:8} {f.requests:8} "
              f"{f.not_modified:6} {f.graphql_queries:7} {points!s:>13} {f.floor:6} {ratio:>6} "
              f"{f.dependencies:6} {f.seconds:6.1f}")  # fmt: skip
        for failure in f.failures[:5]:
            print(f"  FAILED {failure}")
    rest = table.get((GITHUB, "REST details"))
    graphql = table.get((GITHUB, "GraphQL details + manifests"))
    plain = table.get((GITHUB, "GraphQL details"))
    again = table.get((GITHUB, "unchanged re-crawl"))
    if rest and graphql and plain and again:
        rest_details = rest.rest_points - rest.listing
        graphql_details = graphql.graphql_points
        print()
        print(f"GitHub points for details: REST {rest_details}, GraphQL with manifests "
              f"{graphql_details} ({rest_details / max(graphql_details, 1):.1f}× fewer); whole "
              f"first crawl {rest.rest_points} → {graphql.rest_points + graphql.graphql_points} "
              f"({rest.rest_points / max(graphql.rest_points + graphql.graphql_points, 1):.1f}×)")  # fmt: skip
        print(f"GitHub first crawl through GraphQL with manifests: {graphql.requests} requests for a "
              f"floor of {graphql.floor} ({graphql.requests / graphql.floor:.3f}×); manifests added "
              f"{graphql.requests - plain.requests} requests for {graphql.detailed} repositories")  # fmt: skip
        print(f"Unchanged re-crawl: {again.not_modified} of {again.requests} answered 304 "
              f"({100 * again.not_modified / max(again.requests, 1):.1f} %), "
              f"{again.graphql_queries} GraphQL queries")  # fmt: skip


if __name__ == "__main__":
    main()
