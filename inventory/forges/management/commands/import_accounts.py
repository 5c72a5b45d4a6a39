"""Import the registry of public-sector forge accounts (code.gouv.fr's YAML lists or our CSV)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from inventory.core.exceptions import ApplicationError
from inventory.forges.services.accounts_readers import FORMATS
from inventory.forges.services.accounts_writers import ImportReport, accounts_import
from inventory.forges.services.forges import platforms_load
from inventory.organisations.services import (
    OrganisationsResult,
    organisations_import_ospo,
    organisations_import_top,
)

TOP_ORGANISATIONS_FILE = "top_organizations.yml"
OSPO_FILE = "fr-public-sector-ospo.yml"
PLATFORMS_FILE = "platforms.csv"


class Command(BaseCommand):
    help = (
        "Import forge accounts from comptes-organismes-publics.yml (current or 2024 URL-keyed format) "
        "or from our CSV. Each file is one transaction; invalid entries are reported and skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--top-organizations",
            type=Path,
            help=f"Ministries and other top organisations (default: {TOP_ORGANISATIONS_FILE} beside the first FILE, if any).",
        )
        parser.add_argument(
            "--ospo",
            type=Path,
            help=f"Public-sector OSPOs, for organisations' links (default: {OSPO_FILE} beside the first FILE, if any).",
        )
        parser.add_argument(
            "--platforms",
            type=Path,
            help=f"host → forge kind table for the URL-keyed format (default: {PLATFORMS_FILE} beside each FILE, if any).",
        )
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="Do not detect the format: read every FILE as this one.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, store nothing."
        )

    def handle(self, *args, files: list[Path], dry_run: bool, **options) -> None:
        top = options["top_organizations"] or files[0].parent / TOP_ORGANISATIONS_FILE
        ospo = options["ospo"] or files[0].parent / OSPO_FILE
        failures = []
        with transaction.atomic():
            if options["top_organizations"] or top.is_file():
                self._import_organisations(
                    organisations_import_top, top, "top organisations", failures
                )
            if options["ospo"] or ospo.is_file():
                self._import_organisations(organisations_import_ospo, ospo, "OSPO links", failures)
            for path in files:
                platforms_path = options["platforms"] or path.parent / PLATFORMS_FILE
                try:
                    platforms = platforms_load(platforms_path) if platforms_path.is_file() else {}
                    report = accounts_import(
                        source=path, fmt=options["format"], dry_run=dry_run, platforms=platforms
                    )
                except (ApplicationError, OSError) as error:
                    failures.append(str(getattr(error, "message", error)))
                    self.stderr.write(self.style.ERROR(failures[-1]))
                    continue
                self._write_report(report, verbose=options["verbosity"] > 1)
            if dry_run:
                transaction.set_rollback(True)
        if failures:
            raise CommandError(
                f"{len(failures)} file(s) could not be imported; nothing was stored from them."
            )

    def _import_organisations(self, service, path: Path, what: str, failures: list[str]) -> None:
        try:
            result: OrganisationsResult = service(path=path)
        except ApplicationError as error:
            failures.append(error.message)
            self.stderr.write(self.style.ERROR(error.message))
            return
        self.stdout.write(
            f"{path.name}: {what}: {len(result.created)} organisations created, "
            f"{len(result.updated)} updated, {len(result.unchanged)} unchanged"
        )
        for location, reason in result.problems:
            self.stdout.write(self.style.WARNING(f"  skipped {location}: {reason}"))

    def _write_report(self, report: ImportReport, *, verbose: bool) -> None:
        style = self.style.SUCCESS if not report.rejected else self.style.WARNING
        self.stdout.write(style(report.summary()))
        for problem in report.rejected:
            self.stdout.write(self.style.WARNING(f"  rejected {problem}"))
        for problem in report.warnings:
            self.stdout.write(f"  warning {problem}")
        if verbose:
            for outcome in ("created", "updated"):
                for item in getattr(report, outcome):
                    self.stdout.write(f"  {outcome} {item}")
