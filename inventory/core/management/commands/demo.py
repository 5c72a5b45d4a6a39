"""Set up the demo end to end on the current database and serve the site."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from inventory.catalog.models import Software
from inventory.core.demo import (
    SILL_CONTRIBUTORS,
    SILL_FILES,
    TOP_ORGANISATIONS,
    demo_data_dir,
    demo_forge_start,
    forges_api_urls_set,
)
from inventory.core.exceptions import ApplicationError
from inventory.enrichment.demo import demo_enrich_arguments, demo_sources_start
from inventory.enrichment.selectors import enriched_count
from inventory.forges.models import Account, CrawlRun, Repository
from inventory.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Create the database, start a fake forge seeded with the real 2021 code.gouv.fr export, "
        "import the accounts and the real SILL catalog, crawl, publish the open data and serve the site."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data", type=Path, help="Real public data folder (default: ../shared/data)."
        )
        parser.add_argument(
            "--forge-port", type=int, default=8765, help="Fake forge port (default 8765)."
        )
        parser.add_argument(
            "--sources-port", type=int, default=8766, help="Fake sources port (default 8766)."
        )
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Where to serve the site.")
        parser.add_argument(
            "--no-serve", action="store_true", help="Stop after the crawl, do not serve."
        )

    def handle(
        self,
        *args,
        data: Path | None,
        forge_port: int,
        sources_port: int,
        addr: str,
        no_serve: bool,
        **options,
    ):
        try:
            data_dir = demo_data_dir(data)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self._step("Creating or upgrading the database")
        call_command("migrate", interactive=False, verbosity=0)
        self._step("Loading the allowed e-mail domains and the real SILL catalog")
        call_command("import_email_domains", verbosity=0)
        call_command(
            "import_sill", *[str(data_dir / name) for name in SILL_FILES],
            contributors=[data_dir / SILL_CONTRIBUTORS], verbosity=0,
        )  # fmt: skip
        self._step(f"Starting the fake forge on 127.0.0.1:{forge_port}")
        try:
            forge, accounts_file, hosts = demo_forge_start(data_dir=data_dir, port=forge_port)
        except OSError as error:
            raise CommandError(
                f"Cannot start the fake forge on port {forge_port}: {error}"
            ) from error
        sources = None
        try:
            self._step(f"Importing the accounts registry ({accounts_file})")
            call_command(
                "import_accounts", str(accounts_file),
                top_organizations=data_dir / TOP_ORGANISATIONS, verbosity=0,
            )  # fmt: skip
            forges_api_urls_set(api_urls={host: forge.api_url(host) for host in hosts})
            self._step("Crawling every account on the fake forge")
            # GitHub's GraphQL API answers authenticated clients only; the fake forge takes any
            # token, so the demo crawls github.com through GraphQL as a configured site would.
            with _environment_default("FORGE_TOKEN_GITHUB_COM", "demo"):
                call_command("crawl", stdout=self.stdout, stderr=self.stderr)
            self._step(f"Enriching the catalog from the fake sources on 127.0.0.1:{sources_port}")
            sources = demo_sources_start(port=sources_port)
            try:
                call_command("enrich", *demo_enrich_arguments(), stdout=self.stdout)
            except CommandError as error:
                self.stderr.write(str(error))
            self._summary()
            if not no_serve:
                self._step(f"Serving on http://{addr}/ (Ctrl-C to stop)")
                call_command("runserver", addr, use_reloader=False)
        finally:
            forge.stop()
            if sources is not None:
                sources.stop()

    def _step(self, text: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"==> {text}"))

    def _summary(self) -> None:
        run = CrawlRun.objects.first()
        lines = [
            f"Organisations: {Organisation.objects.count()}",
            f"Accounts: {Account.objects.count()}",
            f"Repositories: {Repository.objects.filter(gone_at__isnull=True).count()}",
            f"Software in the catalog: {Software.objects.count()}",
            f"Enriched from a source: {enriched_count()}",
            f"Last crawl: #{run.pk} {run.get_status_display()}" if run else "No crawl",
            f"Database: {settings.DATABASES['default']['NAME']}",
            f"Open data files: {settings.OPENDATA_DIR}",
            "Look at: / (catalog), /code/ (inventory), /statistiques/, /data/, /api/docs/, /admin/",
            "Curator account for the admin: manage.py createsuperuser",
        ]
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))


@contextlib.contextmanager
def _environment_default(name: str, value: str) -> Iterator[None]:
    """``name`` set to ``value`` unless already set, for the time of the block."""
    if name in os.environ:
        yield
        return
    os.environ[name] = value
    try:
        yield
    finally:
        os.environ.pop(name, None)
