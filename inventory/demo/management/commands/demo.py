"""Set up the demo end to end on the current database and serve the site."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from inventory.agents.models import EmailDomain
from inventory.agents.services import DEFAULT_EMAIL_DOMAINS_DIR, email_domains_import
from inventory.catalog.importers import SillFileError, sill_import_file
from inventory.catalog.services.repositories import software_repositories_link
from inventory.core.exceptions import ApplicationError
from inventory.demo.services import (
    SILL_CONTRIBUTORS,
    SILL_FILES,
    TOP_ORGANISATIONS,
    crawl_run_totals,
    demo_data_dir,
    demo_forge_start,
    forges_api_urls_set,
)
from inventory.enrichment.demo import demo_enrich_arguments, demo_sources_start
from inventory.enrichment.selectors import enriched_count
from inventory.forges.models import Account, Forge
from inventory.opendata.services import exports_generate
from inventory.organisations.models import Organisation

NEXT_STEPS = (
    ("/", "the catalog: search a need, e.g. “traitement de texte”"),
    ("/code/", "the inventory of public repositories"),
    ("/statistiques/", "charts of the inventory and the catalog"),
    ("/data/", "the open-data downloads"),
    ("/api/v1/", "the API (documentation at /api/docs/)"),
    ("/admin/", "curators' admin: create an account with manage.py createsuperuser"),
)


class Command(BaseCommand):
    help = (
        "Create the database, start a fake forge seeded with the real 2021 code.gouv.fr export, "
        "import the accounts and the real SILL catalog, crawl, publish the open data, print a "
        "summary and serve the site."
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
        parser.add_argument(
            "--table", action="store_true", help="Also print the crawl's table of every account."
        )

    def handle(
        self,
        *args,
        data: Path | None,
        forge_port: int,
        sources_port: int,
        addr: str,
        no_serve: bool,
        table: bool,
        **options,
    ):
        try:
            data_dir = demo_data_dir(data)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.details = settings.VAR_DIR / "demo" / "demo.log"
        self.details.parent.mkdir(parents=True, exist_ok=True)
        self.details.write_text("", encoding="utf-8")
        summary: list[tuple[str, str]] = []

        self._step("Creating or upgrading the database")
        with self._captured("migrate") as out:
            call_command("migrate", interactive=False, stdout=out)

        self._step("Loading the allowed e-mail domains and the real SILL catalog")
        domains = email_domains_import(directory=DEFAULT_EMAIL_DOMAINS_DIR)
        summary.append((
            "E-mail domains",
            f"{EmailDomain.objects.count()} allowed ({domains.created} added)",
        ))  # fmt: skip
        for file_name, line_number, text in domains.invalid:
            self._log(f"{file_name}:{line_number}: not a domain name, skipped: {text!r}")
        for path in (data_dir / SILL_CONTRIBUTORS, *(data_dir / name for name in SILL_FILES)):
            try:
                report = sill_import_file(path)
            except SillFileError as error:
                raise CommandError(f"{error} Nothing was imported from it.") from error
            self._log(report.summary())
            summary.append((
                f"SILL {path.name}",
                f"{report.created} created, {report.updated} updated, {report.unchanged} "
                f"unchanged, {len(report.rejects)} rejected",
            ))  # fmt: skip

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
            accounts_before = Account.objects.count()
            with self._captured("import_accounts") as out:
                call_command(
                    "import_accounts", str(accounts_file),
                    top_organizations=data_dir / TOP_ORGANISATIONS, stdout=out, stderr=out,
                )  # fmt: skip
            forges_api_urls_set(api_urls={host: forge.api_url(host) for host in hosts})
            summary.append((
                "Accounts registry",
                f"{Account.objects.count()} accounts ({Account.objects.count() - accounts_before}"
                f" new) on {Forge.objects.count()} forges, "
                f"{Organisation.objects.count()} organisations",
            ))  # fmt: skip

            self._step("Crawling every account on the fake forge")
            # GitHub's GraphQL API answers authenticated clients only; the fake forge takes any
            # token, so the demo crawls github.com through GraphQL as a configured site would.
            with (
                _environment_default("FORGE_TOKEN_GITHUB_COM", "demo"),
                self._captured("crawl", show=table) as out,
            ):
                call_command("crawl", no_table=not table, stdout=out, stderr=self.stderr)
            summary.append(crawl_run_totals())

            self._step("Linking catalog entries to the repositories crawled")
            summary.append(
                ("Catalog links", f"{software_repositories_link()} entries newly linked")
            )

            self._step(f"Enriching the catalog from the fake sources on 127.0.0.1:{sources_port}")
            sources = demo_sources_start(port=sources_port)
            with self._captured("enrich") as out:
                try:
                    call_command("enrich", *demo_enrich_arguments(), stdout=out)
                except CommandError as error:
                    out.write(f"{error}\n")
            summary.append(("Enrichment", f"{enriched_count()} entries enriched from a source"))

            self._step("Publishing the open-data files")
            published = exports_generate()
            summary.append((
                "Open data",
                f"{len(published.manifest['files'])} files in {published.folder.parent.parent}",
            ))  # fmt: skip
            summary.append(("Database", str(settings.DATABASES["default"]["NAME"])))
            summary.append(("Details", f"{self.details} (each step's full output)"))
            self._summary(summary, addr=addr, serving=not no_serve)
            if not no_serve:
                self._step(f"Serving on http://{addr}/ (Ctrl-C to stop)")
                call_command("runserver", addr, use_reloader=False)
        finally:
            forge.stop()
            if sources is not None:
                sources.stop()

    def _step(self, text: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"==> {text}"))

    def _log(self, text: str) -> None:
        with self.details.open("a", encoding="utf-8") as log:
            log.write(text.rstrip("\n") + "\n")

    @contextlib.contextmanager
    def _captured(self, name: str, *, show: bool = False) -> Iterator[io.StringIO]:
        """A step's own output goes to the details file (and here too when ``show``)."""
        out = io.StringIO()
        try:
            yield out
        finally:
            self._log(f"--- {name}\n{out.getvalue()}")
            if show:
                self.stdout.write(out.getvalue(), ending="")

    def _summary(self, rows: list[tuple[str, str]], *, addr: str, serving: bool) -> None:
        width = max(len(label) for label, _ in rows)
        lines = ["", "SUMMARY"]
        lines += [f"  {label.ljust(width)}  {value}" for label, value in rows]
        where = f"http://{addr}" if serving else "manage.py runserver, then http://127.0.0.1:8000"
        lines += ["", f"Where to go next ({where}):"]
        path_width = max(len(path) for path, _ in NEXT_STEPS)
        lines += [f"  {path.ljust(path_width)}  {text}" for path, text in NEXT_STEPS]
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
