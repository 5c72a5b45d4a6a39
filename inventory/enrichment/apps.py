from django.apps import AppConfig


class EnrichmentConfig(AppConfig):
    name = "inventory.enrichment"
    label = "enrichment"

    def ready(self) -> None:
        from inventory.catalog.sill_formats import CURRENT_FORMAT_EXTENSIONS
        from inventory.enrichment.sill import sill_current_fields

        if sill_current_fields not in CURRENT_FORMAT_EXTENSIONS:
            CURRENT_FORMAT_EXTENSIONS.append(sill_current_fields)
