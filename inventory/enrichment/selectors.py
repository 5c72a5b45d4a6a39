"""Reads of the enrichment domain: an entry's facts merged with their provenance, providers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from inventory.catalog.models import Software, SoftwareStatus
from inventory.catalog.services.software import name_fold
from inventory.enrichment.models import (
    EnrichmentRecord,
    RecordStatus,
    SoftwareLogo,
    Source,
    SourceStatus,
)

CURATOR = "curator"
SOURCE_LABELS = {CURATOR: _("catalog"), **dict(Source.choices)}
# Which source speaks first for each fact when several do (the forge knows releases best).
PRECEDENCE = {
    "description": (Source.WIKIDATA, Source.COMPTOIR, Source.HAL),
    "latest_version": (Source.FORGE, Source.WIKIDATA),
    "developers": (Source.WIKIDATA,),
    "authors": (Source.HAL,),
    "website": (Source.WIKIDATA, Source.COMPTOIR, Source.HAL),
    "repository": (Source.WIKIDATA, Source.HAL, Source.COMPTOIR),
    "documentation": (Source.WIKIDATA,),
    "logo_url": (Source.WIKIDATA, Source.COMPTOIR),
    "licenses": (Source.WIKIDATA, Source.HAL, Source.COMPTOIR),
    "programming_languages": (Source.WIKIDATA,),
    "operating_systems": (Source.WIKIDATA,),
    "users": (Source.COMPTOIR,),
    "swh_id": (Source.HAL,),
}
# The catalog field a curator fills for a fact: theirs wins over any source's.
CURATED_FIELD = {
    "description": "description",
    "latest_version": "latest_version",
    "website": "homepage_url",
    "repository": "source_url",
    "documentation": "documentation_url",
    "logo_url": "logo_url",
    "licenses": "license",
}
SIREN = re.compile(r"\D")


@dataclass(frozen=True)
class Fact:
    """A value and where it comes from: ``source`` is "curator" or a Source value."""

    value: Any
    source: str
    url: str = ""
    license_problem: str = ""

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS.get(self.source, self.source))

    @property
    def from_source(self) -> bool:
        return self.source != CURATOR


@dataclass(frozen=True)
class ProviderEntry:
    name: str
    siren: str = ""
    website: str = ""
    # (source, page at the source) for each source that lists it.
    links: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> str:
        return self.siren or name_fold(self.name)

    @property
    def sources(self) -> list[dict[str, str]]:
        return [
            {"source": source, "label": str(SOURCE_LABELS[source]), "url": url}
            for source, url in self.links
        ]


@dataclass
class SoftwareEnrichment:
    facts: dict[str, Fact] = field(default_factory=dict)
    providers: list[ProviderEntry] = field(default_factory=list)
    similar: list[dict[str, str]] = field(default_factory=list)
    records: list[EnrichmentRecord] = field(default_factory=list)

    @property
    def updated_at(self) -> datetime | None:
        """When what the sources say last changed (for the API's Last-Modified)."""
        return max((record.updated_at for record in self.records), default=None)

    @property
    def from_sources(self) -> dict[str, Fact]:
        return {key: fact for key, fact in self.facts.items() if fact.from_source}


def shown_records() -> QuerySet[EnrichmentRecord]:
    """The records an entry shows: confirmed links whose source answered."""
    return EnrichmentRecord.objects.filter(confirmed=True, status=RecordStatus.FETCHED)


def _curated(software: Software, fact: str, *, language: str) -> Any:
    if fact == "description" and language == "en" and software.description_en:
        return software.description_en
    name = CURATED_FIELD.get(fact)
    value = getattr(software, name, "") if name else ""
    if fact == "latest_version" and value:
        published = software.latest_version_published_at
        return {"number": value, "published": published.date().isoformat() if published else None}
    return value


def _provider_key(name: str, siren: str) -> str:
    return SIREN.sub("", siren or "") or name_fold(name)


def providers_merge(records: Iterable[EnrichmentRecord]) -> list[ProviderEntry]:
    """Providers of Comptoir du Libre and the CNLL as one list, one entry per SIREN (or name)."""
    merged: dict[str, dict[str, Any]] = {}
    for record in records:
        if record.source not in (Source.COMPTOIR, Source.CNLL):
            continue
        for provider in record.fields.get("providers", []):
            name = (provider.get("name") or "").strip()
            if not name:
                continue
            siren = SIREN.sub("", provider.get("siren") or "")
            entry = merged.setdefault(
                _provider_key(name, siren),
                {"name": name, "siren": siren, "website": "", "links": {}},
            )
            entry["website"] = entry["website"] or provider.get("website") or ""
            entry["links"].setdefault(record.source, provider.get("url") or record.url or "")
    return sorted(
        (
            ProviderEntry(
                name=entry["name"],
                siren=entry["siren"],
                website=entry["website"],
                links=tuple(sorted(entry["links"].items())),
            )
            for entry in merged.values()
        ),
        key=lambda entry: name_fold(entry.name),
    )


def software_enrichment(
    *,
    software: Software,
    language: str = "fr",
    records: list[EnrichmentRecord] | None = None,
    with_similar: bool = True,
) -> SoftwareEnrichment:
    """Per fact, the value shown and its provenance: the curator's value when the entry has
    one, else the first source (PRECEDENCE) that gives it, else nothing. Source licenses are
    shown with their problem flagged, never applied to the entry."""
    if records is None:
        records = list(shown_records().filter(software=software).order_by("source", "external_id"))
    by_source: dict[str, list[EnrichmentRecord]] = {}
    for record in records:
        by_source.setdefault(record.source, []).append(record)
    result = SoftwareEnrichment(records=records)
    for fact, sources in PRECEDENCE.items():
        curated = _curated(software, fact, language=language)
        if curated:
            result.facts[fact] = Fact(curated, CURATOR)
            continue
        for source in sources:
            found = next(
                (record for record in by_source.get(source, ()) if record.fields.get(fact)), None
            )
            if found is not None:
                result.facts[fact] = Fact(
                    found.fields[fact],
                    source,
                    found.url,
                    license_problem=found.license_problem if fact == "licenses" else "",
                )
                break
    result.providers = providers_merge(records)
    if with_similar:
        result.similar = similar_software(software=software, records=records)
    return result


def similar_software(
    *, software: Software, records: list[EnrichmentRecord]
) -> list[dict[str, str]]:
    """What the sources name as similar and the catalog does not list yet: each with the
    source and id a proposal form can be pre-filled from."""
    if not any(record.fields.get("similar") for record in records):
        return []
    known = {name_fold(name) for name in Software.objects.values_list("name", flat=True)}
    known_ids = set(
        EnrichmentRecord.objects.filter(confirmed=True).values_list("source", "external_id")
    )
    shown: dict[str, dict[str, str]] = {}
    for record in records:
        for item in record.fields.get("similar", []):
            text = str(item).strip()
            if not text or name_fold(text) in known or (record.source, text) in known_ids:
                continue
            is_id = record.source == Source.WIKIDATA and re.fullmatch(r"Q\d+", text)
            shown.setdefault(
                name_fold(text),
                {"label": text, "source": record.source, "id": text if is_id else ""},
            )
    return sorted(shown.values(), key=lambda item: name_fold(item["label"]))


def providers_list() -> list[dict[str, Any]]:
    """Every provider the sources list, with the catalog entries it supports (by name)."""
    entries = Software.objects.exclude(status=SoftwareStatus.PROPOSED).prefetch_related(
        Prefetch(
            "enrichment_records",
            queryset=shown_records().filter(source__in=[Source.COMPTOIR, Source.CNLL]),
            to_attr="provider_records",
        )
    )
    providers: dict[str, dict[str, Any]] = {}
    for software in entries.only("pk", "name", "slug"):
        for provider in providers_merge(software.provider_records):
            entry = providers.setdefault(
                provider.key, {"provider": provider, "links": {}, "software": []}
            )
            entry["links"].update(dict(provider.links))
            entry["software"].append(software)
    listed = []
    for entry in providers.values():
        provider = entry["provider"]
        listed.append(
            {
                "provider": ProviderEntry(
                    name=provider.name,
                    siren=provider.siren,
                    website=provider.website,
                    links=tuple(sorted(entry["links"].items())),
                ),
                "software": entry["software"],
            }
        )
    return sorted(listed, key=lambda item: name_fold(item["provider"].name))


def source_statuses() -> list[SourceStatus]:
    """Every source's status, the ones never refreshed included (unsaved)."""
    stored = {status.source: status for status in SourceStatus.objects.all()}
    return [stored.get(source) or SourceStatus(source=source) for source in Source.values]


def logo_ids() -> frozenset[int]:
    """The ids of the entries with a stored logo (one small query for a page of cards)."""
    return frozenset(SoftwareLogo.objects.values_list("software_id", flat=True))


def logo_get(*, software_id: int) -> SoftwareLogo | None:
    return SoftwareLogo.objects.filter(software_id=software_id).first()


def enriched_count() -> int:
    """How many entries show something a source says."""
    return shown_records().values("software_id").distinct().count()


def search_texts(software_ids: set[int] | None) -> dict[int, list[str]]:
    """What the sources add to the catalog search: labels, aliases and descriptions of the
    records an entry shows (catalog.search.documents.SEARCH_TEXT_EXTENSIONS)."""
    records = shown_records().filter(source__in=[Source.WIKIDATA, Source.COMPTOIR, Source.HAL])
    if software_ids is not None:
        records = records.filter(software_id__in=software_ids)
    texts: dict[int, list[str]] = {}
    for pk, fields in records.values_list("software_id", "fields"):
        fields = fields or {}
        added = [fields.get("label", ""), fields.get("description", ""), *fields.get("aliases", [])]
        texts.setdefault(pk, []).extend(text for text in added if text)
    return texts
