"""Keeping the catalog's search documents in step with the entries they describe."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict

from django.db.models import Q

from inventory.catalog.models import Software, SoftwareSearchDocument
from inventory.catalog.search.documents import (
    extension_texts,
    search_document_build,
    software_search_texts,
)

BATCH_SIZE = 500
DOCUMENT_FIELDS = ("name", "tokens_a", "tokens_b", "tokens_c", "tokens_d", "source_updated_at")


def software_search_documents_refresh(*, software_ids: Iterable[int] | None = None) -> int:
    """Rebuild the search documents of these entries and of their children (whose documents
    hold the parent's name), or of every entry when ``software_ids`` is None. Returns how
    many were written. Called by every write that changes an entry's texts, its categories
    or its parent."""
    entries = Software.objects.all()
    if software_ids is not None:
        ids = set(software_ids)
        if not ids:
            return 0
        entries = entries.filter(Q(pk__in=ids) | Q(parent_id__in=ids))
    entries = entries.select_related("parent").prefetch_related("categories").order_by("pk")
    # The children rebuilt with their parent keep their own added texts.
    added = extension_texts(
        None if software_ids is None else set(entries.values_list("pk", flat=True))
    )
    written = 0
    batch: list[SoftwareSearchDocument] = []
    for software in entries.iterator(chunk_size=BATCH_SIZE):
        document = search_document_build(
            software_search_texts(software, enrichment=added.get(software.pk, ()))
        )
        batch.append(
            SoftwareSearchDocument(
                software_id=software.pk, source_updated_at=software.updated_at, **asdict(document)
            )
        )
        if len(batch) >= BATCH_SIZE:
            written += _write(batch)
            batch = []
    return written + _write(batch)


def _write(batch: list[SoftwareSearchDocument]) -> int:
    if batch:
        SoftwareSearchDocument.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["software"],
            update_fields=[*DOCUMENT_FIELDS, "updated_at"],
        )
    return len(batch)
