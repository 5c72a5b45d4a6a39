"""``manage.py search_reindex``: rebuild every catalog entry's search document."""

from django.core.management.base import BaseCommand
from django.db import transaction

from inventory.catalog.services.search_documents import software_search_documents_refresh


class Command(BaseCommand):
    help = (
        "Rebuild the search documents of every catalog entry, after changes made outside the "
        "catalog's services, importers and admin (a data migration renaming categories, SQL)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            written = software_search_documents_refresh()
        self.stdout.write(f"{written} search documents rebuilt.")
