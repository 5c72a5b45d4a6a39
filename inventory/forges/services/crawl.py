"""Crawls: one account from its forge into the database, and the runs that group accounts' crawls."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import importlib.util
import logging
import os
import re
import time
from collections.abc import Iterable

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from crawlers.base import CrawlerError
from crawlers.records import AccountCrawlResult, AccountRecord, AccountRef, RequestStats
from crawlers.registry import client_for
from inventory.core.content import content_changed
from inventory.core.exceptions import ApplicationError
from inventory.core.logcontext import log_context
from inventory.dependencies.services import dependencies_replace
from inventory.forges.httpcache import DatabaseHttpCache
from inventory.forges.models import (
    Account,
    AccountCrawl,
    AccountState,
    CrawlRun,
    CrawlStatus,
    Forge,
    ForgeKind,
    Repository,
)
from inventory.forges.services.counts import (
    accounts_repositories_count_refresh,
    repository_counts_refresh,
)
from inventory.forges.services.leases import (
    LeaseKeeper,
    account_crawl_claim,
    account_crawl_lease_holds,
    lease_owner_new,
)
from inventory.forges.services.repositories import repositories_mark_gone, repositories_upsert
from inventory.organisations.services import organisation_placeholder_rename

logger = logging.getLogger(__name__)

# Forge kinds crawlers.registry has a client for.
CRAWLABLE_FORGE_KINDS = (ForgeKind.GITHUB, ForgeKind.GITLAB, ForgeKind.GITEA, ForgeKind.GOGS)
OPEN_DATA_SERVICES = "inventory.opendata.services"
# The database being unreachable is no fault of the account: the crawl is tried again later
# (the task retries it; failing that, its lease expires and the reaper hands it on).
DATABASE_DOWN = (OperationalError, InterfaceError)
# Why accounts still running are failed when their run is closed.
UNFINISHED_REASONS = {
    "interrupted": "The crawl of this account did not report back before the run finished.",
    "deadline": "The run reached its deadline (CRAWL_RUN_MAX_DURATION) before this account's crawl finished.",
}


class CrawlRunActive(ApplicationError):
    """A run over the same selection is still running: two would crawl the same accounts."""

    def __init__(self, run: CrawlRun) -> None:
        super().__init__(
            f"Crawl run #{run.pk} over the same selection is still running (started "
            f"{run.started_at:%Y-%m-%d %H:%M}); it finishes on its own, or close it with "
            f"manage.py crawl_run_finish {run.pk}.",
            {"run": run.pk},
        )
        self.run = run


class LeaseLost(Exception):
    """The crawl's lease went to another attempt: this one's result must not be stored."""


def forge_token(forge: Forge) -> str | None:
    """FORGE_TOKEN_<HOST> for any forge; GITHUB_TOKEN for github.com when that is not set."""
    variable = "FORGE_TOKEN_" + re.sub(r"[^A-Z0-9]", "_", forge.host.upper())
    token = os.environ.get(variable, "")
    if not token and forge.host == "github.com":
        token = settings.GITHUB_TOKEN
    return token or None


def accounts_to_crawl(
    *, forge_host: str | None = None, logins: Iterable[str] | None = None
) -> QuerySet[Account]:
    """Active accounts on crawlable forges, neither the account nor its forge ignored.

    ``logins`` selects accounts by ``HOST/LOGIN`` (``HOST`` alone for a whole instance).
    """
    today = timezone.localdate()
    accounts = Account.objects.select_related("forge").filter(
        Q(ignored_since__isnull=True) | Q(ignored_since__gt=today),
        Q(forge__ignored_since__isnull=True) | Q(forge__ignored_since__gt=today),
        state=AccountState.ACTIVE,
        forge__kind__in=CRAWLABLE_FORGE_KINDS,
    )
    if forge_host:
        accounts = accounts.filter(forge__host=forge_host.lower())
    if logins is not None:
        wanted = Q(pk__in=[])
        for host_login in logins:
            host, _, login = host_login.strip().strip("/").partition("/")
            wanted |= Q(forge__host=host.lower(), login__iexact=login)
        accounts = accounts.filter(wanted)
    return accounts.order_by("forge__host", "login")


def _selection(accounts: list[Account], forge_host: str | None) -> str:
    if forge_host:
        return forge_host
    text = ", ".join(str(account) for account in accounts)
    max_length = CrawlRun._meta.get_field("selection").max_length
    return text if len(text) <= max_length else text[: max_length - 1] + "…"


def _selection_key(accounts: list[Account] | None, forge_host: str | None) -> str:
    """Runs over the same selection share this key, and only one of them may be running."""
    if accounts is None:
        return f"forge:{forge_host.lower()}" if forge_host else ""
    ids = ",".join(str(pk) for pk in sorted(account.pk for account in accounts))
    return "accounts:" + hashlib.sha256(ids.encode()).hexdigest()[:32]


def crawl_run_deadline(run: CrawlRun) -> dt.datetime:
    return run.started_at + dt.timedelta(seconds=settings.CRAWL_RUN_MAX_DURATION)


@transaction.atomic
def crawl_run_start(
    *,
    accounts: Iterable[Account] | None = None,
    forge_host: str | None = None,
    trigger: str = "manual",
) -> CrawlRun:
    """Open a run over the given accounts (by default every account to crawl, or one forge's).

    Each account gets its AccountCrawl row now, so the run knows what it covers and a crawl
    that never reports back shows up as interrupted when the run finishes. Raises
    CrawlRunActive while a run over the same selection is running (a database constraint, so
    two starts at once cannot both pass); a run past its deadline is closed first, so a lock
    left by a run nobody finished expires with it.
    """
    listed = None if accounts is None else list(accounts)
    selected = accounts_to_crawl(forge_host=forge_host) if listed is None else listed
    selected = list(selected)
    key = _selection_key(listed, forge_host)
    now = timezone.now()
    for stale in CrawlRun.objects.filter(status=CrawlStatus.RUNNING, selection_key=key):
        if crawl_run_deadline(stale) <= now:
            crawl_run_finish(run_id=stale.pk, reason="deadline")
    try:
        with transaction.atomic():
            run = CrawlRun.objects.create(
                started_at=now,
                trigger=trigger,
                selection=_selection(selected, forge_host)
                if listed is not None or forge_host
                else "",
                selection_key=key,
                accounts_total=len(selected),
            )
    except IntegrityError:
        active = CrawlRun.objects.filter(status=CrawlStatus.RUNNING, selection_key=key).first()
        if active is None:  # finished between the insert and this read: a plain retry works
            raise
        raise CrawlRunActive(active) from None
    AccountCrawl.objects.bulk_create(
        [AccountCrawl(run=run, account=account, started_at=now) for account in selected]
    )
    logger.info("Crawl run %s started over %s account(s) (%s)", run.pk, len(selected), trigger)
    return run


def account_crawl(
    *, account_id: int, run_id: int | None = None, owner: str | None = None
) -> AccountCrawl:
    """Crawl one account: fetch its forge, upsert its repositories, mark vanished ones gone.

    Never raises for a failure of the forge or of this account's data: the AccountCrawl then
    says failed, with the error, and nothing stored for the account changes (its
    repositories are not marked gone). Raises the database's OperationalError or
    InterfaceError, after which the crawl can be tried again. Without a run, the crawl gets a
    run of its own.

    The crawl holds the account's lease (``owner``, a Celery task's id; a new token by default)
    and does nothing when it cannot take it: the account is finished in the run, or crawled
    by someone else right now. Whoever records an account's crawl last in a run closes the run.
    """
    account = Account.objects.select_related("forge").get(pk=account_id)
    if run_id is None:
        run_id = crawl_run_start(accounts=[account]).pk
    owner = owner or lease_owner_new()
    with log_context(run_id=run_id, account_id=account_id):
        crawl = account_crawl_claim(run_id=run_id, account_id=account_id, owner=owner)
        if crawl is None:
            logger.info("Not crawling %s: finished or leased by another attempt", account)
        else:
            logger.info("Crawling %s (attempt %s)", account, crawl.attempts)
            with LeaseKeeper(crawl_id=crawl.pk, owner=owner):
                _crawl(crawl, account, owner=owner)
        crawl_run_finish_if_complete(run_id=run_id)
    return AccountCrawl.objects.get(run_id=run_id, account_id=account_id)


def _crawl(crawl: AccountCrawl, account: Account, *, owner: str) -> None:
    started_at = crawl.started_at
    clock = time.monotonic()
    failure = {"crawl": crawl, "account": account, "owner": owner, "clock": clock}
    cache = DatabaseHttpCache(account)
    try:
        result = _fetch(account, cache)
    except CrawlerError as error:
        # The forge's answers so far were valid: keep their validators for the next attempt.
        cache.save()
        _record_failure(**failure, kind=error.kind, message=error.message, stats=error.stats)
    except SoftTimeLimitExceeded:
        _record_failure(**failure, kind="timeout", message="The crawl exceeded its time limit.")
    except DATABASE_DOWN:
        raise
    except Exception as error:  # one account must never stop the run, whatever it hits
        logger.exception("Crawling %s failed unexpectedly", account)
        _record_failure(**failure, kind="internal", message=_describe(error))
    else:
        try:
            _store(
                crawl, account, result, cache=cache, started_at=started_at, clock=clock, owner=owner
            )
        except LeaseLost:
            logger.warning("Dropped the crawl of %s: its lease went to another attempt", account)
        except DATABASE_DOWN:
            raise
        except Exception as error:  # storing rolled back whole: the stored inventory is intact
            logger.exception("Storing the crawl of %s failed", account)
            _record_failure(**failure, kind="storage", message=_describe(error))


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


def _fetch(account: Account, cache: DatabaseHttpCache) -> AccountCrawlResult:
    forge = account.forge
    client = client_for(
        forge.kind,
        api_url=forge.api_url,
        token=forge_token(forge),
        cache=cache,
        timeout=settings.CRAWL_TIMEOUT,
        max_retries=settings.CRAWL_MAX_RETRIES,
        max_rate_limit_wait=settings.CRAWL_MAX_RATE_LIMIT_WAIT,
        graphql=settings.CRAWL_GRAPHQL,
        manifests=settings.CRAWL_MANIFESTS,
    )
    # Gone repositories are known too: one coming back unchanged needs no details again.
    known = dict(Repository.objects.filter(account=account).values_list("remote_id", "change_key"))
    return client.crawl_account(
        AccountRef(api_url=forge.api_url, kind=account.kind, login=account.login), known=known
    )


def _fit(model, field_name: str, value: str) -> str:
    max_length = model._meta.get_field(field_name).max_length
    value = (value or "").replace("\x00", "")
    return value[:max_length] if max_length else value


def _profile_update(account: Account, profile: AccountRecord) -> list[str]:
    """Copy the account's public profile as the forge shows it; returns the fields set."""
    values = {
        "name": _fit(Account, "name", profile.name),
        "description": _fit(Account, "description", profile.description),
        "html_url": _fit(Account, "html_url", profile.html_url),
        "website": _fit(Account, "website", profile.website),
        "location": _fit(Account, "location", profile.location),
        # Only what the owner made public on the forge: the client reads nothing else.
        "public_email": _fit(Account, "public_email", profile.email),
        "avatar_url": _fit(Account, "avatar_url", profile.avatar_url),
        "forge_created_at": profile.created_at,
        "followers": None if profile.followers is None else max(0, profile.followers),
    }
    for field_name, value in values.items():
        setattr(account, field_name, value)
    return list(values)


