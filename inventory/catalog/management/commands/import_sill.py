"""``manage.py import_sill FILE…``: import the SILL's published files (format detected per file)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inventory.catalog.importers import SillFileError, sill_import_file


class Command(BaseCommand):
    help = (
        "Import SILL files: the 2022 sill.json (short keys), the 2020 sill-2020.csv, today's "
        "public JSON format, and sill-contributors.json (organisations). One transaction per "
        "file: an unreadable file changes nothing; invalid records are listed and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="*", type=Path, help="SILL files, in any of the formats."
        )
        parser.add_argument(
            "--contributors", type=Path, action="append", default=[],
            help="sill-contributors.json (organisations), imported first.",
        )  # fmt: skip
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, change nothing."
        )

    def handle(self, *args, files, contributors, dry_run, **options):
        paths = [*contributors, *files]
        if not paths:
            raise CommandError("Give at least one file to import.")
        failed = []
        for path in paths:
            try:
                report = sill_import_file(path, dry_run=dry_run)
            except SillFileError as error:
                self.stderr.write(self.style.ERROR(f"{error} Nothing was imported from it."))
                failed.append(path)
                continue
            self.stdout.write(report.summary())
            for reject in report.rejects:
                self.stdout.write(f"  rejected {reject.location}: {reject.reason}")
            if options["verbosity"] > 1:
                for warning in report.warnings:
                    self.stdout.write(f"  warning {warning.location}: {warning.reason}")
        if failed:
            raise CommandError(
                f"{len(failed)} file(s) could not be imported: {', '.join(map(str, failed))}"
            )
