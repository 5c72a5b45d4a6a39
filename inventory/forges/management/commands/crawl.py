"""manage.py crawl: crawl accounts with a progress bar and a summary table at the end."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from inventory.forges.models import AccountCrawl, CrawlRun, CrawlStatus
from inventory.forges.services.crawl import (
    CrawlRunActive,
    account_crawl,
    accounts_to_crawl,
    crawl_run_finish,
    crawl_run_start,
)
from inventory.forges.tasks import crawl_all_task

STATUS_STYLES = {
    CrawlStatus.SUCCESS: "green",
    CrawlStatus.FAILED: "red",
    CrawlStatus.PARTIAL: "yellow",
    CrawlStatus.RUNNING: "blue",
}
ERROR_WIDTH = 60


class Command(BaseCommand):
    help = (
        "Crawl the active accounts (all, one forge's, or those named) and print a summary. "
        "Runs in this process by default; --queue hands the run to the Celery workers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--account",
            action="append",
            dest="accounts",
            metavar="HOST/LOGIN",
            help="Crawl this account (repeatable); HOST alone for a whole instance.",
        )
        parser.add_argument("--forge", metavar="HOST", help="Crawl only this forge's accounts.")
        parser.add_argument(
            "--no-table",
            action="store_true",
            help="Print the run's totals on one line instead of a table of every account.",
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--sync",
            action="store_true",
            help="Crawl here, one account after the other (the default).",
        )
        mode.add_argument(
            "--queue", action="store_true", help="Queue the run for the Celery workers instead."
        )

    def handle(self, *args, accounts: list[str] | None, forge: str | None, queue: bool, **options):
        self.out = self._console(self.stdout)
        self.table = not options["no_table"]
        selected = list(accounts_to_crawl(forge_host=forge, logins=accounts))
        if accounts:
            found = {
                f"{account.forge.host}/{account.login}".rstrip("/").lower() for account in selected
            }
            missing = [name for name in accounts if name.strip().strip("/").lower() not in found]
            if missing:
                self._console(self.stderr).print(
                    "[yellow]Not crawlable (unknown, inactive, ignored or on an unsupported forge): "
                    + ", ".join(missing)
                )
        if not selected:
            if accounts or forge:
                raise CommandError("No account to crawl matches this selection.")
            self.out.print("No account to crawl: import some first (manage.py import_accounts).")
            return
        if queue:
            self._queue(forge=forge, logins=accounts)
            return
        run = self._crawl(selected, forge=forge, named=bool(accounts))
        self._summarise(run)
        if run.status == CrawlStatus.FAILED:
            raise CommandError(f"Every account's crawl failed (run #{run.pk}).")

    def _console(self, stream) -> Console:
        # The wrapped stream: Django's OutputWrapper would add a newline to each of rich's writes
        # (and a command called by another one with its stdout gets a wrapper of a wrapper).
        file = stream
        while isinstance(file, OutputWrapper):
            file = file._out
        return Console(file=file, width=None if file.isatty() else 160, highlight=False)

    def _queue(self, *, forge: str | None, logins: list[str] | None) -> None:
        result = crawl_all_task.delay(forge_host=forge, logins=logins, trigger="command")
        if result.ready():  # no broker configured: the task ran here, eagerly
            run_id = result.get()
            if run_id is None:
                raise CommandError("A run over the same selection is still running.")
            self._summarise(CrawlRun.objects.get(pk=run_id))
        else:
            self.out.print(f"Crawl queued (task {result.id}); the Celery workers will run it.")

    def _crawl(self, selected, *, forge: str | None, named: bool) -> CrawlRun:
        # The same selection as beat's or a forge's run when it is one: they exclude each other.
        try:
            run = crawl_run_start(
                accounts=selected if named else None, forge_host=forge, trigger="command"
            )
        except CrawlRunActive as error:
            raise CommandError(error.message) from error
        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[account]}"),
            console=self._console(self.stderr),
            transient=False,
        )
        with progress:
            bar = progress.add_task(f"Crawl #{run.pk}", total=len(selected), account="")
            for account in selected:
                progress.update(bar, account=str(account))
                account_crawl(account_id=account.pk, run_id=run.pk)
                progress.advance(bar)
            progress.update(bar, account="")
        return crawl_run_finish(run_id=run.pk)

    def _summarise(self, run: CrawlRun) -> None:
        results = list(
            AccountCrawl.objects.filter(run=run)
            .select_related("account__forge")
            .order_by("account__forge__host", "account__login")
        )
        totals = {
            name: sum(getattr(result, name) for result in results)
            for name in (
                "repositories_seen",
                "repositories_new",
                "repositories_updated",
                "repositories_gone",
                "repositories_revived",
                "requests",
                "not_modified",
                "duration_seconds",
            )
        }
        failed = sum(result.status == CrawlStatus.FAILED for result in results)
        if not self.table:
            self.out.print(
                f"Crawl #{run.pk}: {run.status}, {len(results)} accounts ({failed} failed), "
                f"{totals['repositories_seen']} repositories seen ({totals['repositories_new']} "
                f"new, {totals['repositories_updated']} updated, {totals['repositories_gone']} "
                f"gone), {totals['requests']} requests ({totals['not_modified']} answered 304)"
            )
            return
        table = Table(title=f"Crawl #{run.pk}: {run.status}", show_footer=True)
        table.add_column("Account", footer=f"{len(results)} accounts")
        table.add_column("Status", footer=f"{failed} failed")
        for header, name in (
            ("Seen", "repositories_seen"),
            ("New", "repositories_new"),
            ("Updated", "repositories_updated"),
            ("Gone", "repositories_gone"),
            ("Back", "repositories_revived"),
            ("Requests", "requests"),
            ("304s", "not_modified"),
        ):
            table.add_column(header, justify="right", footer=str(totals[name]))
        table.add_column("Duration", justify="right", footer=f"{totals['duration_seconds']:.1f}s")
        table.add_column("Error", max_width=ERROR_WIDTH, overflow="fold")
        for result in results:
            style = STATUS_STYLES.get(result.status, "")
            error = f"{result.error_kind}: {result.error}" if result.error_kind else ""
            table.add_row(
                Text(str(result.account)),
                f"[{style}]{result.status}[/]",
                str(result.repositories_seen),
                str(result.repositories_new),
                str(result.repositories_updated),
                str(result.repositories_gone),
                str(result.repositories_revived),
                str(result.requests),
                str(result.not_modified),
                f"{result.duration_seconds:.1f}s",
                Text(error[: ERROR_WIDTH * 3]),
            )
        self.out.print(table)
