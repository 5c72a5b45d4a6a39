"""Export the registry of forge accounts in code.gouv.fr's current YAML format or as our CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from inventory.forges.services.accounts_export import accounts_export
from inventory.forges.services.accounts_readers import FORMAT_CSV, FORMAT_CURRENT


class Command(BaseCommand):
    help = "Write the accounts registry (active and inactive accounts) as YAML (current format) or CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format", choices=[FORMAT_CURRENT, FORMAT_CSV], default=FORMAT_CURRENT
        )
        parser.add_argument(
            "-o", "--output", type=Path, help="File to write (default: standard output)."
        )

    def handle(self, *args, output: Path | None, **options) -> None:
        text = accounts_export(fmt=options["format"])
        if output is None:
            self.stdout.write(text, ending="")
            return
        output.write_text(text, encoding="utf-8")
        self.stderr.write(f"Accounts registry written to {output}.")
