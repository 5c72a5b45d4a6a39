"""The reaper: runs finish on their own, whatever died on the way (see services/reaper.py)."""

from datetime import timedelta

from django.utils import timezone

from inventory.forges.models import AccountCrawl, CrawlRun, CrawlStatus, Repository
from inventory.forges.services.crawl import crawl_run_start
from inventory.forges.services.leases import account_crawl_claim
from inventory.forges.services.reaper import crawl_runs_reap
from inventory.forges.tasks import crawl_runs_reap_task


def ago(seconds: float):
    return timezone.now() - timedelta(seconds=seconds)


def test_an_account_whose_worker_died_is_crawled_again_and_the_run_finishes(crawled_accounts):
    run = crawl_run_start(forge_host="github.com")
    for account in crawled_accounts.values():
        if account.forge.host == "github.com":
            account_crawl_claim(run_id=run.pk, account_id=account.pk, owner="dead-worker")
    AccountCrawl.objects.filter(run=run).update(lease_expires_at=ago(1))

    # The crawls it sends finish the run (here, eagerly, before the task returns).
    assert crawl_runs_reap_task.delay().get() == {"dispatched": 3, "given_up": 0, "finished": 0}

    run.refresh_from_db()
    assert run.status == CrawlStatus.SUCCESS
    assert set(run.results.values_list("attempts", flat=True)) == {2}
    assert Repository.objects.filter(forge__host="github.com").count() == 5


def test_a_live_lease_is_left_alone(crawled_accounts):
    run = crawl_run_start(forge_host="git.example.fr")
    account_crawl_claim(
        run_id=run.pk, account_id=crawled_accounts["git.example.fr"].pk, owner="alive"
    )

    report = crawl_runs_reap()

    assert (report.dispatch, report.finished) == ([], [])
    assert AccountCrawl.objects.get(run=run).lease_owner == "alive"


def test_accounts_of_a_stalled_run_are_sent_again_once_per_stall(crawled_accounts, settings):
    settings.CRAWL_STALL_SECONDS = 60
    run = crawl_run_start(forge_host="gitlab.com")
    assert crawl_runs_reap().dispatch == []  # just started: its messages are on their way
    CrawlRun.objects.filter(pk=run.pk).update(started_at=ago(61))
    AccountCrawl.objects.filter(run=run).update(started_at=ago(61))

    sent = crawl_runs_reap().dispatch

    assert sorted(sent) == sorted(
        (crawled_accounts[name].pk, run.pk)
        for name in ("gitlab.com/incubateur-territoires", "gitlab.com/numerique-gouv")
    )
    assert crawl_runs_reap().dispatch == []  # sent again just now: not again before a stall


def test_a_stalled_run_is_crawled_to_the_end_by_the_reaper_task(crawled_accounts, settings):
    settings.CRAWL_STALL_SECONDS = 0
    run = crawl_run_start(trigger="test")

    crawl_runs_reap_task.delay()

    run.refresh_from_db()
    assert run.status == CrawlStatus.SUCCESS
    assert Repository.objects.count() == 139


def test_an_account_whose_workers_keep_dying_fails_as_lost_and_the_run_still_finishes(
    crawled_accounts, settings
):
    settings.CRAWL_MAX_ATTEMPTS = 1
    betagouv = crawled_accounts["github.com/betagouv"]
    run = crawl_run_start(accounts=[betagouv])
    account_crawl_claim(run_id=run.pk, account_id=betagouv.pk, owner="dead-worker")
    AccountCrawl.objects.filter(run=run).update(lease_expires_at=ago(1))

    report = crawl_runs_reap()

    assert (report.given_up, report.finished) == (1, [run.pk])
    run.refresh_from_db()
    assert run.status == CrawlStatus.FAILED
    assert run.results.get().error_kind == "lost"


def test_a_run_past_its_deadline_is_closed(crawled_accounts, settings):
    settings.CRAWL_RUN_MAX_DURATION = 3600
    run = crawl_run_start(forge_host="gitlab.com")
    CrawlRun.objects.filter(pk=run.pk).update(started_at=ago(3601))

    assert crawl_runs_reap().finished == [run.pk]

    run.refresh_from_db()
    assert run.status == CrawlStatus.FAILED
    assert set(run.results.values_list("error_kind", flat=True)) == {"deadline"}
    assert not run.results.filter(status=CrawlStatus.RUNNING).exists()
