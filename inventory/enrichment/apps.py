from django.apps import AppConfig


class EnrichmentConfig(AppConfig):
    name = "inventory.enrichment"
    label = "enrichment"

    def ready(self) -> None:
        from inventory.catalog.search.documents import SEARCH_TEXT_EXTENSIONS
        from inventory.catalog.sill_formats import CURRENT_FORMAT_EXTENSIONS
        from inventory.enrichment.selectors import search_texts
        from inventory.enrichment.sill import sill_current_fields

        for extensions, extension in (
            (CURRENT_FORMAT_EXTENSIONS, sill_current_fields),
            (SEARCH_TEXT_EXTENSIONS, search_texts),
        ):
            if extension not in extensions:
                extensions.append(extension)
