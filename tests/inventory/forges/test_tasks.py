"""The Celery pipeline: a run fans out one task per account and finishes, eagerly or on a worker."""

import json
import os
import subprocess
import sys
import time

import pytest

from config.celery import app as celery_app
from inventory.forges.models import CrawlRun, CrawlStatus, Repository
from inventory.forges.tasks import account_crawl_task, crawl_all_task, crawl_runs_reap_task

from .workers import ROOT, Worker, worker_env

WORKER_START_AND_CRAWL_LIMIT = 120  # seconds: an upper bound for the wait, not a timing check
DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/15"


def test_crawl_all_task_fans_out_one_crawl_per_account_and_finishes_the_run(
    crawled_accounts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_id = crawl_all_task.delay().get()

    run = CrawlRun.objects.get(pk=run_id)
    assert (run.status, run.trigger, run.accounts_total) == (CrawlStatus.SUCCESS, "schedule", 6)
    assert run.results.filter(status=CrawlStatus.SUCCESS).count() == 6
    assert Repository.objects.count() == 139


def test_crawl_all_task_queues_the_crawls_only_once_the_run_is_committed(
    crawled_accounts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run_id = crawl_all_task.delay(forge_host="gitlab.com").get()

    assert CrawlRun.objects.get(pk=run_id).status == CrawlStatus.RUNNING
    assert not Repository.objects.exists()
    assert len(callbacks) == 1


def test_crawl_all_task_crawls_only_the_named_accounts(
    crawled_accounts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_id = crawl_all_task.delay(logins=["github.com/betagouv"], trigger="manual").get()

    run = CrawlRun.objects.get(pk=run_id)
    assert list(run.results.values_list("account__login", flat=True)) == ["betagouv"]
    assert list(Repository.objects.values_list("full_name", flat=True)) == ["betagouv/beta"]


def test_crawl_all_task_over_no_account_still_closes_its_run(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_id = crawl_all_task.delay().get()

    assert CrawlRun.objects.get(pk=run_id).status == CrawlStatus.SUCCESS


def test_the_last_account_task_of_a_run_closes_it(crawled_accounts, fake_forge):
    from inventory.forges.services.crawl import crawl_run_start

    fake_forge.fault("gitlab.com", "unauthorized")
    run = crawl_run_start(forge_host="gitlab.com")

    account_crawl_task.delay(crawled_accounts["gitlab.com/incubateur-territoires"].pk, run.pk)
    assert CrawlRun.objects.get(pk=run.pk).status == CrawlStatus.RUNNING
    account_crawl_task.delay(crawled_accounts["gitlab.com/numerique-gouv"].pk, run.pk)

    assert CrawlRun.objects.get(pk=run.pk).status == CrawlStatus.FAILED


@pytest.fixture
def real_celery():
    """Tasks go to Redis for the test (the worker's queues are its own)."""
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_TEST_REDIS_URL
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield redis_url
    celery_app.conf.task_always_eager = previous


@pytest.mark.worker
def test_crawl_all_task_runs_on_a_real_celery_worker(
    transactional_db, crawled_accounts, fake_forge, real_celery, tmp_path
):
    env = worker_env(redis_url=real_celery, tmp_path=tmp_path, LOG_FORMAT="json")
    worker = Worker(env, tmp_path / "worker.log").start()
    try:
        with celery_app.connection_for_write(real_celery) as broker:
            crawl_all_task.apply_async(connection=broker, queue=env["CELERY_CONTROL_QUEUE"])
        deadline = time.monotonic() + WORKER_START_AND_CRAWL_LIMIT
        run = None
        while time.monotonic() < deadline and worker.process.poll() is None:
            run = CrawlRun.objects.exclude(status=CrawlStatus.RUNNING).first()
            if run is not None:
                break
            time.sleep(0.5)
        alive = subprocess.run(
            [sys.executable, "manage.py", "liveness", "worker"], cwd=ROOT, env=env, check=False
        )
    finally:
        worker.stop()

    assert run is not None, f"the worker did not finish a run; its log:\n{worker.log}"
    assert (run.status, run.trigger, run.accounts_total) == (CrawlStatus.SUCCESS, "schedule", 6)
    assert run.results.filter(status=CrawlStatus.SUCCESS).count() == 6
    assert Repository.objects.count() == 139
    assert Repository.objects.get(remote_id="401").license_spdx == "EUPL-1.2"
    assert alive.returncode == 0
    # Structured logs: every line of the crawl says which run and account it is about.
    lines = [json.loads(line) for line in worker.log.splitlines() if line.startswith("{")]
    crawled = [line for line in lines if line["message"].startswith("Crawled ")]
    assert len(crawled) == 6
    assert {(line["run_id"], line["logger"]) for line in crawled} == {
        (run.pk, "inventory.forges.services.crawl")
    }
    assert {line["account_id"] for line in crawled} == {a.pk for a in crawled_accounts.values()}


def test_an_account_deleted_after_its_run_started_does_not_break_the_run(crawled_accounts):
    from inventory.forges.models import Account
    from inventory.forges.services.crawl import crawl_run_start

    run = crawl_run_start(forge_host="git.example.fr")
    account = crawled_accounts["git.example.fr"]
    Account.objects.filter(pk=account.pk).delete()

    assert account_crawl_task.delay(account.pk, run.pk).get() is None
    assert crawl_runs_reap_task.delay().get() == {"dispatched": 0, "given_up": 0, "finished": 1}
    assert CrawlRun.objects.get(pk=run.pk).status == CrawlStatus.SUCCESS


def test_beat_starts_no_run_while_one_over_the_same_selection_is_running(
    crawled_accounts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        first = crawl_all_task.delay().get()

    assert crawl_all_task.delay().get() is None
    assert list(CrawlRun.objects.values_list("pk", flat=True)) == [first]
