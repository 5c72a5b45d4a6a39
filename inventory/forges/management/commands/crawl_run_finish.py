"""manage.py crawl_run_finish: close crawl runs by hand (idempotent; the reaper does it on its own)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inventory.forges.models import CrawlRun, CrawlStatus
from inventory.forges.services.crawl import crawl_run_finish


class Command(BaseCommand):
    help = (
        "Close crawl runs now: accounts still running are recorded as interrupted, the outcome "
        "is computed and the open data regenerated. A run already closed is left as it is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("run_ids", nargs="+", type=int, metavar="RUN_ID")

    def handle(self, *args, run_ids: list[int], **options) -> None:
        missing = sorted(
            set(run_ids) - set(CrawlRun.objects.filter(pk__in=run_ids).values_list("pk", flat=True))
        )
        if missing:
            raise CommandError("No crawl run " + ", ".join(f"#{pk}" for pk in missing) + ".")
        for run_id in run_ids:
            before = CrawlRun.objects.get(pk=run_id)
            running = before.results.filter(status=CrawlStatus.RUNNING).count()
            run = crawl_run_finish(run_id=run_id)
            if before.status != CrawlStatus.RUNNING:
                self.stdout.write(
                    f"Run #{run.pk} was already finished: {run.status} at {run.finished_at:%Y-%m-%d %H:%M:%S}."
                )
                continue
            counts = {
                status: run.results.filter(status=status).count()
                for status in (CrawlStatus.SUCCESS, CrawlStatus.FAILED)
            }
            self.stdout.write(
                f"Run #{run.pk} finished: {run.status} ({counts[CrawlStatus.SUCCESS]} account(s) "
                f"crawled, {counts[CrawlStatus.FAILED]} failed, of which {running} interrupted)."
            )
