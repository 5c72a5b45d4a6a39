"""The demo's enrichment: the fake sources seeded with true public facts, and a run against them."""

from __future__ import annotations

from django.conf import settings

from crawlers.sources.fakes import FakeSources
from inventory.enrichment.models import Source

# The demo's fake forge holds the 2021 code.gouv.fr repositories, not the SILL's upstream
# projects (and no releases): asking it for releases would only collect 404s.
DEMO_SOURCES = [Source.WIKIDATA, Source.COMPTOIR, Source.CNLL, Source.HAL]


def demo_sources_start(*, port: int) -> FakeSources:
    """Start the fake sources (crawlers.sources.fakes.seed.demo_seed) and point the clients of
    this process at them, for the run and for the proposal form's search while serving."""
    sources = FakeSources.from_demo_seed(port=port).start()
    settings.ENRICHMENT_SOURCE_URLS = dict(sources.base_urls)
    return sources


def demo_enrich_arguments() -> list[str]:
    """``manage.py enrich`` arguments for the demo: its sources, no progress bar needed."""
    return [argument for source in DEMO_SOURCES for argument in ("--source", source)]