def _store(
    crawl: AccountCrawl,
    account: Account,
    result: AccountCrawlResult,
    *,
    cache: DatabaseHttpCache,
    started_at: dt.datetime,
    clock: float,
    owner: str,
) -> None:
    with transaction.atomic():
        if not account_crawl_lease_holds(crawl_id=crawl.pk, owner=owner):
            raise LeaseLost
        counts = repositories_upsert(
            account=account, records=result.repositories, seen_at=started_at
        )
        dependencies_replace(account=account, records=result.repositories, read_at=started_at)
        gone = repositories_mark_gone(
            account=account,
            seen_remote_ids=[record.forge_id for record in result.repositories],
            at=started_at,
        )
        accounts_repositories_count_refresh(account_ids=[account.pk])
        cache.save()
        account_fields = ["last_crawled_at", "last_crawl_status", "last_crawl_error", "updated_at"]
        if result.account is not None:
            account_fields += _profile_update(account, result.account)
        account.last_crawled_at = timezone.now()
        account.last_crawl_status = CrawlStatus.SUCCESS
        account.last_crawl_error = ""
        account.save(update_fields=account_fields)
        # An organisation known only by its Annuaire id takes the name its forge shows: the
        # account's profile name, or for a whole instance (no profile) the instance's host.
        organisation_placeholder_rename(
            organisation_id=account.organisation_id,
            name=account.name or ("" if account.login else account.forge.host),
        )
        crawl.status = CrawlStatus.SUCCESS
        for field_name, value in _counters(result.stats).items():
            setattr(crawl, field_name, value)
        crawl.repositories_seen = counts.seen
        crawl.repositories_new = counts.new
        crawl.repositories_updated = counts.updated
        crawl.repositories_revived = counts.revived
        crawl.repositories_gone = gone
        crawl.error_kind = ""
        crawl.error = ""
        crawl.finished_at = timezone.now()
        crawl.duration_seconds = time.monotonic() - clock
        crawl.lease_expires_at = None
        crawl.save()
        content_changed()
    logger.info(
        "Crawled %s: %s repositories seen, %s new, %s updated, %s gone, %s requests",
        account, counts.seen, counts.new, counts.updated, gone, crawl.requests,
    )  # fmt: skip


