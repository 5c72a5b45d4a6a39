"""Recompute what pages read instead of the repositories: derived columns, then stored counts."""

from django.core.management.base import BaseCommand

from inventory.forges.services.counts import repository_counts_refresh
from inventory.forges.services.derived import repositories_derived_refresh


class Command(BaseCommand):
    help = (
        "Recompute every repository's reuse score and search document (after a change of "
        "their rule), then the stored counts (filter menus, statistics, per account); a crawl "
        "run refreshes the counts itself."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--counts-only", action="store_true", help="Only the stored counts (fast)."
        )

    def handle(self, *args, counts_only: bool = False, **options):
        if not counts_only:
            repositories_derived_refresh()
        counts = repository_counts_refresh()
        self.stdout.write(f"{len(counts)} counts stored.")
