"""The crawl's health check: a run crawled accounts recently, and none is stuck past its deadline."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from inventory.forges.models import CrawlRun, CrawlStatus
from inventory.forges.selectors import crawl_run_last_successful
from inventory.forges.services.crawl import crawl_run_deadline


@dataclasses.dataclass
class LastCrawlRun(HealthCheck):
    """Fails when no run crawled an account for CRAWL_HEALTH_MAX_AGE, or one outlived its
    deadline (the reaper, hence beat or every worker, is not running)."""

    def run(self) -> None:
        try:
            self._check(timezone.now())
        except DatabaseError as error:
            raise ServiceUnavailable("Database unavailable") from error
        finally:
            connection.close()  # this check runs in a thread of its own

    def _check(self, now: dt.datetime) -> None:
        for run in CrawlRun.objects.filter(status=CrawlStatus.RUNNING).order_by("started_at"):
            if crawl_run_deadline(run) < now:
                raise ServiceUnavailable(
                    f"Crawl run #{run.pk} is still running past its deadline: is beat running, "
                    "and a worker?"
                )
        last = crawl_run_last_successful()
        if last is None:
            raise ServiceUnavailable("No crawl run has crawled an account yet")
        age = now - last.finished_at
        if age.total_seconds() > settings.CRAWL_HEALTH_MAX_AGE:
            raise ServiceUnavailable(
                f"The last crawl run that crawled accounts (#{last.pk}) finished "
                f"{age.total_seconds() / 3600:.1f} hours ago"
            )
