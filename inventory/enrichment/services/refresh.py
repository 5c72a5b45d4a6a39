"""Refresh what one source says about the linked entries, all or nothing, and record how it went."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from crawlers.records import RequestStats
from crawlers.sources.base import SourceError
from crawlers.sources.forge_releases import GONE
from crawlers.sources.records import Fetched, SourceRecord
from inventory.catalog.services.search_documents import software_search_documents_refresh
from inventory.core.content import content_changed
from inventory.enrichment.clients import InventoryForges, source_client
from inventory.enrichment.httpcache import SourceHttpCache
from inventory.enrichment.models import (
    EnrichmentRecord,
    RecordStatus,
    Source,
    SourceStatus,
)
from inventory.enrichment.services.fields import record_apply

Progress = Callable[[int, int], None]


@dataclass
class RefreshResult:
    source: str
    ok: bool
    records: int = 0
    updated: int = 0
    missing: int = 0
    requests: int = 0
    not_modified: bool = False
    error: str = ""


def _error_text(error: SourceError) -> str:
    message = error.message or error.__class__.__name__
    if error.status == 429:
        return _("Throttled by the source (HTTP 429): %(message)s") % {"message": message}
    if error.status and error.status >= 400:
        return _("HTTP %(status)s: %(message)s") % {"status": error.status, "message": message}
    return message


def _status_failed(source: str, error: SourceError, *, requests: int) -> str:
    text = _error_text(error)
    now = timezone.now()
    SourceStatus.objects.get_or_create(source=source)
    SourceStatus.objects.filter(source=source).update(
        last_attempt_at=now,
        last_error_at=now,
        last_error=text,
        last_error_status=error.status,
        runs=F("runs") + 1,
        failures=F("failures") + 1,
        last_requests=requests,
    )
    return text


def _forge_fetch(
    ids: list[str], *, cache, progress: Progress | None
) -> tuple[Fetched, dict[str, str]]:
    """The forge "source": one conditional request per linked repository. Each repository
    answers for itself (a self-hosted instance down does not hold the others back): its error
    is kept on its record, a gone one (404, 410) is unknown to the source; only when every
    repository fails does the source fail."""
    forges = InventoryForges(cache=cache)
    stats = RequestStats()
    records: list[SourceRecord] = []
    errors: dict[str, str] = {}
    first_error: SourceError | None = None
    for done, repository_url in enumerate(ids, start=1):
        try:
            record = forges.latest(repository_url, stats=stats)
        except SourceError as error:
            if error.status not in GONE:
                errors[repository_url] = _error_text(error)
                first_error = first_error or error
            record = None
        if record is not None:
            records.append(dataclasses.replace(record, external_id=repository_url))
        if progress:
            progress(done, len(ids))
    if first_error is not None and len(errors) == len(ids):
        raise SourceError(
            first_error.source, first_error.message, status=first_error.status,
            requests=stats.requests,
        )  # fmt: skip
    fetched = Fetched(
        records=tuple(records),
        not_modified=stats.requests > 0 and stats.not_modified == stats.requests,
        requests=stats.requests,
    )
    return fetched, errors


def source_refresh(
    *,
    source: str,
    software_ids: list[int] | None = None,
    progress: Progress | None = None,
) -> RefreshResult:
    """Fetch the source's answer for every linked entry (confirmed or proposed), then store it
    in one transaction. A source that fails, throttles or answers garbage changes nothing
    stored: only its status says why."""
    records = EnrichmentRecord.objects.filter(source=source).exclude(status=RecordStatus.REJECTED)
    if software_ids is not None:
        records = records.filter(software_id__in=software_ids)
    records = list(records.select_related("software"))
    ids = sorted({record.external_id for record in records})
    result = RefreshResult(source=source, ok=False, records=len(records))
    cache = SourceHttpCache(source)
    errors: dict[str, str] = {}
    try:
        if source == Source.FORGE:
            fetched, errors = _forge_fetch(ids, cache=cache, progress=progress)
        elif ids:
            fetched = source_client(source, cache=cache).fetch(ids)
        else:
            fetched = Fetched(records=())
    except SourceError as error:
        result.requests = error.requests
        result.error = _status_failed(source, error, requests=error.requests)
        return result
    if progress and source != Source.FORGE:
        progress(len(ids), len(ids))
    now = timezone.now()
    by_id = {record.external_id: record for record in fetched.records}
    with transaction.atomic():
        changed = []
        for enrichment in records:
            found = by_id.get(enrichment.external_id)
            if enrichment.external_id in errors:
                if enrichment.error != errors[enrichment.external_id]:
                    enrichment.error = errors[enrichment.external_id]
                    changed.append(enrichment)
            elif found is None:
                if enrichment.status != RecordStatus.MISSING:
                    enrichment.status = RecordStatus.MISSING
                    enrichment.fetched_at = now
                    changed.append(enrichment)
                result.missing += 1
            elif record_apply(enrichment, found, fetched_at=now, catalog=enrichment.software):
                changed.append(enrichment)
        for enrichment in changed:
            enrichment.updated_at = now
        EnrichmentRecord.objects.bulk_update(
            changed,
            [
                "fields",
                "raw",
                "url",
                "license_problem",
                "status",
                "error",
                "fetched_at",
                "updated_at",
            ],
            batch_size=200,
        )
        cache.save()
        result.updated = len(changed)
        result.requests = fetched.requests
        result.not_modified = fetched.not_modified
        result.ok = True
        status, _created = SourceStatus.objects.get_or_create(source=source)
        status.last_attempt_at = now
        status.last_success_at = now
        status.runs += 1
        status.last_requests = fetched.requests
        status.last_updated = len(changed)
        status.last_not_modified = fetched.not_modified
        status.save()
        if changed:
            software_search_documents_refresh(
                software_ids={enrichment.software_id for enrichment in changed}
            )
            content_changed()
    return result
