"""Chaos: a crawl run on real workers survives a killed child, a killed worker, a Redis restart and
dropped database connections, and finishes on its own with nothing lost or duplicated.

Each test runs a real Celery worker (prefork, with beat embedded for the reaper) against the test
database, a Redis server of its own and the fake forge, with leases and reaper intervals shrunk
to seconds. Run them alone with ``pytest -m chaos``.
"""

from __future__ import annotations

import json
import os
import signal
import time

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from inventory.forges.models import (
    Account,
    AccountCrawl,
    AccountKind,
    CrawlRun,
    CrawlStatus,
    Forge,
    ForgeKind,
    Repository,
)
from inventory.forges.tasks import crawl_all_task

from .workers import RedisServer, Worker, worker_env

pytestmark = [
    pytest.mark.chaos,
    pytest.mark.worker,
    pytest.mark.skipif(
        not settings.IS_POSTGRES,
        reason="chaos tests need PostgreSQL (several worker processes, pg_terminate_backend); "
        "the embedded SQLite default cannot host them: CI runs them on PostgreSQL",
    ),
]

ACCOUNTS = 8
REPOSITORIES_PER_ACCOUNT = 3
# Bounds of the waits, not timings under test: a run heals within seconds here.
RUN_LIMIT = 120
MID_RUN_LIMIT = 60
# The settings shrunk for the test: leases renewed every second, the reaper every second.
SHRUNK = {
    "CRAWL_LEASE_SECONDS": "3",
    "CRAWL_REAP_INTERVAL": "1",
    "CRAWL_STALL_SECONDS": "4",
    "CRAWL_RETRY_DELAY": "1",
    "CRAWL_TIMEOUT": "5",
    "CRAWL_MAX_RETRIES": "1",
    "LOG_FORMAT": "json",
}


def chaos_seed() -> dict:
    """GitHub organisations of a few repositories each; the fake forge makes each request slow."""
    logins = [f"org-{number}" for number in range(ACCOUNTS)]
    return {
        "forges": {
            "github.com": {
                "kind": "github",
                "accounts": [{"login": x, "kind": "org"} for x in logins],
            }
        },
        "repositories": [
            {
                "host": "github.com",
                "id": 1000 * number + index,
                "owner": login,
                "name": f"repo-{index}",
                "root_files": ["README.md"],
                "created_at": "2020-01-01T00:00:00Z",
                "updated_at": "2024-01-01T00:00:00Z",
                "pushed_at": "2024-01-01T00:00:00Z",
            }
            for number, login in enumerate(logins)
            for index in range(REPOSITORIES_PER_ACCOUNT)
        ],
    }


@pytest.fixture
def chaos(transactional_db, tmp_path):
    """The fake forge, our registry of its accounts, a Redis of our own, a worker's settings."""
    from crawlers.fakeforge import FakeForge

    with FakeForge(chaos_seed()) as forge:
        # Each request takes a while, so that every account is crawled "mid-run" for a moment.
        forge.fault("github.com", "slow", seconds=0.3)
        github = Forge.objects.create(
            host="github.com", kind=ForgeKind.GITHUB, api_url=forge.api_url("github.com")
        )
        for number in range(ACCOUNTS):
            Account.objects.create(forge=github, login=f"org-{number}", kind=AccountKind.ORG)
        redis = RedisServer(tmp_path).start()
        previous = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = False
        env = worker_env(redis_url=redis.url, tmp_path=tmp_path, **SHRUNK)
        workers: list[Worker] = []

        def worker() -> Worker:
            started = Worker(
                env, tmp_path / "worker.log", pool="prefork", concurrency=2, beat=True
            ).start()
            workers.append(started)
            return started

        try:
            yield env, redis, worker
        finally:
            celery_app.conf.task_always_eager = previous
            for started in workers:
                started.stop()
            redis.stop()


def run_start(env: dict[str, str], redis: RedisServer) -> None:
    with celery_app.connection_for_write(redis.url) as broker:
        crawl_all_task.apply_async(connection=broker, queue=env["CELERY_CONTROL_QUEUE"])


def wait_for(condition, limit: float, what: str, log: str = "", supervised: Worker | None = None):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if supervised is not None:
            supervised.restart_if_exited()
        time.sleep(0.1)
    raise AssertionError(f"{what} within {limit}s; worker log:\n{log[-8000:]}")


