"""The source clients (crawlers/sources/), built with the base URLs the settings give."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from crawlers.records import RequestStats
from crawlers.sources.cnll import CnllClient
from crawlers.sources.comptoir import ComptoirClient
from crawlers.sources.forge_releases import latest_release, repository_path
from crawlers.sources.hal import HalClient
from crawlers.sources.records import SourceRecord
from crawlers.sources.wikidata import WikidataClient
from inventory.enrichment.models import Source
from inventory.forges.models import Forge
from inventory.forges.services.crawl import forge_token

CLIENTS = {
    Source.WIKIDATA: WikidataClient,
    Source.COMPTOIR: ComptoirClient,
    Source.CNLL: CnllClient,
    Source.HAL: HalClient,
}


def source_client(source: str, *, cache=None) -> Any:
    """A client of crawlers.sources for ``source`` (not the forges: one call per repository).
    ENRICHMENT_<SOURCE>_URL points it elsewhere (the demo and tests: the fake sources)."""
    urls = settings.ENRICHMENT_SOURCE_URLS
    options: dict[str, Any] = {"cache": cache}
    if urls.get(source):
        options["base_url"] = urls[source]
    if source == Source.WIKIDATA and urls.get("commons"):
        options["commons_url"] = urls["commons"]
    return CLIENTS[source](**options)


class InventoryForges:
    """latest_release for one repository at a time, through the forges the inventory knows
    (their API URLs, self-hosted instances and the demo's fake forge included, their tokens)."""

    def __init__(self, *, cache=None) -> None:
        self.cache = cache
        self.forges = {forge.host: forge for forge in Forge.objects.all()}

    def latest(self, repository_url: str, *, stats: RequestStats) -> SourceRecord | None:
        host, _path = repository_path(repository_url)
        forge = self.forges.get(host)
        return latest_release(
            repository_url,
            cache=self.cache,
            forges={h: (f.kind, f.api_url) for h, f in self.forges.items()},
            token=forge_token(forge) if forge else None,
            stats=stats,
        )
