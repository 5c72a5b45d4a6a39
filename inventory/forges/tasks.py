"""Celery tasks of the crawl pipeline: a run fans out one task per account, then closes the run."""

from __future__ import annotations

from celery import chord, shared_task
from django.db import OperationalError, transaction

from inventory.forges.models import Account
from inventory.forges.services.crawl import (
    account_crawl,
    accounts_to_crawl,
    crawl_run_finish,
    crawl_run_start,
)

# A big account (thousands of repositories, details for the new ones) or a rate-limit wait
# (CRAWL_MAX_RATE_LIMIT_WAIT, one hour by default) can legitimately take long. The soft
# limit raises inside the crawl, which then records the account as failed and lets the run
# finish; the hard limit only stops a worker stuck beyond that.
ACCOUNT_CRAWL_SOFT_TIME_LIMIT = 2 * 60 * 60
ACCOUNT_CRAWL_HARD_TIME_LIMIT = ACCOUNT_CRAWL_SOFT_TIME_LIMIT + 10 * 60
# Starting a run is a few queries.
RUN_SOFT_TIME_LIMIT = 5 * 60
RUN_HARD_TIME_LIMIT = RUN_SOFT_TIME_LIMIT + 60
# Finishing one also regenerates the open-data exports: as long as their own task allows.
FINISH_SOFT_TIME_LIMIT = 30 * 60
FINISH_HARD_TIME_LIMIT = FINISH_SOFT_TIME_LIMIT + 200


def _queue(task) -> str | None:
    """The queue this task came from, so a run's fan-out stays on the workers that took it."""
    delivery_info = task.request.delivery_info or {}
    return delivery_info.get("routing_key") or None


@shared_task(
    bind=True,
    soft_time_limit=RUN_SOFT_TIME_LIMIT,
    time_limit=RUN_HARD_TIME_LIMIT,
    # Runs daily from beat: a failure is retried by tomorrow's run rather than here, which
    # could start a second run over the same accounts.
    max_retries=0,
)
def crawl_all_task(
    self, forge_host: str | None = None, logins: list[str] | None = None, trigger: str = "schedule"
) -> int:
    """Start a run over the accounts to crawl and queue one crawl per account; returns the run id."""
    with transaction.atomic():
        accounts = (
            None if logins is None else accounts_to_crawl(forge_host=forge_host, logins=logins)
        )
        run = crawl_run_start(accounts=accounts, forge_host=forge_host, trigger=trigger)
        account_ids = list(run.results.values_list("account_id", flat=True))
        queue = _queue(self)
        options = {"queue": queue} if queue else {}
        fan_out = chord(
            [
                account_crawl_task.si(account_id, run.pk).set(**options)
                for account_id in account_ids
            ],
            crawl_run_finish_task.si(run.pk).set(**options),
        )
        # The account tasks read the run's rows: send them once those rows are committed.
        transaction.on_commit(fan_out.apply_async if account_ids else fan_out.body.apply_async)
    return run.pk


@shared_task(
    soft_time_limit=ACCOUNT_CRAWL_SOFT_TIME_LIMIT,
    time_limit=ACCOUNT_CRAWL_HARD_TIME_LIMIT,
    # The crawl records every forge or data failure itself and does not raise for them; what
    # still escapes is the database being unreachable, worth a few spaced retries.
    autoretry_for=(OperationalError,),
    max_retries=3,
    retry_backoff=30,
    retry_jitter=True,
)
def account_crawl_task(account_id: int, run_id: int) -> int | None:
    """Crawl one account within a run; returns the AccountCrawl id."""
    try:
        return account_crawl(account_id=account_id, run_id=run_id).pk
    except Account.DoesNotExist:
        # Deleted since the run started (its AccountCrawl went with it): nothing to crawl, and
        # raising would keep the chord from ever closing the run.
        return None


@shared_task(
    soft_time_limit=FINISH_SOFT_TIME_LIMIT,
    time_limit=FINISH_HARD_TIME_LIMIT,
    # Closing is idempotent, so retrying it when the database blinks is safe.
    autoretry_for=(OperationalError,),
    max_retries=3,
    retry_backoff=30,
    retry_jitter=True,
)
def crawl_run_finish_task(run_id: int) -> str:
    """Close the run once every account's crawl is done; returns its status."""
    return crawl_run_finish(run_id=run_id).status
