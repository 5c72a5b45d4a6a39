"""The source clients (crawlers/sources/), built with the base URLs the settings give."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from inventory.enrichment.models import Source


def source_base_url(source: str) -> str | None:
    """The base URL configured for a source (ENRICHMENT_<SOURCE>_URL), None for its default."""
    return settings.ENRICHMENT_SOURCE_URLS.get(source) or None


def source_client(source: str, *, cache=None) -> Any:
    """A client of crawlers.sources for ``source`` (not the forges: one call per repository)."""
    if source == Source.WIKIDATA:
        from crawlers.sources.wikidata import WikidataClient as client_class
    elif source == Source.COMPTOIR:
        from crawlers.sources.comptoir import ComptoirClient as client_class
    elif source == Source.CNLL:
        from crawlers.sources.cnll import CnllClient as client_class
    elif source == Source.HAL:
        from crawlers.sources.hal import HalClient as client_class
    else:
        raise ValueError(f"no client for the source {source!r}")
    base_url = source_base_url(source)
    if base_url:
        return client_class(base_url=base_url, cache=cache)
    return client_class(cache=cache)
