"""``manage.py export_sill --format 2022|current [-o FILE]``: write the catalog in a SILL format."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from inventory.catalog.sill_formats import sill_export_2022, sill_export_current

EXPORTERS = {"2022": sill_export_2022, "current": sill_export_current}


class Command(BaseCommand):
    help = (
        "Export the catalog as the 2022 sill.json (short keys, round-trips an import) or in "
        "today's public SILL format (counts of users and referents, never an agent's identity)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(EXPORTERS), default="current")
        parser.add_argument("-o", "--output", type=Path, help="File to write (default: stdout).")

    def handle(self, *args, format, output, **options):
        text = json.dumps(EXPORTERS[format](), ensure_ascii=False, indent=2) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
            return
        output.write_text(text, encoding="utf-8")
        self.stderr.write(f"Wrote {output}.")
