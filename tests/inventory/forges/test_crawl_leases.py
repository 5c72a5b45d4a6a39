"""Leases: one crawl of an account at a time, a dead holder's account handed on, late writes dropped."""

import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from inventory.forges.models import AccountCrawl, CrawlStatus, Repository
from inventory.forges.services.crawl import account_crawl, crawl_run_start
from inventory.forges.services.leases import account_crawl_claim
from inventory.forges.services.reaper import crawl_runs_reap


def claim(run, account, owner):
    return account_crawl_claim(run_id=run.pk, account_id=account.pk, owner=owner)


def expire(crawl):
    AccountCrawl.objects.filter(pk=crawl.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )


def test_a_leased_account_is_not_claimed_by_another_attempt(crawled_accounts):
    betagouv = crawled_accounts["github.com/betagouv"]
    run = crawl_run_start(accounts=[betagouv])

    first = claim(run, betagouv, "first")

    assert (first.attempts, first.lease_owner) == (1, "first")
    assert first.lease_expires_at > timezone.now()
    assert first.worker
    assert claim(run, betagouv, "second") is None
    # A retried task keeps its id, its lease and its attempt.
    assert claim(run, betagouv, "first").attempts == 1


def test_an_expired_lease_is_claimed_again_as_a_new_attempt(crawled_accounts):
    betagouv = crawled_accounts["github.com/betagouv"]
    run = crawl_run_start(accounts=[betagouv])
    expire(claim(run, betagouv, "first"))

    second = claim(run, betagouv, "second")

    assert (second.attempts, second.lease_owner) == (2, "second")


def test_a_finished_account_is_never_crawled_again_in_its_run(crawled_accounts, fake_forge):
    betagouv = crawled_accounts["github.com/betagouv"]
    run = crawl_run_start(accounts=[betagouv, crawled_accounts["github.com/etalab"]])
    account_crawl(account_id=betagouv.pk, run_id=run.pk)
    fake_forge.reset_log()

    again = account_crawl(account_id=betagouv.pk, run_id=run.pk)

    assert again.status == CrawlStatus.SUCCESS and again.attempts == 1
    assert fake_forge.requests == []


def test_an_account_leased_in_another_run_waits(crawled_accounts, fake_forge):
    betagouv = crawled_accounts["github.com/betagouv"]
    scheduled = crawl_run_start(accounts=[betagouv, crawled_accounts["github.com/etalab"]])
    claim(scheduled, betagouv, "scheduled")
    fake_forge.reset_log()

    result = account_crawl(account_id=betagouv.pk)

    assert (result.status, result.attempts) == (CrawlStatus.RUNNING, 0)
    assert fake_forge.requests == []


def test_an_account_out_of_attempts_is_recorded_as_lost(crawled_accounts, settings):
    settings.CRAWL_MAX_ATTEMPTS = 2
    betagouv = crawled_accounts["github.com/betagouv"]
    run = crawl_run_start(accounts=[betagouv])
    expire(claim(run, betagouv, "first"))
    expire(claim(run, betagouv, "second"))

    assert claim(run, betagouv, "third") is None

    crawl = AccountCrawl.objects.get(run=run)
    assert (crawl.status, crawl.error_kind, crawl.attempts) == (CrawlStatus.FAILED, "lost", 2)
    assert "2 time(s)" in crawl.error
    betagouv.refresh_from_db()
    assert betagouv.last_crawl_error.startswith("lost:")


@pytest.mark.django_db(transaction=True)
def test_a_crawl_whose_lease_was_handed_on_drops_its_result(
    crawled_accounts, fake_forge, caplog, settings
):
    settings.CRAWL_TIMEOUT = 10  # well over the slow answers below, however loaded the machine
    betagouv = crawled_accounts["github.com/betagouv"]
    run = crawl_run_start(accounts=[betagouv])
    fake_forge.fault("github.com", "slow", path_contains="betagouv", seconds=1)
    first = threading.Thread(
        target=account_crawl, kwargs={"account_id": betagouv.pk, "run_id": run.pk, "owner": "first"}
    )
    first.start()
    deadline = time.monotonic() + 10
    while not AccountCrawl.objects.filter(run=run, lease_owner="first").exists():
        assert time.monotonic() < deadline, "the first attempt never took its lease"
        time.sleep(0.05)
    # Its worker looks dead: the reaper hands the account on, and a second attempt crawls it.
    expire(AccountCrawl.objects.get(run=run))
    assert crawl_runs_reap().dispatch == [(betagouv.pk, run.pk)]
    second = account_crawl(account_id=betagouv.pk, run_id=run.pk, owner="second")
    first.join(timeout=30)

    assert (second.status, second.lease_owner, second.attempts) == (
        CrawlStatus.SUCCESS,
        "second",
        2,
    )
    assert list(Repository.objects.values_list("full_name", flat=True)) == ["betagouv/beta"]
    assert "its lease went to another attempt" in caplog.text
