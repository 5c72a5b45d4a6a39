"""Benchmark: does the catalog search answer needs? recall@5 and MRR through the API.

    .venv/bin/python bench/search_needs.py [--queries FILE ...] [--show N]

Creates a fresh database (a temporary SQLite file; with DATABASE_URL set, a throw-away
"<name>_search_bench" database next to it, dropped at the end), migrates it (which seeds the
needs vocabulary), imports the real SILL (../shared/data/sill/sill.json, 240 entries) with
``manage.py import_sill``, then sends every query of each file to ``/api/v1/software/?q=``
and compares the first five answers with the sill.json ids a good answer shows.

Query files are tab-separated: the query, then the acceptable ids separated by commas; lines
starting with # are comments. Default: the development set (../shared/data/search/
needs-dev.tsv) and the held-out set written beside this script (search_needs_heldout.tsv).

Per query: recall@5 = expected ids among the first five / min(expected, 5); reciprocal rank
= 1 / position of the first expected id among the first ten (0 when none). Reported: their
means (MRR), each query's first five, and the expected ids missing from them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("API_ANON_RATE", "off")
os.environ.setdefault("API_CACHE_SECONDS", "0")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = (
        f"sqlite:///{tempfile.mkdtemp(prefix='search-bench-')}/bench.sqlite3"
    )

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from inventory.catalog.models import Software  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
DEFAULT_QUERIES = [SHARED / "search" / "needs-dev.tsv", ROOT / "bench" / "search_needs_heldout.tsv"]


def read_queries(path: Path) -> list[tuple[str, list[int]]]:
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, ids = line.split("\t")
        queries.append((query, [int(value) for value in ids.split(",")]))
    return queries


def evaluate(client: Client, queries, slug_to_id: dict[str, int], names: dict[int, str], show):
    recalls, reciprocal_ranks, lines, durations = [], [], [], []
    for query, expected in queries:
        started = time.perf_counter()
        response = client.get("/api/v1/software/?" + urlencode({"q": query, "page_size": 10}))
        durations.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{query!r}: HTTP {response.status_code} {response.content[:200]!r}")
        found = [slug_to_id.get(item["slug"]) for item in response.json()["results"]]
        top = found[:5]
        hits = [sill_id for sill_id in expected if sill_id in top]
        recall = len(hits) / min(len(expected), 5)
        rank = next((i for i, sill_id in enumerate(found, 1) if sill_id in expected), 0)
        recalls.append(recall)
        reciprocal_ranks.append(1 / rank if rank else 0.0)
        missing = [
            f"{sill_id} {names.get(sill_id, '?')}" for sill_id in expected if sill_id not in top
        ]
        shown = ", ".join(names.get(sill_id, "?") for sill_id in found[:show])
        lines.append(
            f"| {query} | {recall:.2f} | {rank or '-'} | {shown} | {'; '.join(missing) or ''} |"
        )
    return (
        sum(recalls) / len(recalls),
        sum(reciprocal_ranks) / len(reciprocal_ranks),
        lines,
        sorted(durations),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=Path, nargs="*", default=DEFAULT_QUERIES)
    parser.add_argument("--show", type=int, default=5, help="answers shown per query")
    args = parser.parse_args()

    database = connection.settings_dict
    database["TEST"]["NAME"] = (
        database["NAME"] if connection.vendor == "sqlite" else f"{database['NAME']}_search_bench"
    )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        call_command("import_sill", str(SHARED / "sill" / "sill.json"), verbosity=0)
        imported = time.perf_counter() - started
        slug_to_id = dict(Software.objects.values_list("slug", "sill_id"))
        names = {sill_id: name for name, sill_id in Software.objects.values_list("name", "sill_id")}
        client = Client()
        # The first search of a process reads the catalog's words and the needs vocabulary.
        started = time.perf_counter()
        client.get("/api/v1/software/?q=bureautique")
        print(f"First search of the process: {(time.perf_counter() - started) * 1000:.0f} ms")
        print(
            f"Database: {connection.vendor}; {len(slug_to_id)} entries imported in {imported:.1f} s"
        )
        for path in args.queries:
            queries = read_queries(path)
            recall, mrr, lines, durations = evaluate(client, queries, slug_to_id, names, args.show)
            median = durations[len(durations) // 2] * 1000
            print(f"\n## {path.name}: {len(queries)} queries")
            print(
                f"recall@5 {recall:.1%}  MRR {mrr:.3f}  (API request: median {median:.0f} ms, "
                f"slowest {durations[-1] * 1000:.0f} ms)\n"
            )
            print("| Query | Recall@5 | First hit | First answers | Missing from the first five |")
            print("| --- | --- | --- | --- | --- |")
            print("\n".join(lines))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
