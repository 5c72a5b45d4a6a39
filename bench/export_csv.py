"""Benchmark: our streamed CSV export of repositories against PostgreSQL's own
``COPY (SELECT …) TO STDOUT WITH CSV HEADER`` of the same columns, and the export's peak memory.

    createdb -h 127.0.0.1 -U postgres logitheque_bench_opendata
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/logitheque_bench_opendata \
        .venv/bin/python bench/export_csv.py [--sizes 10000 100000] [--repeat 3]

For each size (the table is filled up to it with generated repositories, spread over 300
accounts of 60 organisations under 6 ministries): best of --repeat timings of
- export: ``dataset_write`` of the ``repositories`` dataset, CSV only (no gzip), as
  ``exports_generate`` writes it (same columns, awesome-score and all);
- COPY: one SQL query computing the same columns (joins, awesome-score, ISO dates, topics
  joined with ";") streamed by COPY to a file;
then one more export under tracemalloc (peak of Python allocations) and the growth of the
process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from inventory.forges.models import Account, Forge, Repository  # noqa: E402
from inventory.opendata.formats.datasets import DATASETS  # noqa: E402
from inventory.opendata.formats.writers import dataset_write  # noqa: E402
from inventory.organisations.models import Organisation  # noqa: E402

HOST = "bench-opendata.invalid"
T0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
BATCH = 5000

COPY_SQL = """
COPY (
SELECT r.id, f.host AS forge, NULLIF(r.remote_id, '') AS remote_id,
  CASE WHEN a.login = '' THEN f.host ELSE f.host || '/' || a.login END AS account,
  COALESCE(ao.slug, fo.slug) AS organisation,
  COALESCE(am.slug, fm.slug) AS ministry,
  NULLIF(r.owner, '') AS owner, NULLIF(r.name, '') AS name,
  NULLIF(r.full_name, '') AS full_name, NULLIF(r.html_url, '') AS html_url,
  NULLIF(r.description, '') AS description, NULLIF(r.language, '') AS language,
  NULLIF(r.license_spdx, '') AS license,
  (SELECT string_agg(t, ';') FROM jsonb_array_elements_text(r.topics::jsonb) AS t) AS topics,
  r.stars, r.forks, r.open_issues, r.subscribers,
  r.is_fork::text AS fork, r.is_archived::text AS archived, r.is_template::text AS template,
  NULLIF(r.homepage, '') AS homepage, NULLIF(r.default_branch, '') AS default_branch,
  r.has_readme::text AS has_readme,
  r.has_license_file::text AS has_license_file, r.has_contributing::text AS has_contributing,
  r.has_changelog::text AS has_changelog, r.has_publiccode::text AS has_publiccode,
  (CASE WHEN upper(btrim(r.license_spdx)) NOT IN ('', 'NOASSERTION', 'OTHER', 'NONE')
        THEN 1000 ELSE 0 END
   + CASE WHEN r.is_template THEN 1000 ELSE 0 END
   + CASE WHEN r.has_publiccode THEN 1000 ELSE 0 END
   + CASE WHEN r.has_readme THEN 100 ELSE 0 END
   + CASE WHEN r.has_contributing THEN 100 ELSE 0 END
   + CASE WHEN r.has_changelog THEN 10 ELSE 0 END
   - CASE WHEN btrim(r.description) = '' THEN 100 ELSE 0 END
   - CASE WHEN r.is_archived THEN 1000 ELSE 0 END
   - CASE WHEN r.is_fork THEN 1000 ELSE 0 END
   + CASE WHEN r.forks > 100 THEN 1000 WHEN r.forks > 10 THEN 100 WHEN r.forks > 1 THEN 10
          ELSE 0 END
   + CASE WHEN COALESCE(r.subscribers, 0) > 100 THEN 1000
          WHEN COALESCE(r.subscribers, 0) > 10 THEN 100
          WHEN COALESCE(r.subscribers, 0) > 1 THEN 10 ELSE 0 END) AS awesome_score,
  to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
  to_char(r.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated_at,
  to_char(r.pushed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS pushed_at,
  to_char(r.first_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS first_seen_at,
  to_char(r.last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_seen_at,
  to_char(r.gone_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS gone_at
FROM forges_repository r
JOIN forges_forge f ON f.id = r.forge_id
JOIN forges_account a ON a.id = r.account_id
LEFT JOIN organisations_organisation ao ON ao.id = a.organisation_id
LEFT JOIN organisations_organisation am ON am.id = ao.ministry_id
LEFT JOIN organisations_organisation fo ON fo.id = f.organisation_id
LEFT JOIN organisations_organisation fm ON fm.id = fo.ministry_id
ORDER BY r.id
) TO STDOUT WITH CSV HEADER
"""


def populate(target: int) -> None:
    """Fill the bench forge up to ``target`` repositories (idempotent across runs)."""
    forge, _ = Forge.objects.get_or_create(
        host=HOST, defaults={"kind": "github", "api_url": f"https://{HOST}/api/v3"}
    )
    if not Account.objects.filter(forge=forge).exists():
        ministries = [
            Organisation.objects.get_or_create(
                slug=f"bench-ministry-{m}", defaults={"name": f"Ministry {m}", "is_top": True}
            )[0]
            for m in range(6)
        ]
        organisations = [
            Organisation.objects.get_or_create(
                slug=f"bench-organisation-{o}",
                defaults={"name": f"Organisation {o}", "ministry": ministries[o % 6]},
            )[0]
            for o in range(60)
        ]
        Account.objects.bulk_create(
            Account(
                forge=forge, login=f"org-{n}", kind="org", organisation=organisations[n % 60],
                name=f"Organisation account {n}", html_url=f"https://{HOST}/org-{n}",
            )
            for n in range(300)
        )  # fmt: skip
    accounts = list(Account.objects.filter(forge=forge).order_by("pk"))
    bench_repositories = Repository.objects.filter(forge=forge)
    present = bench_repositories.count()
    if present > target:
        last_kept = bench_repositories.order_by("pk").values_list("pk", flat=True)[target - 1]
        bench_repositories.filter(pk__gt=last_kept).delete()
        present = target
    for start in range(present, target, BATCH):
        Repository.objects.bulk_create(
            [_repository(forge, accounts, n) for n in range(start, min(start + BATCH, target))]
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _repository(forge: Forge, accounts: list[Account], n: int) -> Repository:
    account = accounts[n % len(accounts)]
    moment = T0 + dt.timedelta(minutes=n)
    # Updates are not in creation order (as on a real forge): spread them over 100k minutes.
    updated = T0 + dt.timedelta(minutes=(n * 7919) % 100_000)
    return Repository(
        forge=forge, account=account, remote_id=str(n), owner=account.login,
        name=f"repository-{n}", full_name=f"{account.login}/repository-{n}",
        html_url=f"https://{HOST}/{account.login}/repository-{n}",
        description=f"Repository number {n}, a realistic one-line description, with «accents».",
        default_branch="main", language=("Python", "JavaScript", "Go", "PHP")[n % 4],
        license_spdx=("MIT", "AGPL-3.0", "", "EUPL-1.2")[n % 4], topics=["open-data", f"t{n % 50}"],
        stars=n % 500, forks=n % 40, open_issues=n % 7, subscribers=n % 11, is_fork=n % 13 == 0,
        is_archived=n % 17 == 0, has_readme=n % 2 == 0, has_license_file=n % 4 != 2,
        has_publiccode=n % 9 == 0, homepage="", created_at=moment, updated_at=updated,
        pushed_at=updated, first_seen_at=moment, last_seen_at=T0 + dt.timedelta(days=900),
    )  # fmt: skip


def _dataset():
    repositories = next(dataset for dataset in DATASETS if dataset.name == "repositories")
    return replace(repositories, gzip=False)


def time_export(folder: Path, *, use_copy: bool) -> tuple[float, int, int]:
    started = time.perf_counter()
    [written] = dataset_write(_dataset(), folder, formats=("csv",), use_copy=use_copy)
    return time.perf_counter() - started, written.rows, written.bytes


def time_copy(folder: Path) -> tuple[float, int]:
    path = folder / "copy.csv"
    started = time.perf_counter()
    with (
        connection.cursor() as cursor,
        path.open("wb") as out,
        cursor.connection.cursor().copy(COPY_SQL) as copy,
    ):
        for data in copy:
            out.write(data)
    return time.perf_counter() - started, path.stat().st_size


def memory_export(folder: Path, *, use_copy: bool) -> tuple[float, float]:
    """Peak traced Python allocations (MiB) and growth of max RSS (MiB) during one export."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    dataset_write(_dataset(), folder, formats=("csv",), use_copy=use_copy)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20, (after - before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not settings.IS_POSTGRES:
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    call_command("migrate", verbosity=0)
    print(
        f"PostgreSQL {connection.pg_version}, Python {sys.version.split()[0]}, {os.cpu_count()} cores"
    )
    print(
        "| rows | export (s) | Python writer (s) | COPY (s) | export / COPY "
        "| Python writer / COPY | peak traced MiB (export / Python) "
        "| max RSS growth MiB (export / Python) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in sorted(args.sizes):
        populate(size)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            exports = [time_export(folder, use_copy=True) for _ in range(args.repeat)]
            pythons = [time_export(folder, use_copy=False) for _ in range(args.repeat)]
            copies = [time_copy(folder) for _ in range(args.repeat)]
            export_time = min(seconds for seconds, _rows, _bytes in exports)
            python_time = min(seconds for seconds, _rows, _bytes in pythons)
            copy_time = min(seconds for seconds, _bytes in copies)
            _seconds, rows, export_bytes = exports[0]
            if (rows, export_bytes) != pythons[0][1:]:
                sys.exit(f"The two writers differ: {exports[0]}, {pythons[0]}")
            if export_bytes != copies[0][1]:
                print(f"Note: hand-written COPY gave {copies[0][1]:,} bytes, ours {export_bytes:,}")
            peak, rss = memory_export(folder, use_copy=True)
            python_peak, python_rss = memory_export(folder, use_copy=False)
        print(
            f"| {rows:,} | {export_time:.2f} | {python_time:.2f} | {copy_time:.2f} "
            f"| {export_time / copy_time:.2f}× | {python_time / copy_time:.2f}× "
            f"| {peak:.1f} / {python_peak:.1f} | {rss:.1f} / {python_rss:.1f} |",
            flush=True,
        )
    print(f"Load average after: {os.getloadavg()[0]:.1f} (other work on the machine included).")


if __name__ == "__main__":
    main()