def crawl_in_flight(after: int = 2) -> AccountCrawl | None:
    """An account being crawled, once ``after`` accounts are finished (well into the run)."""
    finished = AccountCrawl.objects.exclude(status=CrawlStatus.RUNNING).count()
    if finished < after:
        return None
    return AccountCrawl.objects.filter(
        status=CrawlStatus.RUNNING, lease_expires_at__isnull=False
    ).first()


def assert_healed(env: dict[str, str], worker: Worker, *, supervised: bool = False) -> CrawlRun:
    """The run finished on its own, every repository is there once, the open data was rebuilt."""
    run = wait_for(
        lambda: CrawlRun.objects.exclude(status=CrawlStatus.RUNNING).first(),
        RUN_LIMIT,
        "the run did not finish",
        worker.log,
        supervised=worker if supervised else None,
    )
    assert run.status == CrawlStatus.SUCCESS, list(run.results.values("error_kind", "error"))
    assert not AccountCrawl.objects.filter(status=CrawlStatus.RUNNING).exists()
    expected = {
        f"org-{number}/repo-{index}"
        for number in range(ACCOUNTS)
        for index in range(REPOSITORIES_PER_ACCOUNT)
    }
    names = list(Repository.objects.values_list("full_name", flat=True))
    assert sorted(names) == sorted(expected)  # each exactly once
    manifest_path = os.path.join(env["OPENDATA_DIR"], "current", "manifest.json")
    wait_for(lambda: os.path.exists(manifest_path), 30, "the open data was not rebuilt")
    with open(manifest_path, encoding="utf-8") as file:
        manifest = json.load(file)
    repositories_csv = next(
        entry for entry in manifest["files"] if entry["name"] == "repositories.csv"
    )
    assert repositories_csv["rows"] == len(expected)
    return run


def test_a_child_killed_mid_crawl_has_its_account_crawled_again(chaos):
    env, redis, worker = chaos
    started = worker()
    run_start(env, redis)
    victim = wait_for(crawl_in_flight, MID_RUN_LIMIT, "no account was mid-crawl", started.log)
    host, _, pid = victim.worker.rpartition(":")

    os.kill(int(pid), signal.SIGKILL)  # what the OOM killer does

    run = assert_healed(env, started)
    retried = run.results.get(account_id=victim.account_id)
    assert retried.attempts == 2
    assert retried.worker != victim.worker


def test_a_worker_killed_mid_run_and_restarted_finishes_the_run(chaos):
    env, redis, worker = chaos
    first = worker()
    run_start(env, redis)
    wait_for(crawl_in_flight, MID_RUN_LIMIT, "no account was mid-crawl", first.log)
    in_flight = set(
        AccountCrawl.objects.filter(
            status=CrawlStatus.RUNNING, lease_expires_at__isnull=False
        ).values_list("account_id", flat=True)
    )

    first.kill()  # the whole worker, beat included, as when its node is lost
    second = worker()

    run = assert_healed(env, second)
    retried = set(run.results.filter(attempts__gte=2).values_list("account_id", flat=True))
    assert in_flight <= retried


def test_a_redis_restart_mid_run_loses_messages_but_not_the_run(chaos):
    env, redis, worker = chaos
    started = worker()
    run_start(env, redis)
    wait_for(crawl_in_flight, MID_RUN_LIMIT, "no account was mid-crawl", started.log)
    waiting = AccountCrawl.objects.filter(
        status=CrawlStatus.RUNNING, lease_expires_at__isnull=True
    ).count()
    assert waiting, "every account was taken before the restart: nothing to lose"

    redis.restart()  # without persistence: the queued crawls are gone

    # Celery's worker may exit when its broker goes away at a bad moment (kombu's Redis transport
    # fails restoring its unacknowledged messages): its process manager starts it again.
    assert_healed(env, started, supervised=True)
    assert "sending its" in started.log  # the reaper sent the lost accounts again


def test_database_connections_dropped_mid_run_are_survived(chaos):
    env, redis, worker = chaos
    started = worker()
    run_start(env, redis)
    wait_for(crawl_in_flight, MID_RUN_LIMIT, "no account was mid-crawl", started.log)

    dropped = 0
    for _ in range(3):  # a few times, so that some land in the middle of a write
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            dropped += cursor.fetchone()[0]
        time.sleep(0.7)

    assert dropped
    assert_healed(env, started)
