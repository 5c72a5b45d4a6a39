"""Enrichment fixtures: records stored as a refresh stores them, from real SourceRecords."""

from __future__ import annotations

import pytest
from django.utils import timezone

from crawlers.sources.records import SourceRecord
from inventory.catalog.models import Software
from inventory.enrichment.models import EnrichmentRecord, Match
from inventory.enrichment.services.fields import record_apply


def record_store(
    software: Software,
    record: SourceRecord,
    *,
    match: str = Match.IDENTIFIER,
    confirmed: bool = True,
) -> EnrichmentRecord:
    """A source's record for an entry, stored the way a refresh stores it."""
    enrichment = EnrichmentRecord(
        software=software,
        source=record.source,
        external_id=record.external_id,
        match=match,
        confirmed=confirmed,
    )
    record_apply(enrichment, record, fetched_at=timezone.now(), catalog=software)
    enrichment.save()
    return enrichment


@pytest.fixture
def store():
    return record_store


GIMP_REPOSITORY = "https://github.com/GNOME/gimp"


def forge_seed() -> dict:
    from tests.crawlers.conftest import repository

    return {
        "forges": {
            "github.com": {"kind": "github", "accounts": [{"login": "GNOME", "kind": "org"}]}
        },
        "repositories": [
            repository(
                "github.com",
                1,
                "GNOME",
                "gimp",
                releases=[
                    {
                        "tag_name": "GIMP_3_0_4",
                        "name": "GIMP 3.0.4",
                        "published_at": "2025-06-21T10:00:00Z",
                        "prerelease": False,
                        "draft": False,
                    }
                ],
            )
        ],
    }


@pytest.fixture
def fake_sources(settings, db):
    """The fake sources (tests/crawlers/sources' seed) and a fake forge, the settings pointing
    the clients at them, and the forge known to the inventory."""
    from crawlers.sources.fakes import FakeSources
    from inventory.forges.models import Forge
    from tests.crawlers.sources.conftest import sources_seed

    with FakeSources(sources_seed(), forge_seed=forge_seed()) as fake:
        settings.ENRICHMENT_SOURCE_URLS = dict(fake.base_urls)
        for host, (kind, api_url) in fake.forges.items():
            Forge.objects.update_or_create(host=host, defaults={"kind": kind, "api_url": api_url})
        yield fake
