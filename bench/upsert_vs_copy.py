"""Benchmark: repositories_upsert of 100k crawled repositories against a PostgreSQL COPY of the same rows.

    createdb -h 127.0.0.1 -U postgres logitheque_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/logitheque_bench \
        .venv/bin/python bench/upsert_vs_copy.py [--rows 100000] [--repeat 3]

Migrates the database, then, best of --repeat rounds each:
- insert: repositories_upsert of every record (new, with details) into an empty table;
- COPY: the same records turned into rows (by the upsert's own conversion) and COPied into
  the empty forges_repository itself (same columns, indexes, constraints, foreign keys), then
  deleted; for reference also into ``CREATE TABLE … (LIKE forges_repository INCLUDING ALL)``,
  which has the same columns, indexes and unique key but no foreign keys;
- update: repositories_upsert of every record again, each changed (new change_key and details);
- unchanged: repositories_upsert of every record again, unchanged and without details
  (a daily re-crawl).
Each upsert time is reported against the COPY time (target: insert ≤ 2×).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from crawlers.records import RepositoryDetails, RepositoryRecord, RootFiles  # noqa: E402
from inventory.forges.models import Account, Forge, Repository  # noqa: E402
from inventory.forges.services.repositories import (  # noqa: E402
    _COLUMNS,
    _copy_row,
    _repository_values,
    repositories_upsert,
)

HOST = "bench.invalid"
COPY_TABLE = "bench_repository_copy"
T0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
PUBLICCODE = "publiccodeYmlVersion: '0.4'\nname: bench\nurl: https://bench.invalid/x\n"


def make_records(count: int, *, version: int) -> list[RepositoryRecord]:
    details = RepositoryDetails(
        root_files=RootFiles(readme=True, license=True, publiccode=True),
        publiccode_text=PUBLICCODE,
        publiccode={"publiccodeYmlVersion": "0.4", "name": "bench"},
        license_spdx="MIT",
        license_name="MIT License",
        language="Python",
        languages={"Python": 90.5, "HTML": 9.5},
    )
    return [
        RepositoryRecord(
            forge_id=str(1_000_000 + n),
            owner=f"org-{n % 300}",
            name=f"repository-{n}",
            full_name=f"org-{n % 300}/repository-{n}",
            html_url=f"https://{HOST}/org-{n % 300}/repository-{n}",
            clone_url=f"https://{HOST}/org-{n % 300}/repository-{n}.git",
            description=f"Repository number {n}, a realistic one-line description of its purpose.",
            default_branch="main",
            language="Python",
            license_spdx="MIT",
            license_name="MIT License",
            topics=("open-data", "python", f"topic-{n % 50}"),
            stars=n % 500,
            forks=n % 40,
            open_issues=n % 7,
            subscribers=n % 11,
            homepage=f"https://{HOST}/site/{n}",
            created_at=T0,
            updated_at=T0 + dt.timedelta(days=version),
            pushed_at=T0 + dt.timedelta(days=version),
            change_key=f"{T0 + dt.timedelta(days=version):%Y-%m-%dT%H:%M:%SZ}",
            details=details,
        )
        for n in range(count)
    ]


def copy_rows(
    account: Account, records: list[RepositoryRecord], seen_at: dt.datetime, *, table: str
) -> float:
    """Convert the records to rows as the upsert does, and COPY them into ``table``; returns seconds."""
    names = ", ".join(field.column for field in _COLUMNS)
    connection.ensure_connection()
    started = time.perf_counter()
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for record in records:
            copy.write_row(_copy_row(_repository_values(record, account=account, seen_at=seen_at)))
    return time.perf_counter() - started


def timed(function, **kwargs) -> float:
    started = time.perf_counter()
    function(**kwargs)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not settings.IS_POSTGRES:
        sys.exit("Set DATABASE_URL to a PostgreSQL database: this compares with COPY.")
    call_command("migrate", verbosity=0)
    forge, _ = Forge.objects.get_or_create(
        host=HOST, defaults={"kind": "github", "api_url": f"https://{HOST}/api/v3"}
    )
    account, _ = Account.objects.get_or_create(forge=forge, login="bench", defaults={"kind": "org"})
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {COPY_TABLE}")
        cursor.execute(f"CREATE TABLE {COPY_TABLE} (LIKE forges_repository INCLUDING ALL)")
    first = make_records(args.rows, version=0)
    changed = make_records(args.rows, version=1)
    unchanged = [replace(record, details=None) for record in changed]
    seen_at = dt.datetime.now(dt.UTC)

    best: dict[str, float] = {}
    for _ in range(args.repeat):
        Repository.objects.filter(forge=forge).delete()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE forges_repository")
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {COPY_TABLE}")
        rounds = {
            "copy_like": copy_rows(account, first, seen_at, table=COPY_TABLE),
            "copy": copy_rows(account, first, seen_at, table=Repository._meta.db_table),
        }
        Repository.objects.filter(forge=forge).delete()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE forges_repository")
        rounds |= {
            "insert": timed(repositories_upsert, account=account, records=first, seen_at=seen_at),
            "update": timed(repositories_upsert, account=account, records=changed, seen_at=seen_at),
            "unchanged": timed(
                repositories_upsert, account=account, records=unchanged, seen_at=seen_at
            ),
        }
        for name, seconds in rounds.items():
            best[name] = min(best.get(name, seconds), seconds)
    assert Repository.objects.filter(forge=forge).count() == args.rows

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
        cursor.execute(f"DROP TABLE {COPY_TABLE}")
    Repository.objects.filter(forge=forge).delete()
    print(f"{args.rows} repositories, PostgreSQL {version}, best of {args.repeat}")
    print(f"{'pass':<40} {'seconds':>8} {'vs COPY':>8}")
    print(f"{'COPY into forges_repository (empty)':<40} {best['copy']:>8.2f} {'1.00×':>8}")
    print(
        f"{'COPY into a LIKE copy (no foreign keys)':<40} {best['copy_like']:>8.2f} "
        f"{best['copy_like'] / best['copy']:>7.2f}×"
    )
    for name, label in (
        ("insert", "upsert, all new (empty table)"),
        ("update", "upsert, all changed"),
        ("unchanged", "upsert, all unchanged, no details"),
    ):
        print(f"{label:<40} {best[name]:>8.2f} {best[name] / best['copy']:>7.2f}×")


if __name__ == "__main__":
    main()
