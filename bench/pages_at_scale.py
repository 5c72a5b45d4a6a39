"""Benchmark: every page and API answer listed in issue #11, at 100k and 1M repositories.

    createdb -h 127.0.0.1 -U postgres wt_h_bench
    .venv/bin/pip install -e '.[bench]'       # locust
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_h_bench \\
        .venv/bin/python bench/pages_at_scale.py [--sizes 100000 1000000] [--duration 20]

For each size, in increasing order, the database is filled up to that many repositories
(generated, realistic: ministries, organisations, github.com and gitlab.com accounts and whole
self-hosted instances of very unequal sizes, Zipf-distributed words and topics, forks,
archives, gone ones), by COPY, as rows the crawl's upsert would store (same derived score and
search document). Then:

- the stored counts are refreshed as after a crawl run (timed);
- a crawl's upsert of one new 10,000-repository account is timed, then its unchanged
  re-crawl (then those rows are deleted again);
- with --opendata, a whole ``exports_generate()`` is timed;
- gunicorn (config.wsgi, 2 sync workers, caches off: PAGE_CACHE_SECONDS=0,
  API_CACHE_SECONDS=0, throttling off) serves 127.0.0.1, and locust (headless) runs 10
  clients without pause against each URL in turn for --duration seconds: p50, p99, req/s;
- in-process, each URL's slowest SQL query is explained (EXPLAIN (ANALYZE, BUFFERS)), printed
  whole for the slowest of all, as index/scan summaries for the others.

Loopback only; every loop is bounded in count and time; gunicorn and locust are stopped at
the end. Rerunning resumes: rows already there are kept (the generator is deterministic).
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from crawlers.records import RepositoryDetails, RepositoryRecord, RootFiles  # noqa: E402
from inventory.catalog.models import Software  # noqa: E402
from inventory.forges.models import Account, Forge, Repository  # noqa: E402
from inventory.forges.scoring import (  # noqa: E402
    SEARCH_VECTOR_SQL,
    awesome_score,
    search_document,
)
from inventory.forges.services.counts import repository_counts_refresh  # noqa: E402
from inventory.forges.services.repositories import repositories_upsert  # noqa: E402
from inventory.organisations.models import Organisation  # noqa: E402

SEED = 20261129
BATCH = 10_000
NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
SHARED = Path(os.environ.get("LOGITHEQUE_SHARED_DATA", ROOT.parent / "shared" / "data"))
COMMON_WORD = "ouvertes"  # in about one description of five
RARE_WORD = "geothermie"  # in one repository of 50,000
UPSERT_ACCOUNT = "bench-upsert"
UPSERT_SIZE = 10_000
USERS = 10
WORKERS = 2

URLS = [
    ("home", "/"),
    ("catalog", "/logiciels/"),
    ("code, reuse score", "/code/"),
    ("code, stars", "/code/?sort=stars"),
    ("code, last activity", "/code/?sort=activity"),
    ("code, common word", f"/code/?q={COMMON_WORD}"),
    ("code, rare word", f"/code/?q={RARE_WORD}"),
    ("organisations", "/code/organisations/"),
    ("statistics", "/statistiques/"),
    ("API list", "/api/v1/repositories/"),
    ("API search, common word", f"/api/v1/repositories/?q={COMMON_WORD}"),
    ("API search, rare word", f"/api/v1/repositories/?q={RARE_WORD}"),
]

# --- Generated inventory ---------------------------------------------------------------------

MINISTRIES = [
    "Ministère de l'Intérieur", "Ministère des Armées", "Ministère de l'Économie",
    "Ministère de l'Éducation nationale", "Ministère de l'Enseignement supérieur",
    "Ministère de la Santé", "Ministère de la Culture", "Ministère de la Justice",
    "Ministère de la Transition écologique", "Ministère de l'Agriculture",
    "Ministère du Travail", "Ministère des Affaires étrangères", "Services du Premier ministre",
    "Ministère des Sports", "Ministère de la Mer", "Ministère du Logement",
]  # fmt: skip
KINDS = ["Université", "CHU", "Ville", "Département", "Région", "Académie", "Direction", "Institut"]
CITIES = [
    "Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Strasbourg", "Montpellier", "Bordeaux",
    "Lille", "Rennes", "Reims", "Grenoble", "Dijon", "Angers", "Nîmes", "Brest", "Tours",
    "Limoges", "Amiens", "Perpignan", "Metz", "Besançon", "Orléans", "Rouen", "Caen", "Nancy",
    "Poitiers", "Pau", "Avignon", "Cayenne", "Ajaccio", "Bastia", "Saint-Denis", "Clermont",
    "Le Mans", "Aix", "Toulon", "Nice", "Annecy", "Chambéry",
]  # fmt: skip
SYLLABLES = [
    "ka", "lo", "mi", "ne", "ra", "su", "ti", "vo", "ze", "bu", "da", "fe", "gi", "ho", "ju",
    "pa", "qui", "ro", "sa", "tu", "va", "li", "mo", "na", "pe", "ri", "so", "te", "vi", "zo",
]  # fmt: skip
WORDS = [
    "données", "application", "service", "public", "outil", "gestion", "site", "portail",
    "plateforme", "open", "source", "api", "citoyens", "agents", "usagers", "démarche",
    "formulaire", "carte", "géographique", "statistiques", "tableau", "bord", "suivi",
    "référentiel", "annuaire", "recherche", "santé", "éducation", "école", "université",
    "étudiants", "collectivité", "mairie", "budget", "marchés", "transport", "mobilité",
    "énergie", "environnement", "eau", "déchets", "agriculture", "justice", "sécurité",
    "identité", "authentification", "messagerie", "documents", "archives", "publication",
    "library", "tool", "web", "client", "server", "data", "dashboard", "python", "django",
    "react", "vue", "angular", "java", "spring", "docker", "kubernetes", "ansible", "terraform",
    "the", "for", "and", "with", "of", "de", "la", "le", "des", "pour", "et", "en", "un", "une",
]  # fmt: skip
TOPICS = [
    "open-data", "python", "javascript", "django", "react", "vue", "docker", "ansible",
    "gouvernement", "france", "api", "geo", "sante", "education", "collectivites", "dsfr",
    "accessibilite", "securite", "cartographie", "statistiques", "machine-learning", "cli",
]  # fmt: skip
LANGUAGES = [
    ("JavaScript", 18), ("Python", 16), ("Java", 10), ("PHP", 9), ("TypeScript", 8),
    ("", 8), ("Shell", 5), ("HTML", 5), ("Go", 3), ("C", 2), ("C++", 2), ("Ruby", 2),
    ("Vue", 2), ("R", 2), ("Jupyter Notebook", 2), ("CSS", 2), ("C#", 1), ("Rust", 1),
    ("Kotlin", 1), ("Dockerfile", 1),
]  # fmt: skip
LICENSES = [
    ("", 30), ("MIT", 20), ("AGPL-3.0", 10), ("GPL-3.0", 8), ("Apache-2.0", 8),
    ("EUPL-1.2", 6), ("NOASSERTION", 5), ("LGPL-3.0", 3), ("BSD-3-Clause", 3),
    ("CECILL-2.1", 2), ("MPL-2.0", 2), ("GPL-2.0", 2), ("ETALAB-2.0", 1),
]  # fmt: skip

COLUMNS = (
    "forge_id", "remote_id", "account_id", "owner", "name", "full_name", "html_url",
    "clone_url", "description", "default_branch", "language", "languages", "license_spdx",
    "license_name", "topics", "stars", "forks", "open_issues", "subscribers", "is_fork",
    "is_archived", "is_template", "homepage", "created_at", "updated_at", "pushed_at",
    "change_key", "has_readme", "has_license_file", "has_contributing", "has_changelog",
    "has_publiccode", "publiccode_text", "publiccode", "publiccode_error",
    "details_fetched_at", "first_seen_at", "last_seen_at", "gone_at", "reuse_score",
    "search_document",
)  # fmt: skip


def _weighted(choices: list[tuple[str, int]]):
    values = [value for value, _weight in choices]
    cumulative, total = [], 0
    for _value, weight in choices:
        total += weight
        cumulative.append(total)
    return lambda rng: values[bisect.bisect(cumulative, rng.random() * total)]


pick_language = _weighted(LANGUAGES)
pick_license = _weighted(LICENSES)


def _zipf_words(count: int, rng: random.Random) -> list[str]:
    """Words of a vocabulary of 20,000 whose frequencies follow Zipf's law."""
    words = []
    for _ in range(count):
        rank = int(rng.paretovariate(1.1))
        if rank <= len(WORDS):
            words.append(WORDS[rank - 1])
        else:
            rank %= 20_000
            words.append("".join(SYLLABLES[(rank // 30**i) % 30] for i in range(3)))
    return words


def registry() -> list[tuple[int, int, str, float]]:
    """Organisations, forges and accounts (created once); returns (account id, forge id,
    owner, weight) for every account, weights of very unequal sizes as on real forges."""
    github = Forge.objects.get_or_create(
        host="github.com", defaults={"kind": "github", "api_url": "https://api.github.com"}
    )[0]
    gitlab = Forge.objects.get_or_create(
        host="gitlab.com", defaults={"kind": "gitlab", "api_url": "https://gitlab.com"}
    )[0]
    if not Account.objects.filter(login__startswith="bench-").exists():
        rng = random.Random(SEED)
        ministries = []
        for name in MINISTRIES:
            ministry = Organisation.objects.create(
                name=name, slug=f"bench-{len(ministries)}", is_top=True
            )
            ministry.ministry = ministry
            ministry.save()
            ministries.append(ministry)
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"{kind} de {city}", slug=slugify(f"bench-{kind}-{city}"),
                ministry=ministries[(k * 7 + c) % len(ministries)],
            )
            for k, kind in enumerate(KINDS) for c, city in enumerate(CITIES)
        )  # fmt: skip
        instances = Forge.objects.bulk_create(
            Forge(
                host=f"gitlab.bench-{index}.fr", kind="gitlab", whole_instance=True,
                api_url=f"https://gitlab.bench-{index}.fr", organisation=organisation,
            )
            for index, organisation in enumerate(organisations[:40])
        )  # fmt: skip
        accounts = [
            Account(forge=forge, login="", kind="instance", organisation=forge.organisation)
            for forge in instances
        ]
        for number in range(2000):
            forge = github if number % 4 else gitlab
            accounts.append(
                Account(
                    forge=forge, login=f"bench-{number}", kind="org" if forge is github else "group",
                    organisation=organisations[int(rng.paretovariate(0.8)) % len(organisations)]
                    if number % 10 else None,
                )
            )  # fmt: skip
        Account.objects.bulk_create(accounts)
    rng = random.Random(SEED + 1)
    rows = []
    generated = Account.objects.filter(
        Q(login__startswith="bench-") | Q(login="", forge__host__startswith="gitlab.bench-")
    ).exclude(login=UPSERT_ACCOUNT)
    for pk, forge_id, login in generated.order_by("pk").values_list("pk", "forge_id", "login"):
        # Whole instances are the largest accounts, as on real forges.
        weight = min(rng.paretovariate(1.1), 400.0) * (20 if not login else 1)
        rows.append((pk, forge_id, login or "groupe", weight))
    return rows


def _row(n: int, rng: random.Random, accounts, cumulative, total) -> list:
    account_id, forge_id, owner, _weight = accounts[bisect.bisect(cumulative, rng.random() * total)]
    if owner == "groupe":
        owner = "".join(rng.choice(SYLLABLES) for _ in range(3))
    name = "-".join(_zipf_words(rng.randint(1, 3), rng)) or "projet"
    description = (
        "" if rng.random() < 0.1 else " ".join(_zipf_words(rng.randint(4, 16), rng)).capitalize()
    )
    if rng.random() < 0.2:
        description += " Données ouvertes."
    if n % 50_000 == 7:
        description += " Géothermie de surface."
    topics = sorted(
        {TOPICS[int(rng.paretovariate(1.0)) % len(TOPICS)] for _ in range(rng.randint(0, 4))}
    )
    created = NOW - dt.timedelta(days=int(rng.random() ** 1.7 * 6500))
    pushed = created + (NOW - created) * rng.random() ** 0.5
    values = {
        "forge_id": forge_id, "remote_id": f"bench-{n}", "account_id": account_id,
        "owner": owner, "name": name, "full_name": f"{owner}/{name}",
        "html_url": f"https://forge.example/{owner}/{name}-{n}", "clone_url": "",
        "description": description, "default_branch": "main", "language": pick_language(rng),
        "languages": None, "license_spdx": pick_license(rng), "license_name": "",
        "topics": json.dumps(topics), "stars": int(rng.paretovariate(1.3)) - 1,
        "forks": int(rng.paretovariate(1.6)) - 1, "open_issues": int(rng.paretovariate(1.5)) - 1,
        "subscribers": int(rng.paretovariate(1.8)), "is_fork": rng.random() < 0.15,
        "is_archived": rng.random() < 0.1, "is_template": rng.random() < 0.01, "homepage": "",
        "created_at": created, "updated_at": pushed, "pushed_at": None if rng.random() < 0.02 else pushed,
        "change_key": "", "has_readme": rng.random() < 0.8, "has_license_file": rng.random() < 0.6,
        "has_contributing": rng.random() < 0.1, "has_changelog": rng.random() < 0.1,
        "has_publiccode": rng.random() < 0.02, "publiccode_text": "", "publiccode": None,
        "publiccode_error": "", "details_fetched_at": NOW, "first_seen_at": created,
        "last_seen_at": NOW, "gone_at": NOW if rng.random() < 0.03 else None,
    }  # fmt: skip
    values["reuse_score"] = awesome_score(values)
    values["search_document"] = search_document(
        owner=owner, name=name, description=description, topics=topics
    )
    return [values[column] for column in COLUMNS]


def populate(target: int) -> float:
    """Fill up to ``target`` generated repositories by COPY; returns the seconds it took."""
    started = time.perf_counter()
    accounts = registry()
    cumulative, total = [], 0.0
    for account in accounts:
        total += account[3]
        cumulative.append(total)
    present = Repository.objects.filter(remote_id__startswith="bench-").count()
    if present % BATCH or present > target:
        sys.exit(f"{present} generated repositories: use an empty database (or a size above).")
    columns = ", ".join(COLUMNS)
    for start in range(present, target, BATCH):
        rng = random.Random(SEED + start)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY forges_repository ({columns}) FROM STDIN") as copy,
        ):
            for n in range(start, start + BATCH):
                copy.write_row(_row(n, rng, accounts, cumulative, total))
        print(f"  {start + BATCH:,} repositories", end="\r", flush=True)
    search_vectors_fill()
    if Software.objects.count() == 0:
        sill = SHARED / "sill"
        call_command(
            "import_sill", sill / "sill.json", sill / "sill-2020.csv",
            contributors=[sill / "sill-contributors.json"], verbosity=0,
        )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE forges_repository")
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def search_vectors_fill() -> None:
    """The stored words of each COPYed row's search document, as the upsert's INSERT computes
    them (``SEARCH_VECTOR_SQL``): one UPDATE, its GIN index dropped meanwhile and built again
    as the migration defines it (far faster than a million pending-list insertions)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM forges_repository WHERE search_vector IS NULL LIMIT 1")
        if cursor.fetchone() is None:
            return
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'forges_repository'"
            " AND indexdef LIKE '%%search_vector%%'"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            f"UPDATE forges_repository SET search_vector = {SEARCH_VECTOR_SQL}"  # noqa: S608
            " WHERE search_vector IS NULL"
        )
        for _name, definition in indexes:
            cursor.execute(definition)


# --- Crawl upsert and open data --------------------------------------------------------------


def _records(details: bool) -> list[RepositoryRecord]:
    files = RootFiles(
        readme=True, license=True, contributing=False, changelog=True, publiccode=False
    )
    return [
        RepositoryRecord(
            forge_id=f"upsert-{n}",
            owner=UPSERT_ACCOUNT,
            name=f"projet-{n}",
            full_name=f"{UPSERT_ACCOUNT}/projet-{n}",
            html_url=f"https://github.com/{UPSERT_ACCOUNT}/projet-{n}",
            clone_url="",
            description=f"Outil numéro {n} de gestion des données publiques",
            default_branch="main",
            language="Python",
            license_spdx="MIT",
            license_name="MIT",
            topics=("open-data",),
            stars=n % 300,
            forks=n % 20,
            open_issues=1,
            subscribers=3,
            is_fork=False,
            is_archived=False,
            is_template=False,
            homepage="",
            created_at=NOW,
            updated_at=NOW,
            pushed_at=NOW,
            change_key=f"k{n}",
            details=RepositoryDetails(
                root_files=files,
                publiccode_text="",
                publiccode=None,
                publiccode_error="",
                languages={"Python": 100},
                license_spdx="MIT",
                license_name="MIT",
                language="Python",
            )
            if details
            else None,
        )  # fmt: skip
        for n in range(UPSERT_SIZE)
    ]


def time_upsert() -> tuple[float, float]:
    """Seconds of the upsert of a new 10k-repository account, then of its unchanged re-crawl."""
    github = Forge.objects.get(host="github.com")
    account, _ = Account.objects.get_or_create(
        forge=github, login=UPSERT_ACCOUNT, defaults={"kind": "org"}
    )
    Repository.objects.filter(account=account).delete()
    timings = []
    for details in (True, False):
        records = _records(details)
        started = time.perf_counter()
        repositories_upsert(account=account, records=records, seen_at=NOW)
        timings.append(time.perf_counter() - started)
    Repository.objects.filter(account=account).delete()
    return timings[0], timings[1]


def time_opendata() -> float:
    from inventory.opendata.services import exports_generate

    with tempfile.TemporaryDirectory() as folder, override_settings(OPENDATA_DIR=Path(folder)):
        started = time.perf_counter()
        exports_generate()
        return time.perf_counter() - started


# --- Load and plans --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    environment = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "API_CACHE_SECONDS": "0",
        "PAGE_CACHE_SECONDS": "0", "API_ANON_RATE": "off", "DEBUG": "0",
        "DATABASE_CONN_MAX_AGE": "600", "LOG_LEVEL": "ERROR",
    }  # fmt: skip
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", str(WORKERS),
        "--bind", f"127.0.0.1:{port}", "--worker-class", "sync", "--keep-alive", "30",
        "--backlog", "256", "--log-level", "warning", "--preload", "--timeout", "120",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True)
    client_deadline = time.monotonic() + 60
    while time.monotonic() < client_deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.3)
    os.killpg(process.pid, signal.SIGTERM)
    sys.exit("gunicorn did not start")


def load(port: int, path: str, duration: int) -> dict:
    """locust, headless, USERS clients without pause on one URL: p50, p99 (ms), req/s."""
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "stats"
        subprocess.run(
            [
                str(Path(sys.executable).with_name("locust")), "-f", str(ROOT / "bench" / "locust_pages.py"),
                "--headless", "-u", str(USERS), "-r", str(USERS), "-t", f"{duration}s",
                "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
                "--loglevel", "ERROR", "--stop-timeout", "10",
            ],
            env={**os.environ, "BENCH_PATH": path}, check=False, timeout=duration + 60,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        with (Path(f"{prefix}_stats.csv")).open() as stats:
            row = next((r for r in csv.DictReader(stats) if r["Name"] == path), None)
    if row is None:  # no answer at all within the duration
        return {"requests": 0, "failures": 0, "p50": float("nan"), "p99": float("nan"), "rps": 0.0}
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "p50": float(row["50%"]),
        "p99": float(row["99%"]),
        "rps": float(row["Requests/s"]),
    }


def slowest_query(path: str) -> tuple[float, str, str]:
    """The slowest SQL query of one request for the URL, in-process (caches off): each query
    is explained (EXPLAIN (ANALYZE, BUFFERS)) and the one with the longest execution kept, as
    (milliseconds, SQL, plan)."""
    with override_settings(DEBUG=True, PAGE_CACHE_SECONDS=0, API_CACHE_SECONDS=0):
        client = Client()
        client.get(path)  # warm
        reset_queries()
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        queries = list(connection.queries)
    slowest = (-1.0, "", "")
    # A search's planner estimate (EXPLAIN, see repository_matches_pinned) is no query to explain.
    for query in queries:
        if query["sql"].startswith("EXPLAIN"):
            continue
        plan = explain(query["sql"])
        found = re.search(r"Execution Time: ([\d.]+) ms", plan)
        milliseconds = float(found.group(1)) if found else 0.0
        if milliseconds > slowest[0]:
            slowest = (milliseconds, query["sql"], plan)
    return slowest


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def plan_summary(plan: str) -> str:
    nodes = re.findall(r"((?:Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)[^(]*)", plan)
    time_match = re.search(r"Execution Time: ([\d.]+) ms", plan)
    scans = "; ".join(dict.fromkeys(node.strip() for node in nodes))
    return f"{time_match.group(1) if time_match else '?'} ms: {scans}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--duration", type=int, default=20, help="Seconds of load per URL.")
    parser.add_argument("--opendata", action="store_true", help="Time exports_generate() too.")
    parser.add_argument("--explain-out", type=Path, default=None, help="Write every plan here.")
    args = parser.parse_args()
    if not settings.IS_POSTGRES:
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    call_command("migrate", verbosity=0)
    results: dict[int, dict[str, dict]] = {}
    plans: list[str] = []
    for size in sorted(args.sizes):
        print(f"== {size:,} repositories")
        print(f"fill by COPY: {populate(size):.0f} s")
        started = time.perf_counter()
        repository_counts_refresh()
        print(f"stored counts refresh (after a crawl run): {time.perf_counter() - started:.2f} s")
        new, unchanged = time_upsert()
        print(
            f"crawl upsert of a new 10k account: {new:.2f} s, unchanged re-crawl: {unchanged:.2f} s"
        )
        if args.opendata:
            print(f"open-data build (exports_generate): {time_opendata():.0f} s")
        for label, path in URLS:
            milliseconds, sql, plan = slowest_query(path)
            plans.append(f"### {size:,} — {label} ({path})\n\n{sql}\n\n{plan}\n")
            print(f"slowest query of {path}: {milliseconds:.1f} ms; {plan_summary(plan)}")
        port = free_port()
        server = start_gunicorn(port)
        try:
            results[size] = {}
            for label, path in URLS:
                load(port, path, 5)  # warm-up: both workers, their connections, the caches
                results[size][label] = measured = load(port, path, args.duration)
                print(
                    f"{label:<26} p50 {measured['p50']:>7.0f} ms  p99 {measured['p99']:>7.0f} ms  "
                    f"{measured['rps']:>6.1f} req/s  ({measured['requests']} requests, "
                    f"{measured['failures']} failed)",
                    flush=True,
                )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        print(f"load average: {' '.join(f'{load:.1f}' for load in os.getloadavg())}")
    if args.explain_out:
        args.explain_out.write_text("\n".join(plans), encoding="utf-8")
    sizes = sorted(results)
    print("\n| page | " + " | ".join(f"{s:,}: p50 / p99 / req/s" for s in sizes) + " | p99 ratio |")
    print("|---|" + "---|" * len(sizes) + "---|")
    for label, path in URLS:
        cells = [
            f"{results[s][label]['p50']:.0f} / {results[s][label]['p99']:.0f} ms / "
            f"{results[s][label]['rps']:.0f}"
            for s in sizes
        ]
        ratio = results[sizes[-1]][label]["p99"] / max(results[sizes[0]][label]["p99"], 1)
        print(f"| {label} (`{path}`) | " + " | ".join(cells) + f" | {ratio:.2f}× |")


if __name__ == "__main__":
    main()
