"""The reaper makes every crawl run finish, whatever died on the way; beat runs it every minute.

For each running run it hands on the accounts whose lease expired (their holder died: child
killed, worker lost, time limit, node gone), at most CRAWL_MAX_ATTEMPTS times before recording
them as failed; sends again the accounts never claimed once nothing has happened in the run for
CRAWL_STALL_SECONDS (their messages were lost with the broker, or their start was cut short);
closes the run once every account is finished, or at its deadline.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from inventory.core.logcontext import log_context
from inventory.forges.models import AccountCrawl, CrawlRun, CrawlStatus
from inventory.forges.services.crawl import (
    crawl_run_deadline,
    crawl_run_finish,
    crawl_run_finish_if_complete,
)
from inventory.forges.services.leases import account_crawl_give_up

logger = logging.getLogger(__name__)


@dataclass
class ReapReport:
    """What one pass did; ``dispatch`` lists the (account id, run id) crawls to send again."""

    dispatch: list[tuple[int, int]] = field(default_factory=list)
    given_up: int = 0
    finished: list[int] = field(default_factory=list)


def crawl_runs_reap() -> ReapReport:
    """One pass over the running runs (idempotent; two passes at once do no harm)."""
    now = timezone.now()
    report = ReapReport()
    for run in CrawlRun.objects.filter(status=CrawlStatus.RUNNING).order_by("pk"):
        with log_context(run_id=run.pk):
            if crawl_run_deadline(run) <= now:
                crawl_run_finish(run_id=run.pk, reason="deadline")
                report.finished.append(run.pk)
                continue
            released = _expired_leases_release(run, now, report)
            if _stalled(run, now):
                waiting = set(
                    run.results.filter(
                        status=CrawlStatus.RUNNING, lease_expires_at__isnull=True
                    ).values_list("account_id", flat=True)
                )
                waiting -= released
                if waiting:
                    logger.warning(
                        "Run %s made no progress for %ss: sending its %s waiting account(s) again",
                        run.pk, settings.CRAWL_STALL_SECONDS, len(waiting),
                    )  # fmt: skip
                    CrawlRun.objects.filter(pk=run.pk).update(dispatched_at=now)
                    report.dispatch += [(account_id, run.pk) for account_id in sorted(waiting)]
            if crawl_run_finish_if_complete(run_id=run.pk) is not None:
                report.finished.append(run.pk)
    return report


def _expired_leases_release(run: CrawlRun, now: dt.datetime, report: ReapReport) -> set[int]:
    released = set()
    expired = run.results.filter(status=CrawlStatus.RUNNING, lease_expires_at__lte=now)
    for crawl in expired:
        if crawl.attempts >= settings.CRAWL_MAX_ATTEMPTS:
            account_crawl_give_up(crawl=crawl)
            report.given_up += 1
            continue
        # Only if the holder did not renew meanwhile; its final write then finds the lease gone.
        taken = AccountCrawl.objects.filter(
            pk=crawl.pk,
            status=CrawlStatus.RUNNING,
            lease_owner=crawl.lease_owner,
            lease_expires_at=crawl.lease_expires_at,
        ).update(lease_owner="", lease_expires_at=None)
        if taken:
            logger.warning(
                "Lease on account %s expired (worker %s, attempt %s): crawling it again",
                crawl.account_id, crawl.worker, crawl.attempts,
            )  # fmt: skip
            released.add(crawl.account_id)
            report.dispatch.append((crawl.account_id, run.pk))
    return released


def _stalled(run: CrawlRun, now: dt.datetime) -> bool:
    """Nobody holds a lease in the run and nothing happened in it for CRAWL_STALL_SECONDS."""
    results = run.results.all()
    if results.filter(status=CrawlStatus.RUNNING, lease_expires_at__gt=now).exists():
        return False
    latest = results.aggregate(claimed=Max("started_at"), finished=Max("finished_at"))
    moments = [run.started_at, run.dispatched_at, latest["claimed"], latest["finished"]]
    last = max(moment for moment in moments if moment is not None)
    return now - last >= dt.timedelta(seconds=settings.CRAWL_STALL_SECONDS)
