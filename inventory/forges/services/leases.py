"""Account crawl leases: one holder per account at a time, renewed while it lives, taken back when not.

A crawl of an account within a run starts by claiming its AccountCrawl row's lease (owner, expiry)
and keeps it alive from a helper thread; the crawl's final write checks it still holds the lease.
A holder that dies (child killed, worker lost, time limit, node gone) stops renewing: the reaper
(``inventory.forges.services.reaper``) sees the expired lease and hands the account to another
attempt, at most CRAWL_MAX_ATTEMPTS in all.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from inventory.core.logcontext import log_context_copy
from inventory.forges.models import Account, AccountCrawl, CrawlStatus

logger = logging.getLogger(__name__)

GAVE_UP_KIND = "lost"


def lease_owner_new() -> str:
    """An owner token for a crawl run in this process (Celery tasks use their task id)."""
    return uuid.uuid4().hex


def worker_name() -> str:
    """Where a lease holder runs, for operators (and for the chaos tests, which kill it)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def lease_seconds() -> dt.timedelta:
    return dt.timedelta(seconds=settings.CRAWL_LEASE_SECONDS)


def account_crawl_claim(*, run_id: int, account_id: int, owner: str) -> AccountCrawl | None:
    """Take the lease on the account's crawl in the run; None when it is not ours to crawl.

    Not ours: already finished, leased by another live holder (a duplicate message), or the
    account is being crawled in another run (the reaper sends this one again once the run
    stalls). The same ``owner`` claiming again (a retried task) keeps its lease and attempt.
    Raises Account.DoesNotExist or AccountCrawl.DoesNotExist when either was deleted.
    """
    now = timezone.now()
    with transaction.atomic():
        # Claims of one account, whatever their run, queue behind this row lock.
        Account.objects.select_for_update().only("pk").get(pk=account_id)
        crawl = AccountCrawl.objects.select_for_update().get(run_id=run_id, account_id=account_id)
        if crawl.status != CrawlStatus.RUNNING:
            return None
        held = crawl.lease_expires_at is not None and crawl.lease_expires_at > now
        if held and crawl.lease_owner != owner:
            return None
        busy_elsewhere = (
            AccountCrawl.objects.filter(
                account_id=account_id, status=CrawlStatus.RUNNING, lease_expires_at__gt=now
            )
            .exclude(pk=crawl.pk)
            .exists()
        )
        if busy_elsewhere:
            logger.info("Account %s is being crawled in another run: not now", account_id)
            return None
        if crawl.lease_owner != owner:
            if crawl.attempts >= settings.CRAWL_MAX_ATTEMPTS:
                account_crawl_give_up(crawl=crawl)
                return None
            crawl.attempts += 1
        crawl.lease_owner = owner
        crawl.lease_expires_at = now + lease_seconds()
        crawl.worker = worker_name()[: AccountCrawl._meta.get_field("worker").max_length]
        crawl.started_at = now
        crawl.save(
            update_fields=["attempts", "lease_owner", "lease_expires_at", "worker", "started_at"]
        )
    return crawl


def account_crawl_lease_renew(*, crawl_id: int, owner: str) -> bool:
    """Push the lease's expiry back; False when the lease is no longer ``owner``'s."""
    return bool(
        AccountCrawl.objects.filter(
            pk=crawl_id, lease_owner=owner, status=CrawlStatus.RUNNING
        ).update(lease_expires_at=timezone.now() + lease_seconds())
    )


def account_crawl_lease_holds(*, crawl_id: int, owner: str) -> bool:
    """Whether ``owner`` still holds the crawl's lease; locks the row until the transaction ends,
    so a crawl's final write and the reaper's take-over never interleave."""
    return (
        AccountCrawl.objects.select_for_update()
        .filter(pk=crawl_id, lease_owner=owner, status=CrawlStatus.RUNNING)
        .exists()
    )


def account_crawl_give_up(*, crawl: AccountCrawl) -> None:
    """Record a crawl whose every attempt was lost as failed, with the reason."""
    message = (
        f"The worker crawling this account stopped before it finished, {crawl.attempts} time(s) "
        "(process killed, worker lost, time limit or database unreachable); not retried again."
    )
    now = timezone.now()
    with transaction.atomic():
        # Not when a holder renewed the lease meanwhile: it is alive after all.
        updated = AccountCrawl.objects.filter(
            Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lte=now),
            pk=crawl.pk,
            status=CrawlStatus.RUNNING,
        ).update(
            status=CrawlStatus.FAILED,
            error_kind=GAVE_UP_KIND,
            error=message,
            finished_at=now,
            lease_expires_at=None,
        )
        if updated:
            Account.objects.filter(pk=crawl.account_id).update(
                last_crawled_at=now,
                last_crawl_status=CrawlStatus.FAILED,
                last_crawl_error=f"{GAVE_UP_KIND}: {message}",
            )
    if updated:
        logger.error(
            "Gave up crawling account %s in run %s after %s attempts",
            crawl.account_id,
            crawl.run_id,
            crawl.attempts,
        )


class LeaseKeeper:
    """Renews a lease from a helper thread while the block runs (a rate-limit wait included)."""

    def __init__(self, *, crawl_id: int, owner: str) -> None:
        self.crawl_id = crawl_id
        self.owner = owner
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=log_context_copy().run, args=(self._renew,), daemon=True,
            name=f"lease-{crawl_id}",
        )  # fmt: skip

    def __enter__(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _renew(self) -> None:
        interval = settings.CRAWL_LEASE_SECONDS / 3
        try:
            while not self._stop.wait(interval):
                try:
                    held = account_crawl_lease_renew(crawl_id=self.crawl_id, owner=self.owner)
                except DatabaseError:
                    # The database blinked: a fresh connection next time; the lease lasts three
                    # intervals, so one missed renewal loses nothing.
                    logger.warning("Could not renew the crawl's lease", exc_info=True)
                    connection.close()
                    continue
                if not held:
                    logger.warning("The crawl's lease was taken back: its result will be dropped")
                    return
        finally:
            connection.close()  # this thread's own connection
