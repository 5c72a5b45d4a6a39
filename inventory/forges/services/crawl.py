"""Crawls: one account from its forge into the database, and the runs that group accounts' crawls."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import logging
import os
import re
import time
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from crawlers.base import CrawlerError
from crawlers.records import AccountCrawlResult, AccountRecord, AccountRef
from crawlers.registry import client_for
from inventory.core.content import content_changed
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
from inventory.forges.services.repositories import repositories_mark_gone, repositories_upsert

logger = logging.getLogger(__name__)

# Forge kinds crawlers.registry has a client for.
CRAWLABLE_FORGE_KINDS = (ForgeKind.GITHUB, ForgeKind.GITLAB, ForgeKind.GITEA, ForgeKind.GOGS)
OPEN_DATA_SERVICES = "inventory.opendata.services"


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


@transaction.atomic
def crawl_run_start(
    *,
    accounts: Iterable[Account] | None = None,
    forge_host: str | None = None,
    trigger: str = "manual",
) -> CrawlRun:
    """Open a run over the given accounts (by default every account to crawl, or one forge's).

    Each account gets its AccountCrawl row now, so the run knows what it covers and a crawl
    that never reports back shows up as interrupted when the run finishes.
    """
    selected = list(accounts_to_crawl(forge_host=forge_host) if accounts is None else accounts)
    now = timezone.now()
    run = CrawlRun.objects.create(
        started_at=now,
        trigger=trigger,
        selection=_selection(selected, forge_host) if accounts is not None or forge_host else "",
        accounts_total=len(selected),
    )
    AccountCrawl.objects.bulk_create(
        [AccountCrawl(run=run, account=account, started_at=now) for account in selected]
    )
    return run


def account_crawl(*, account_id: int, run_id: int | None = None) -> AccountCrawl:
    """Crawl one account: fetch its forge, upsert its repositories, mark vanished ones gone.

    Never raises for a failure of the forge or of this account's data: the AccountCrawl then
    says failed, with the error, and nothing stored for the account changes (its
    repositories are not marked gone). Without a run, the crawl gets a run of its own.
    """
    account = Account.objects.select_related("forge").get(pk=account_id)
    own_run = run_id is None
    if own_run:
        run_id = crawl_run_start(accounts=[account]).pk
    started_at = timezone.now()
    clock = time.monotonic()
    crawl, _ = AccountCrawl.objects.update_or_create(
        run_id=run_id,
        account=account,
        defaults={"started_at": started_at, "status": CrawlStatus.RUNNING},
    )
    cache = DatabaseHttpCache(account)
    try:
        result = _fetch(account, cache)
    except CrawlerError as error:
        # The forge's answers so far were valid: keep their validators for the next attempt.
        cache.save()
        _record_failure(crawl, account, kind=error.kind, message=error.message, clock=clock)
    except Exception as error:  # one account must never stop the run, whatever it hits
        logger.exception("Crawling %s failed unexpectedly", account)
        _record_failure(crawl, account, kind="internal", message=_describe(error), clock=clock)
    else:
        try:
            _store(crawl, account, result, cache=cache, started_at=started_at, clock=clock)
        except Exception as error:  # storing rolled back whole: the stored inventory is intact
            logger.exception("Storing the crawl of %s failed", account)
            _record_failure(crawl, account, kind="storage", message=_describe(error), clock=clock)
    if own_run:
        crawl_run_finish(run_id=run_id)
    crawl.refresh_from_db()
    return crawl


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
) -> None:
    with transaction.atomic():
        counts = repositories_upsert(
            account=account, records=result.repositories, seen_at=started_at
        )
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
        stats = result.stats
        crawl.status = CrawlStatus.SUCCESS
        crawl.requests = stats.requests
        crawl.not_modified = stats.not_modified
        crawl.retries = stats.retries
        crawl.rate_limit_wait_seconds = stats.rate_limit_wait_seconds
        crawl.repositories_seen = counts.seen
        crawl.repositories_new = counts.new
        crawl.repositories_updated = counts.updated
        crawl.repositories_revived = counts.revived
        crawl.repositories_gone = gone
        crawl.error_kind = ""
        crawl.error = ""
        crawl.finished_at = timezone.now()
        crawl.duration_seconds = time.monotonic() - clock
        crawl.save()
        content_changed()


@transaction.atomic
def _record_failure(
    crawl: AccountCrawl, account: Account, *, kind: str, message: str, clock: float
) -> None:
    kind = kind[: AccountCrawl._meta.get_field("error_kind").max_length]
    AccountCrawl.objects.filter(pk=crawl.pk).update(
        status=CrawlStatus.FAILED,
        error_kind=kind,
        error=message,
        finished_at=timezone.now(),
        duration_seconds=time.monotonic() - clock,
    )
    Account.objects.filter(pk=account.pk).update(
        last_crawled_at=timezone.now(),
        last_crawl_status=CrawlStatus.FAILED,
        last_crawl_error=f"{kind}: {message}",
    )
    content_changed()


def crawl_run_finish(*, run_id: int) -> CrawlRun:
    """Close a run: success if every account succeeded, failed if all failed, else partial.

    Idempotent. Accounts whose crawl never reported back are recorded as interrupted.
    Once closed with at least one account crawled, the open-data exports are regenerated
    when that application provides them.
    """
    with transaction.atomic():
        run = CrawlRun.objects.select_for_update().get(pk=run_id)
        if run.status != CrawlStatus.RUNNING:
            return run
        now = timezone.now()
        run.results.filter(status=CrawlStatus.RUNNING).update(
            status=CrawlStatus.FAILED,
            error_kind="interrupted",
            error="The crawl of this account did not report back before the run finished.",
            finished_at=now,
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
    if CrawlStatus.SUCCESS in statuses:
        repository_counts_refresh()
        _open_data_refresh()
    return run


def _open_data_refresh() -> None:
    # inventory.opendata is another application's: use its exports when it has them.
    if importlib.util.find_spec(OPEN_DATA_SERVICES) is None:
        return
    importlib.import_module(OPEN_DATA_SERVICES).exports_generate()
