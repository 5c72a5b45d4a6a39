from django.apps import AppConfig


class EnrichmentConfig(AppConfig):
    name = "inventory.enrichment"
    label = "enrichment"
