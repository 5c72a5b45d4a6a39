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
