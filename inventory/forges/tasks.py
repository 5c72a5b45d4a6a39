"""Celery tasks of the crawl pipeline: a run sends one task per account; the reaper makes runs finish.

No task waits on another (no chord): an account's task records its outcome and closes the run
when it was the last; the reaper, every CRAWL_REAP_INTERVAL seconds from beat, hands on the
accounts whose worker died and closes what is left. See README, "Runs that always finish".
"""

from __future__ import annotations

import logging

from celery import group, shared_task
from django.conf import settings
from django.db import transaction

from inventory.forges.models import Account, AccountCrawl
from inventory.forges.services.crawl import (
    DATABASE_DOWN,
    CrawlRunActive,
    account_crawl,
    accounts_to_crawl,
    crawl_run_finish_if_complete,
    crawl_run_start,
)
from inventory.forges.services.reaper import crawl_runs_reap

logger = logging.getLogger(__name__)

# A big account (thousands of repositories, details for the new ones) or a rate-limit wait
# (CRAWL_MAX_RATE_LIMIT_WAIT, one hour by default) can legitimately take long. The soft
# limit raises inside the crawl, which then records the account as failed (timeout); the hard
# limit kills a worker stuck beyond that, and the reaper hands the account on.
ACCOUNT_CRAWL_SOFT_TIME_LIMIT = 2 * 60 * 60
ACCOUNT_CRAWL_HARD_TIME_LIMIT = ACCOUNT_CRAWL_SOFT_TIME_LIMIT + 10 * 60
# Starting a run is a few queries.
RUN_SOFT_TIME_LIMIT = 5 * 60
RUN_HARD_TIME_LIMIT = RUN_SOFT_TIME_LIMIT + 60
# A reaper pass that closes a run also regenerates the open-data exports: as long as their own
# task allows.
REAP_SOFT_TIME_LIMIT = 30 * 60
REAP_HARD_TIME_LIMIT = REAP_SOFT_TIME_LIMIT + 200


def _dispatch(crawls: list[tuple[int, int]]) -> None:
    if crawls:
        group(
            account_crawl_task.si(account_id, run_id) for account_id, run_id in crawls
        ).apply_async()


@shared_task(
    soft_time_limit=RUN_SOFT_TIME_LIMIT,
    time_limit=RUN_HARD_TIME_LIMIT,
    # Runs daily from beat: a failure is retried by tomorrow's run rather than here; a start
    # interrupted after its commit leaves a run whose accounts the reaper sends on.
    max_retries=0,
)
def crawl_all_task(
    forge_host: str | None = None, logins: list[str] | None = None, trigger: str = "schedule"
) -> int | None:
    """Start a run over the accounts to crawl and queue one crawl per account; returns the run id,
    or None when a run over the same selection is still running (it is left to finish)."""
    try:
        with transaction.atomic():
            accounts = (
                None if logins is None else accounts_to_crawl(forge_host=forge_host, logins=logins)
            )
            run = crawl_run_start(accounts=accounts, forge_host=forge_host, trigger=trigger)
            crawls = [
                (account_id, run.pk)
                for account_id in run.results.values_list("account_id", flat=True)
            ]
            # The account tasks read the run's rows: send them once those rows are committed.
            transaction.on_commit(lambda: _dispatch(crawls))
    except CrawlRunActive as error:
        logger.warning("Crawl not started: %s", error.message)
        return None
    crawl_run_finish_if_complete(run_id=run.pk)  # a run over no account is complete at once
    return run.pk


@shared_task(
    bind=True,
    soft_time_limit=ACCOUNT_CRAWL_SOFT_TIME_LIMIT,
    time_limit=ACCOUNT_CRAWL_HARD_TIME_LIMIT,
    # The crawl records every forge or data failure itself and does not raise for them; what
    # still escapes is the database being unreachable, worth a few spaced retries. A retry
    # keeps the task id, so it takes the lease it held back without counting another attempt.
    autoretry_for=DATABASE_DOWN,
    max_retries=3,
    retry_backoff=settings.CRAWL_RETRY_DELAY,
    retry_jitter=True,
    ignore_result=True,
)
def account_crawl_task(self, account_id: int, run_id: int) -> int | None:
    """Crawl one account within a run; returns the AccountCrawl id."""
    try:
        return account_crawl(account_id=account_id, run_id=run_id, owner=self.request.id).pk
    except (Account.DoesNotExist, AccountCrawl.DoesNotExist):
        # Deleted since the run started (its AccountCrawl went with it): nothing to crawl.
        return None


@shared_task(
    soft_time_limit=REAP_SOFT_TIME_LIMIT,
    time_limit=REAP_HARD_TIME_LIMIT,
    # Beat sends the next pass in a minute: no retry, and no pass queued behind another.
    ignore_result=True,
)
def crawl_runs_reap_task() -> dict[str, int]:
    """Hand on lost accounts, send lost messages again, close complete runs (see the reaper)."""
    report = crawl_runs_reap()
    _dispatch(report.dispatch)
    return {
        "dispatched": len(report.dispatch),
        "given_up": report.given_up,
        "finished": len(report.finished),
    }
