"""The enrichment in today's public SILL format: softwareExternalData, latestVersion,
serviceProviders, comptoirDuLibreSoftware, annuaireCnllServiceProviders (the source named)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from inventory.catalog.models import Software
from inventory.enrichment.models import Source
from inventory.enrichment.selectors import shown_records, software_enrichment


def _epoch_ms(day: str | None) -> int | None:
    if not day:
        return None
    try:
        moment = datetime.fromisoformat(day)
    except ValueError:
        return None
    return int(moment.replace(tzinfo=moment.tzinfo or UTC).timestamp() * 1000)


def _external_data(record) -> dict[str, Any]:
    fields = record.fields
    version = fields.get("latest_version") or {}
    return {
        "externalId": record.external_id,
        "externalDataOrigin": record.source,
        "url": record.url or None,
        "label": fields.get("label", ""),
        "description": fields.get("description", ""),
        "developers": [{"name": name} for name in fields.get("developers", [])]
        + [
            {"name": author["name"], "affiliation": author.get("affiliation", "")}
            for author in fields.get("authors", [])
        ],
        "logoUrl": fields.get("logo_url") or None,
        "websiteUrl": fields.get("website") or None,
        "sourceUrl": fields.get("repository") or None,
        "documentationUrl": fields.get("documentation") or None,
        "license": " AND ".join(fields.get("licenses", [])),
        "softwareVersion": version.get("number"),
        "publicationTime": _epoch_ms(version.get("published")),
    }


def sill_current_fields(entries: list[Software]) -> dict[int, dict[str, Any]]:
    """The keys the enrichment adds to each exported entry (one query for all entries)."""
    by_software: dict[int, list] = {software.pk: [] for software in entries}
    for record in (
        shown_records()
        .filter(software_id__in=list(by_software))
        .order_by("software_id", "source", "external_id")
    ):
        by_software[record.software_id].append(record)
    added: dict[int, dict[str, Any]] = {}
    for software in entries:
        records = by_software[software.pk]
        if not records:
            continue
        enrichment = software_enrichment(software=software, records=records, with_similar=False)
        by_source = {record.source: record for record in records}
        external = by_source.get(Source.WIKIDATA) or by_source.get(Source.HAL)
        comptoir = by_source.get(Source.COMPTOIR)
        cnll = by_source.get(Source.CNLL)
        fields: dict[str, Any] = {
            "softwareExternalData": _external_data(external) if external else None,
            "serviceProviders": [
                {
                    "name": provider.name,
                    "siren": provider.siren or None,
                    "website": provider.website or None,
                    "cdlUrl": dict(provider.links).get(Source.COMPTOIR) or None,
                    "cnllUrl": dict(provider.links).get(Source.CNLL) or None,
                }
                for provider in enrichment.providers
            ],
            "comptoirDuLibreSoftware": (
                {
                    "id": int(comptoir.external_id) if comptoir.external_id.isdigit() else None,
                    "name": comptoir.fields.get("label", ""),
                    "url": comptoir.url or None,
                    "licence": " AND ".join(comptoir.fields.get("licenses", [])),
                    "providers": comptoir.fields.get("providers", []),
                    "users": comptoir.fields.get("users", []),
                }
                if comptoir
                else None
            ),
            "annuaireCnllServiceProviders": (
                [
                    {"name": p["name"], "siren": p.get("siren", ""), "url": p.get("url", "")}
                    for p in cnll.fields.get("providers", [])
                ]
                if cnll
                else None
            ),
        }
        version = enrichment.facts.get("latest_version")
        if version is not None and version.from_source:
            fields["latestVersion"] = {
                "semVer": version.value.get("number"),
                "publicationTime": _epoch_ms(version.value.get("published")),
                "source": version.source,
            }
        added[software.pk] = fields
    return added
