"""Benchmark: requests per account against the floor, and the share of 304s on an unchanged re-crawl.

    .venv/bin/python bench/crawl_requests.py [--csv ../shared/data/codegouvfr-2021/repositories.csv]

Serves the demo seed (crawlers.fakeforge.demo: the 2021 code.gouv.fr inventory's repositories
under github.com and gitlab.com owners and a few whole self-hosted GitLab instances) on the
fake forge, registers its accounts, and crawls every account twice through the real clients
and services (manage.py crawl's path) into a fresh SQLite file, or into DATABASE_URL if set.

Floor per account, first crawl (every repository new): the listing pages, ceil(repositories /
page size) + 1 (the account itself: organisation or group lookup, GitHub profile), plus per
repository one root listing, one raw publiccode.yml when present and, on GitLab, the license
and languages calls. Target: requests ≤ 1.05 × floor. Second crawl, nothing changed: the
share of 304 answers among all requests (target ≥ 95 %).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The REST floor this script measures is that of REST details without manifests;
# bench/graphql_details.py compares it with GraphQL details and manifests.
os.environ.setdefault("CRAWL_GRAPHQL", "false")
os.environ.setdefault("CRAWL_MANIFESTS", "false")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = (
        f"sqlite:///{tempfile.mkdtemp(prefix='crawl-bench-')}/bench.sqlite3"
    )

import django  # noqa: E402

django.setup()

import yaml  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from crawlers.fakeforge import FakeForge  # noqa: E402
from crawlers.fakeforge.demo import build_demo_seed  # noqa: E402
from inventory.forges.models import (  # noqa: E402
    Account,
    AccountCrawl,
    AccountKind,
    CrawlRun,
    Forge,
    Repository,
)
from inventory.forges.services.crawl import (  # noqa: E402
    account_crawl,
    crawl_run_finish,
    crawl_run_start,
)

PAGE_SIZE = {"github": 100, "gitlab": 100, "gitea": 50, "gogs": 50}
DEFAULT_CSV = ROOT.parent / "shared" / "data" / "codegouvfr-2021" / "repositories.csv"


def register(seed: dict, accounts_yaml: str, forge: FakeForge) -> None:
    """Forges and accounts as manage.py import_accounts would, pointed at the fake forge."""
    kinds = {
        (host, account["login"].lower()): account.get("kind", "org")
        for host, spec in seed["forges"].items()
        for account in spec.get("accounts", [])
    }
    for host, entry in yaml.safe_load(accounts_yaml).items():
        owners = entry.get("owners") or {}
        row = Forge.objects.create(
            host=host, kind=entry["forge"], api_url=forge.api_url(host), whole_instance=not owners
        )
        if not owners:
            Account.objects.create(forge=row, login="", kind=AccountKind.INSTANCE)
        for login in owners:
            Account.objects.create(
                forge=row, login=login, kind=kinds.get((host, login.lower()), "org")
            )


def crawl_all(trigger: str) -> tuple[CrawlRun, float]:
    started = time.perf_counter()
    run = crawl_run_start(trigger=trigger)
    for account_id in run.results.values_list("account_id", flat=True):
        account_crawl(account_id=account_id, run_id=run.pk)
    return crawl_run_finish(run_id=run.pk), time.perf_counter() - started


def floor(crawl: AccountCrawl, publiccode_files: int) -> int:
    kind = crawl.account.forge.kind
    repositories = crawl.repositories_seen
    per_repository = 1 + (2 if kind == "gitlab" else 0)
    return (
        math.ceil(repositories / PAGE_SIZE[kind])
        + 1
        + repositories * per_repository
        + publiccode_files
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Repository.objects.exists():
        sys.exit("The database already holds repositories: point DATABASE_URL at an empty one.")
    seed, accounts_yaml = build_demo_seed(args.csv)
    with FakeForge(seed) as forge:
        register(seed, accounts_yaml, forge)
        first, first_seconds = crawl_all("bench-first")
        second, second_seconds = crawl_all("bench-unchanged")

    publiccode = Counter(
        Repository.objects.filter(has_publiccode=True).values_list("account_id", flat=True)
    )
    first_results = list(first.results.select_related("account__forge"))
    failed = [r for r in first_results if r.status != "success"]
    ratios = []
    requests = floors = 0
    by_kind: dict[str, list[int]] = {}
    for result in first_results:
        if result.status != "success":
            continue
        expected = floor(result, publiccode[result.account_id])
        requests += result.requests
        floors += expected
        ratios.append((result.requests / expected, str(result.account)))
        totals = by_kind.setdefault(result.account.forge.kind, [0, 0, 0])
        totals[0] += result.requests
        totals[1] += expected
        totals[2] += result.repositories_seen
    second_results = list(second.results.all())
    second_requests = sum(r.requests for r in second_results)
    second_304 = sum(r.not_modified for r in second_results)
    changed = sum(r.repositories_new + r.repositories_updated for r in second_results)

    print(f"Database: {connection.vendor}; accounts: {len(first_results)} ({len(failed)} failed)")
    print(f"Repositories: {Repository.objects.count()}")
    print()
    print("First crawl (every repository new)")
    print(f"{'forge kind':<12} {'repos':>7} {'requests':>9} {'floor':>9} {'ratio':>7}")
    for kind, (sent, expected, repositories) in sorted(by_kind.items()):
        print(f"{kind:<12} {repositories:>7} {sent:>9} {expected:>9} {sent / expected:>7.3f}")
    print(f"{'all':<12} {'':>7} {requests:>9} {floors:>9} {requests / floors:>7.3f}")
    ratios.sort(reverse=True)
    over = [name for ratio, name in ratios if ratio > 1.05]
    print(f"Accounts above 1.05× their floor: {len(over)} of {len(ratios)}")
    for ratio, name in ratios[:5]:
        print(f"  highest: {name} {ratio:.3f}×")
    print(f"Duration: {first_seconds:.1f} s")
    print()
    print("Second crawl (nothing changed)")
    print(
        f"requests {second_requests}, 304 answers {second_304} "
        f"({100 * second_304 / max(second_requests, 1):.1f} %), "
        f"repositories new or updated {changed}, duration {second_seconds:.1f} s"
    )
    for result in failed:
        print(f"FAILED {result.account}: {result.error_kind}: {result.error}")


if __name__ == "__main__":
    main()
