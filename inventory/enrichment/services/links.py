"""Which source entity each catalog entry is: ids the catalog carries, name matches, curators'
confirmations."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crawlers.sources.records import SourceRecord
from inventory.catalog.models import Software
from inventory.catalog.services._base import require_curator
from inventory.catalog.services.search_documents import software_search_documents_refresh
from inventory.catalog.services.software import name_fold, url_normalise
from inventory.core.content import content_changed
from inventory.core.exceptions import ApplicationError
from inventory.enrichment.models import EnrichmentRecord, Match, RecordStatus, Source
from inventory.enrichment.services.fields import record_apply


def _web_url(url: str) -> str:
    return url if urlsplit(url or "").scheme in ("http", "https") else ""


def catalog_identifiers() -> dict[tuple[int, str], set[str]]:
    """(software id, source) → the ids the catalog itself carries for that source."""
    wanted: dict[tuple[int, str], set[str]] = {}
    rows = Software.objects.values_list(
        "pk", "external_id", "external_data_origin", "comptoir_du_libre_id", "sill_id", "source_url"
    )
    for pk, external_id, origin, comptoir, sill_id, source_url in rows.iterator(chunk_size=500):
        external_id = (external_id or "").strip()
        if external_id and origin == "wikidata":
            wanted.setdefault((pk, Source.WIKIDATA), set()).add(external_id.upper())
        if external_id and origin == "HAL":
            wanted.setdefault((pk, Source.HAL), set()).add(external_id)
        if comptoir is not None:
            wanted.setdefault((pk, Source.COMPTOIR), set()).add(str(comptoir))
        # The CNLL directory lists providers by SILL id.
        if sill_id is not None:
            wanted.setdefault((pk, Source.CNLL), set()).add(str(sill_id))
        if _web_url(source_url):
            wanted.setdefault((pk, Source.FORGE), set()).add(source_url.strip())
    return wanted


@dataclass
class LinkReport:
    created: int = 0
    removed: int = 0


@transaction.atomic
def links_from_catalog(*, software_ids: list[int] | None = None) -> LinkReport:
    """Link each entry to the source entities its own ids name (sill-2020.csv's Wikidata ids,
    sill.json's Comptoir ids, SILL ids for the CNLL, source repositories for the forges), and
    drop the links whose id the catalog no longer carries."""
    wanted = catalog_identifiers()
    if software_ids is not None:
        wanted = {key: ids for key, ids in wanted.items() if key[0] in software_ids}
    existing = EnrichmentRecord.objects.filter(match=Match.IDENTIFIER)
    if software_ids is not None:
        existing = existing.filter(software_id__in=software_ids)
    report = LinkReport()
    stale = [
        record.pk
        for record in existing.only("pk", "software_id", "source", "external_id")
        if record.external_id not in wanted.get((record.software_id, record.source), ())
    ]
    if stale:
        report.removed, _ = EnrichmentRecord.objects.filter(pk__in=stale).delete()
    have = set(
        EnrichmentRecord.objects.values_list("software_id", "source", "external_id").iterator()
    )
    new = [
        EnrichmentRecord(
            software_id=pk,
            source=source,
            external_id=external_id,
            match=Match.IDENTIFIER,
            confirmed=True,
        )
        for (pk, source), ids in wanted.items()
        for external_id in sorted(ids)
        if (pk, source, external_id) not in have
    ]
    EnrichmentRecord.objects.bulk_create(new, batch_size=500)
    report.created = len(new)
    return report


def _host(url: str) -> str:
    return url_normalise(url).split("/", 1)[0]


@dataclass
class MatchReport:
    searched: int = 0
    certain: int = 0
    uncertain: int = 0


def wikidata_match_by_name(*, client, software_ids: list[int] | None = None) -> MatchReport:
    """Search Wikidata for the entries it is not linked to yet, by name. A hit whose label is
    the entry's name and whose website is the entry's is linked; one whose label only is the
    same is proposed to curators (unconfirmed). Raises SourceError when Wikidata fails."""
    linked = EnrichmentRecord.objects.filter(source=Source.WIKIDATA).values("software_id")
    entries = Software.objects.exclude(pk__in=linked).only("pk", "name", "homepage_url")
    if software_ids is not None:
        entries = entries.filter(pk__in=software_ids)
    report = MatchReport()
    found: list[tuple[Software, SourceRecord]] = []
    for software in entries.iterator(chunk_size=200):
        report.searched += 1
        folded = name_fold(software.name)
        hits = [c for c in client.search(software.name, limit=5) if name_fold(c.label) == folded]
        if not hits:
            continue
        fetched = client.fetch([hit.external_id for hit in hits])
        found.extend((software, record) for record in fetched.records)
    now = timezone.now()
    with transaction.atomic():
        chosen: dict[int, tuple[Software, SourceRecord, bool]] = {}
        for software, record in found:
            certain = bool(
                software.homepage_url
                and record.website
                and _host(record.website) == _host(software.homepage_url)
            )
            if software.pk not in chosen or (certain and not chosen[software.pk][2]):
                chosen[software.pk] = (software, record, certain)
        for software, record, certain in chosen.values():
            enrichment = EnrichmentRecord(
                software=software,
                source=Source.WIKIDATA,
                external_id=record.external_id,
                match=Match.CERTAIN if certain else Match.UNCERTAIN,
                confirmed=certain,
            )
            record_apply(enrichment, record, fetched_at=now, catalog=software)
            enrichment.save()
            if certain:
                report.certain += 1
                _wikidata_id_fill(software, record.external_id)
            else:
                report.uncertain += 1
        if chosen:
            software_search_documents_refresh(software_ids=set(chosen))
            content_changed()
    return report


def _wikidata_id_fill(software: Software, external_id: str) -> None:
    """A confirmed Wikidata link fills the entry's empty external id (never replaces one)."""
    software = Software.objects.get(pk=software.pk)
    if software.external_id:
        return
    software.external_id = external_id
    software.external_data_origin = "wikidata"
    software.save(update_fields=["external_id", "external_data_origin", "updated_at"])


@transaction.atomic
def enrichment_match_confirm(*, actor, record_id: int) -> EnrichmentRecord:
    """A curator confirms an uncertain name match: the entry shows what the source says."""
    require_curator(actor)
    record = (
        EnrichmentRecord.objects.select_for_update().select_related("software").get(pk=record_id)
    )
    if record.status == RecordStatus.REJECTED:
        raise ApplicationError(_("This match was rejected; link the entry again instead."))
    record.confirmed = True
    record.save(update_fields=["confirmed", "updated_at"])
    if record.source == Source.WIKIDATA:
        _wikidata_id_fill(record.software, record.external_id)
    software_search_documents_refresh(software_ids={record.software_id})
    content_changed()
    return record


@transaction.atomic
def enrichment_match_reject(*, actor, record_id: int) -> EnrichmentRecord:
    """A curator rejects a name match: it is kept (so it is not proposed again), never shown."""
    require_curator(actor)
    record = EnrichmentRecord.objects.select_for_update().get(pk=record_id)
    if record.match == Match.IDENTIFIER:
        raise ApplicationError(
            _("This link comes from the entry's own id: change the id on the entry instead.")
        )
    record.confirmed = False
    record.status = RecordStatus.REJECTED
    record.save(update_fields=["confirmed", "status", "updated_at"])
    content_changed()
    return record
