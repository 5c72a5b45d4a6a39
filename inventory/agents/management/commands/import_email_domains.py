"""Load the public-sector e-mail domain lists into the sign-in allow-list."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inventory.agents.services import DEFAULT_EMAIL_DOMAINS_DIR, email_domains_import
from inventory.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = (
        "Add the domains of every *.txt list in DIR (default: the lists shipped in "
        "inventory/agents/data) to the allowed e-mail domains; each file's name is their source. "
        "Domains already present keep their state, so running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_EMAIL_DOMAINS_DIR)

    def handle(self, *args, directory: Path, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory.")
        try:
            report = email_domains_import(directory=directory)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        for file_name, line_number, text in report.invalid:
            self.stderr.write(f"{file_name}:{line_number}: not a domain name, skipped: {text!r}")
        self.stdout.write(
            f"{report.created} domains added, {report.unchanged} already present, "
            f"{len(report.invalid)} invalid lines skipped."
        )