def _counters(stats: RequestStats | None) -> dict[str, float]:
    """The request counters an AccountCrawl records, from a crawl's stats (none: left as is)."""
    if stats is None:
        return {}
    return {
        "requests": stats.requests,
        "not_modified": stats.not_modified,
        "retries": stats.retries,
        "rate_limit_wait_seconds": stats.rate_limit_wait_seconds,
    }


@transaction.atomic
def _record_failure(
    *,
    crawl: AccountCrawl,
    account: Account,
    owner: str,
    kind: str,
    message: str,
    clock: float,
    stats: RequestStats | None = None,
) -> None:
    kind = kind[: AccountCrawl._meta.get_field("error_kind").max_length]
    recorded = AccountCrawl.objects.filter(
        pk=crawl.pk, lease_owner=owner, status=CrawlStatus.RUNNING
    ).update(
        status=CrawlStatus.FAILED,
        error_kind=kind,
        error=message,
        finished_at=timezone.now(),
        duration_seconds=time.monotonic() - clock,
        lease_expires_at=None,
        **_counters(stats),
    )
    if not recorded:
        logger.warning("Dropped the failure of %s: its lease went to another attempt", account)
        return
    Account.objects.filter(pk=account.pk).update(
        last_crawled_at=timezone.now(),
        last_crawl_status=CrawlStatus.FAILED,
        last_crawl_error=f"{kind}: {message}",
    )
    content_changed()
    logger.warning("Crawl of %s failed: %s: %s", account, kind, message)


