"""Benchmark: the repositories list endpoint under gunicorn + PostgreSQL, driven on loopback at
a FIXED request rate (open loop), reporting p50, p99 and errors.

    createdb -h 127.0.0.1 -U postgres logitheque_bench_opendata
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/logitheque_bench_opendata \
        .venv/bin/python bench/api_load.py [--rows 100000] [--rate 200] [--duration 30] [--workers 3]

Fills the database up to --rows repositories (as bench/export_csv.py does), starts gunicorn
(config.wsgi, --workers sync workers, one per core by default) on 127.0.0.1 with anonymous
throttling off (API_ANON_RATE=off) and, with --no-cache, the anonymous response cache off
(API_CACHE_SECONDS=0), then sends requests at exactly --rate per second for --duration seconds
(after a short warm-up), each at its scheduled time whatever the previous answers: a slow
server makes later requests wait in the queue, and that wait counts in their latency (no
coordinated omission). The URLs cycle through the list's common uses: first page, filters,
orderings and cursor pages. Loopback only; bounded in count and time; stops gunicorn at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from export_csv import HOST, populate  # noqa: E402  (sets Django up)

BASE = "/api/v1/repositories/"
CLIENT_THREADS = 48
REQUEST_TIMEOUT = 10.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(connection: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    connection.request("GET", path, headers={"Accept": "application/json"})
    response = connection.getresponse()
    return response.status, response.read()


def start_gunicorn(port: int, workers: int, *, cache: bool) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "API_CACHE_SECONDS": os.environ.get("API_CACHE_SECONDS", "30") if cache else "0",
        "API_ANON_RATE": "off",
        "DEBUG": "0",
        "DATABASE_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "ERROR",
    }
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", str(workers),
        "--bind", f"127.0.0.1:{port}", "--worker-class", "sync", "--keep-alive", "30",
        "--backlog", "256", "--log-level", "warning", "--preload",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True)


def wait_ready(port: int, deadline: float = 60.0) -> None:
    started = time.monotonic()
    while time.monotonic() - started < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            status, _body = get(connection, BASE + "?page_size=1")
            connection.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within a minute")


def paths(port: int) -> list[str]:
    """The URL mix: first pages, filters, orderings, and the next pages of cursors."""
    mix = [
        BASE,
        BASE + "?ordering=-stars",
        BASE + "?language=Python",
        BASE + f"?forge={HOST}&archived=false",
        BASE + "?license=MIT&fork=false",
        BASE + "?organisation=bench-organisation-7",
        BASE + "?ministry=bench-ministry-2",
        BASE + "?updated_since=2024-02-01T00:00:00Z",
    ]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    for start in (BASE, BASE + "?ordering=-stars"):
        page = json.loads(get(connection, start)[1])
        for _ in range(3):
            next_url = page["next"]
            path = next_url[next_url.index("/api/") :]
            mix.append(path)
            page = json.loads(get(connection, path)[1])
    connection.close()
    return mix


def drive(port: int, urls: list[str], *, rate: float, duration: float) -> dict:
    """Send rate×duration requests, request i at start + i/rate; returns latencies and errors."""
    total = int(rate * duration)
    jobs: queue.Queue = queue.Queue()
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        while True:
            job = jobs.get()
            if job is None:
                connection.close()
                return
            scheduled, path = job
            try:
                status, _body = get(connection, path)
                problem = None if status == 200 else f"HTTP {status}"
            except (OSError, http.client.HTTPException) as error:
                problem = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
            finished = time.perf_counter()
            with lock:
                latencies.append(finished - scheduled)
                if problem:
                    errors.append(problem)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(CLIENT_THREADS)]
    for thread in threads:
        thread.start()
    start = time.perf_counter() + 0.1
    for index in range(total):
        scheduled = start + index / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        jobs.put((scheduled, urls[index % len(urls)]))
    sent_in = time.perf_counter() - start
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT + 5)
    ordered = sorted(latencies)

    def quantile(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {
        "requests": total,
        "answered": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "rate": total / sent_in,
        "p50": quantile(0.50),
        "p90": quantile(0.90),
        "p99": quantile(0.99),
        "max": ordered[-1] * 1000,
        "mean": statistics.fmean(ordered) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--no-cache", action="store_true", help="switch the anonymous response cache off"
    )
    args = parser.parse_args()
    if not settings.IS_POSTGRES:
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    if not 1 <= args.rate <= 1000 or not 1 <= args.duration <= 120:
        sys.exit("Keep --rate within 1..1000 and --duration within 1..120 seconds.")
    call_command("migrate", verbosity=0)
    populate(args.rows)
    port = free_port()
    load_before = os.getloadavg()[0]
    server = start_gunicorn(port, args.workers, cache=not args.no_cache)
    try:
        wait_ready(port)
        urls = paths(port)
        drive(port, urls, rate=args.rate, duration=args.warmup)
        result = drive(port, urls, rate=args.rate, duration=args.duration)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(f"{args.rows:,} repositories, {args.workers} gunicorn workers, {len(urls)} URLs, "
          f"response cache {'off' if args.no_cache else 'on'}, "
          f"{os.cpu_count()} cores (load generator on the same machine), load average "
          f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after")  # fmt: skip
    print(
        "| rate asked (req/s) | rate sent | requests | errors | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {args.rate:.0f} | {result['rate']:.1f} | {result['requests']:,} | "
        f"{result['errors']}{' ' + ','.join(result['error_kinds']) if result['errors'] else ''} | "
        f"{result['p50']:.1f} | {result['p90']:.1f} | {result['p99']:.1f} | {result['max']:.1f} |"
    )


if __name__ == "__main__":
    main()
