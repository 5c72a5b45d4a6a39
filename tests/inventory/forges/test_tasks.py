"""The Celery pipeline: a run fans out one task per account and finishes, eagerly or on a worker."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from config.celery import app as celery_app
from inventory.forges.models import CrawlRun, CrawlStatus, Repository
from inventory.forges.tasks import account_crawl_task, crawl_all_task, crawl_run_finish_task
from tests.helpers import subprocess_database_url

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


def test_account_and_finish_tasks_take_ids(crawled_accounts, fake_forge):
    from inventory.forges.services.crawl import crawl_run_start

    fake_forge.fault("gitlab.com", "unauthorized")
    run = crawl_run_start(forge_host="gitlab.com")
    account_id = crawled_accounts["gitlab.com/incubateur-territoires"].pk

    account_crawl_task.delay(account_id, run.pk).get()

    assert crawl_run_finish_task.delay(run.pk).get() == CrawlStatus.FAILED


@pytest.fixture
def real_celery(tmp_path):
    """Tasks go to Redis for the test; a queue of its own keeps other workers away."""
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_TEST_REDIS_URL
    queue = f"crawl-test-{uuid.uuid4().hex[:12]}"
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield redis_url, queue
    celery_app.conf.task_always_eager = previous


@pytest.mark.worker
def test_crawl_all_task_runs_on_a_real_celery_worker(
    transactional_db, crawled_accounts, fake_forge, real_celery, tmp_path
):
    redis_url, queue = real_celery
    env = {
        **os.environ,
        "DATABASE_URL": subprocess_database_url(),
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "OPENDATA_DIR": str(tmp_path / "opendata"),
        "LOGITHEQUE_VAR_DIR": str(tmp_path / "var"),
        "GITHUB_TOKEN": "",
    }
    log = (tmp_path / "worker.log").open("w+")
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "config",
            "worker",
            "-P",
            "solo",
            "--concurrency",
            "1",
            "-l",
            "warning",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        with celery_app.connection_for_write(redis_url) as broker:
            crawl_all_task.apply_async(connection=broker, queue=queue)
        deadline = time.monotonic() + WORKER_START_AND_CRAWL_LIMIT
        run = None
        while time.monotonic() < deadline and worker.poll() is None:
            run = CrawlRun.objects.exclude(status=CrawlStatus.RUNNING).first()
            if run is not None:
                break
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.seek(0)
        worker_log = log.read()
        log.close()

    assert run is not None, f"the worker did not finish a run; its log:\n{worker_log}"
    assert (run.status, run.trigger, run.accounts_total) == (CrawlStatus.SUCCESS, "schedule", 6)
    assert run.results.filter(status=CrawlStatus.SUCCESS).count() == 6
    assert Repository.objects.count() == 139
    assert Repository.objects.get(remote_id="401").license_spdx == "EUPL-1.2"


def test_an_account_deleted_after_its_run_started_does_not_break_the_run(crawled_accounts):
    from inventory.forges.models import Account
    from inventory.forges.services.crawl import crawl_run_start

    run = crawl_run_start(forge_host="git.example.fr")
    account = crawled_accounts["git.example.fr"]
    Account.objects.filter(pk=account.pk).delete()

    assert account_crawl_task.delay(account.pk, run.pk).get() is None
    assert crawl_run_finish_task.delay(run.pk).get() == CrawlStatus.SUCCESS