def crawl_run_finish_if_complete(*, run_id: int) -> CrawlRun | None:
    """Close the run when none of its accounts is still running; None while some are."""
    if AccountCrawl.objects.filter(run_id=run_id, status=CrawlStatus.RUNNING).exists():
        return None
    return crawl_run_finish(run_id=run_id)


def crawl_run_finish(*, run_id: int, reason: str = "interrupted") -> CrawlRun:
    """Close a run: success if every account succeeded, failed if all failed, else partial.

    Idempotent: the run's row is locked while it is closed, and only the call that finds it
    running closes it and regenerates the open data (when at least one account was crawled and
    that application provides them). Accounts still running are recorded as failed, ``reason``
    (``interrupted`` or ``deadline``) saying why; a crawl of theirs still going is dropped when
    it ends (it no longer holds its lease).
    """
    with transaction.atomic():
        run = CrawlRun.objects.select_for_update().get(pk=run_id)
        if run.status != CrawlStatus.RUNNING:
            return run
        now = timezone.now()
        unfinished = run.results.filter(status=CrawlStatus.RUNNING).update(
            status=CrawlStatus.FAILED,
            error_kind=reason,
            error=UNFINISHED_REASONS[reason],
            finished_at=now,
            lease_expires_at=None,
        )
        statuses = set(run.results.values_list("status", flat=True))
        if statuses <= {CrawlStatus.SUCCESS}:
            run.status = CrawlStatus.SUCCESS
        elif statuses == {CrawlStatus.FAILED}:
            run.status = CrawlStatus.FAILED
        else:
            run.status = CrawlStatus.PARTIAL
        run.finished_at = now
        run.save(update_fields=["status", "finished_at"])
    with log_context(run_id=run.pk):
        logger.info(
            "Crawl run %s finished: %s (%s account(s) still running were failed as %s)",
            run.pk, run.status, unfinished, reason,
        )  # fmt: skip
        if CrawlStatus.SUCCESS in statuses:
            repository_counts_refresh()
            _open_data_refresh()
    return run


def _open_data_refresh() -> None:
    # inventory.opendata is another application's: use its exports when it has them.
    if importlib.util.find_spec(OPEN_DATA_SERVICES) is None:
        return
    try:
        importlib.import_module(OPEN_DATA_SERVICES).exports_generate()
    except Exception:  # the run is closed all the same; the daily regeneration catches up
        logger.exception("Regenerating the open data after the run failed")
