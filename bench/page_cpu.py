"""Benchmark: CPU milliseconds and SQL queries per request for each URL of pages_at_scale.py,
measured in-process, a figure the machine's load barely changes (unlike latency under load).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_h_bench \\
        .venv/bin/python bench/page_cpu.py [--repeat 20] [--profile /code/] [--top 30]

Runs against a database filled by bench/pages_at_scale.py (any size), with the production
settings the load benchmark uses (DEBUG off, page and API caches off, throttling off), through
Django's test client (the whole middleware stack, no network). Per URL: after 3 warm-up
requests, the median over --repeat requests of the process's CPU time (``time.process_time``:
this process only, so other jobs on the machine count only through cache and frequency
effects) and of the wall time, and the number of SQL queries of one request. The database
server's own CPU is not in the figure; its share shows as wall time minus CPU time.
--profile PATH prints cProfile's --top functions by cumulative time for that URL.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
for name, value in {
    "DEBUG": "0", "PAGE_CACHE_SECONDS": "0", "API_CACHE_SECONDS": "0", "API_ANON_RATE": "off",
    "DATABASE_CONN_MAX_AGE": "600", "LOG_LEVEL": "ERROR",
}.items():  # fmt: skip
    os.environ[name] = value

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from inventory.forges.models import Repository  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from pages_at_scale import URLS  # noqa: E402

WARM_UP = 3


def measure(client: Client, path: str, repeat: int) -> tuple[float, float, int]:
    """Median CPU ms, median wall ms, and the queries of one request."""
    for _ in range(WARM_UP):
        assert client.get(path).status_code == 200, path
    cpu, wall = [], []
    for _ in range(repeat):
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        response = client.get(path)
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started_wall) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return statistics.median(cpu), statistics.median(wall), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", default=None, help="A path to profile with cProfile.")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    client = Client(HTTP_ACCEPT="text/html,application/json", HTTP_ACCEPT_LANGUAGE="fr")
    if args.profile:
        for _ in range(WARM_UP):
            client.get(args.profile)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            client.get(args.profile)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)
        return
    size = Repository.objects.count()
    print(f"{size:,} repositories; load average {os.getloadavg()[0]:.1f}")
    print(f"| page | CPU ms (median of {args.repeat}) | wall ms | queries |")
    print("|---|---|---|---|")
    for label, path in URLS:
        cpu, wall, queries = measure(client, path, args.repeat)
        print(f"| {label} (`{path}`) | {cpu:.1f} | {wall:.1f} | {queries} |", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
