"""The SILL's published formats: reading their fields, and writing the catalog back in them.

2022 (``sill.json``, short keys) round-trips: every key is rendered from the model, and where
the entry is unchanged since its import the exact source text is given back (null vs "" vs an
absent key, spacing, list separators), so an import followed by an export is the same file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import F

from inventory.catalog.licenses import license_normalise
from inventory.catalog.models import Software, SoftwareStatus
from inventory.catalog.services.software import name_fold

FORMAT_2022 = "sill-2022"
FORMAT_2020 = "sill-2020"
FORMAT_CURRENT = "sill-current"

STATUS_FROM_2022 = {
    "R": SoftwareStatus.RECOMMENDED,
    "O": SoftwareStatus.OBSERVATION,
    "FR": SoftwareStatus.DEREFERENCED,
}
STATUS_TO_2022 = {value: key for key, value in STATUS_FROM_2022.items()}
YES = "Oui"
SIMILAR_SEPARATORS = re.compile(r"\s*[;,]\s*")


def years_parse(text: str) -> list[int]:
    """ "2018 ; 2019 ; 2020 ;" → [2018, 2019, 2020]; raises ValueError on anything else."""
    parts = [part.strip() for part in (text or "").split(";") if part.strip()]
    years = [int(part) for part in parts if part.isdigit() and len(part) == 4]
    if len(years) != len(parts):
        raise ValueError(f"“{text}” is not a list of years separated by “;”.")
    return sorted(set(years))


def years_render(years: list[int]) -> str:
    return " ; ".join(str(year) for year in sorted(years))


def similar_tokens(text: str) -> list[str]:
    return [token for token in SIMILAR_SEPARATORS.split((text or "").strip()) if token]


class Resolver:
    """Finds entries by SILL id or by name, to turn the SILL's textual links into real ones."""

    def __init__(self) -> None:
        self.by_sill_id: dict[int, int] = {}
        self.by_name: dict[str, list[int]] = {}
        self.roots: set[int] = set()
        rows = Software.objects.values_list("pk", "sill_id", "name", "parent_id", "parent_raw")
        for pk, sill_id, name, parent_id, parent_raw in rows:
            if sill_id is not None:
                self.by_sill_id[sill_id] = pk
            self.by_name.setdefault(name_fold(name), []).append(pk)
            if parent_id is None and not parent_raw:
                self.roots.add(pk)

    def by_unique_name(self, name: str) -> int | None:
        matches = self.by_name.get(name_fold(name), [])
        return matches[0] if len(matches) == 1 else None

    def parent_pk(self, name: str, *, child: int, current: int | None) -> int | None:
        """The entry a parent name points to: the current parent when it still bears the name,
        else the only entry of that name, else the only one of them that has no parent itself
        (a host software, not another plug-in of the same name)."""
        matches = [pk for pk in self.by_name.get(name_fold(name), []) if pk != child]
        if current in matches:
            return current
        if len(matches) == 1:
            return matches[0]
        roots = [pk for pk in matches if pk in self.roots]
        return roots[0] if len(roots) == 1 else None

    def similar_pks(self, text: str) -> set[int]:
        """Entries named by a "similar to" text: SILL ids, or names matching exactly one entry."""
        found = set()
        for token in similar_tokens(text):
            pk = self.by_sill_id.get(int(token)) if token.isdigit() else self.by_unique_name(token)
            if pk is not None:
                found.add(pk)
        return found


def parent_render(software: Software) -> str:
    raw, parent = software.parent_raw, software.parent
    if raw and (parent is None or name_fold(parent.name) == name_fold(raw)):
        return raw
    return parent.name if parent else ""


def similar_render(software: Software, resolver: Resolver) -> str:
    linked = list(software.similar.all())
    if resolver.similar_pks(software.similar_raw) == {other.pk for other in linked}:
        return software.similar_raw
    return " ; ".join(
        str(other.sill_id) if other.sill_id is not None else other.name
        for other in sorted(linked, key=lambda other: (other.sill_id or 0, other.name))
    )


def license_render(software: Software) -> str:
    if (
        software.license_raw
        and license_normalise(software.license_raw).expression == software.license
    ):
        return software.license_raw
    return software.license


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class Column:
    """One key of the 2022 format: ``render`` gives it from an entry; ``canon`` gives what
    ``render`` returns right after importing the raw value ``canon`` is given."""

    key: str
    render: Callable[[Software, Resolver], Any]
    canon: Callable[[Any], Any] = _text


def _field(name: str) -> Callable[[Software, Resolver], Any]:
    return lambda software, resolver: getattr(software, name)


def _years_canon(value: Any) -> str:
    try:
        return years_render(years_parse(_text(value)))
    except ValueError:
        return ""


def _frama_canon(value: Any) -> dict:
    value = value if isinstance(value, dict) else {}
    return {"encoded-name": _text(value.get("encoded-name")), "name": value.get("name") or None}


# Every key but "id", which the export assigns.
COLUMNS_2022 = (
    Column("i", _field("name")),
    Column("f", _field("function")),
    Column("fr-desc", _field("description")),
    Column("en-desc", _field("description_en")),
    Column("l", lambda s, r: license_render(s)),
    Column("st", lambda s, r: STATUS_TO_2022.get(s.status, "O")),
    Column("y", lambda s, r: years_render(s.catalog_years), _years_canon),
    Column("g", _field("workgroup")),
    Column("se", _field("sector")),
    Column("c", _field("component")),
    Column(
        "co",
        lambda s, r: "" if s.comptoir_du_libre_id is None else str(s.comptoir_du_libre_id),
        lambda v: str(int(v)) if isinstance(v, str) and v.strip().isdigit() else "",
    ),
    Column("u", _field("use_context")),
    Column("p", lambda s, r: parent_render(s)),
    Column("a", _field("audience")),
    Column(
        "su",
        lambda s, r: YES if s.is_in_support_contract else "",
        lambda v: YES if _text(v).strip().lower() == "oui" else "",
    ),
    Column("si", similar_render),
    Column("la", _field("label")),
    Column("v-", _field("version_min")),
    Column("v+", _field("version_max")),
    Column("logo", _field("logo_url")),
    Column("website", _field("homepage_url")),
    Column("sources", _field("source_url")),
    Column("doc", _field("documentation_url")),
    Column(
        "frama",
        lambda s, r: {"encoded-name": s.framalibre_id, "name": s.framalibre_name or None},
        _frama_canon,
    ),
)


def record_2022(software: Software, resolver: Resolver, *, sill_id: int) -> dict[str, Any]:
    """One entry in the 2022 format: the imported text where unchanged, the model's otherwise."""
    raw = software.source_records.get(FORMAT_2022) or {}
    record: dict[str, Any] = {"id": str(sill_id)}
    for column in COLUMNS_2022:
        value = column.render(software, resolver)
        if raw and column.canon(raw.get(column.key)) == column.canon(value):
            if column.key in raw:
                record[column.key] = raw[column.key]
        else:
            record[column.key] = value
    return record


def _published():
    return Software.objects.exclude(status=SoftwareStatus.PROPOSED)


def sill_export_2022() -> list[dict[str, Any]]:
    """The catalog as the 2022 ``sill.json``: imported entries keep their SILL id, entries
    created here get the next free ids (in creation order)."""
    resolver = Resolver()
    entries = (
        _published()
        .select_related("parent")
        .prefetch_related("similar")
        .order_by(F("sill_id").asc(nulls_last=True), "pk")
    )
    next_id = max(resolver.by_sill_id, default=0) + 1
    records = []
    for software in entries:
        if software.sill_id is None:
            sill_id, next_id = next_id, next_id + 1
        else:
            sill_id = software.sill_id
        records.append(record_2022(software, resolver, sill_id=sill_id))
    return records


def _epoch_ms(moment: datetime | None) -> int | None:
    return int(moment.timestamp() * 1000) if moment else None


def _referenced_since(software: Software) -> datetime:
    """When it entered the catalog; for entries imported with years only, the first year."""
    if software.referenced_since:
        return software.referenced_since
    if software.catalog_years:
        return datetime(min(software.catalog_years), 1, 1, tzinfo=UTC)
    return software.created_at


def _software_type(software: Software) -> dict[str, Any]:
    if software.is_desktop or not (software.is_cloud or software.is_stack):
        return {
            "type": "desktop/mobile",
            "os": {
                "windows": software.os_windows,
                "linux": software.os_linux,
                "mac": software.os_mac,
                "android": software.os_android,
                "ios": software.os_ios,
            },
        }
    return {"type": "cloud" if software.is_cloud else "stack"}


def _counts_by_organisation(software: Software) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for declarations, key in (
        (software.users.all(), "userCount"),
        (software.referents.all(), "referentCount"),
    ):
        for declaration in declarations:
            entry = counts.setdefault(
                declaration.organisation.name, {"userCount": 0, "referentCount": 0}
            )
            entry[key] += 1
    return counts


def record_current(software: Software) -> dict[str, Any]:
    """One entry in today's public format. Agents appear only as counts per organisation."""
    dereferenced = software.status == SoftwareStatus.DEREFERENCED
    return {
        "id": software.sill_id if software.sill_id is not None else software.pk,
        "name": software.name,
        "description": software.function,
        "referencedSinceTime": _epoch_ms(_referenced_since(software)),
        "updateTime": _epoch_ms(software.updated_at),
        "dereferencing": (
            {
                "reason": software.dereferencing_reason,
                "time": _epoch_ms(software.dereferenced_at),
                "lastRecommendedVersion": software.last_recommended_version,
            }
            if dereferenced
            else None
        ),
        "isStillInObservation": software.status == SoftwareStatus.OBSERVATION,
        "doRespectRgaa": software.respects_rgaa,
        # The format's booleans: unknown is written as false, as the SILL itself does.
        "isFromFrenchPublicService": bool(software.is_from_french_public_service),
        "isPresentInSupportContract": bool(software.is_in_support_contract),
        "license": software.license or software.license_raw,
        "softwareType": _software_type(software),
        "versionMin": software.version_min,
        "workshopUrls": list(software.workshop_urls),
        "categories": [category.name for category in software.categories.all()],
        "generalInfoMd": software.long_description,
        "logoUrl": software.logo_url or None,
        "keywords": list(software.keywords),
        "externalId": software.external_id or None,
        "externalDataOrigin": software.external_data_origin or None,
        "similarSoftwares": [other.name for other in software.similar.all()],
        "latestVersion": (
            {
                "semVer": software.latest_version,
                "publicationTime": _epoch_ms(software.latest_version_published_at),
            }
            if software.latest_version
            else None
        ),
        "hasExpertReferent": any(r.is_technical_expert for r in software.referents.all()),
        "userAndReferentCountByOrganization": _counts_by_organisation(software),
        "instances": [
            {
                "id": instance.pk,
                "organization": instance.organisation.name,
                "targetAudience": instance.target_audience,
                "publicUrl": instance.public_url or None,
            }
            for instance in software.instances.all()
        ],
    }


# Functions adding keys to each entry of today's format from other domains (the enrichment adds
# softwareExternalData, serviceProviders...): called with the exported entries, they return
# {software id: {key: value}}. Registered by those apps' ready(), so this module imports none.
CURRENT_FORMAT_EXTENSIONS: list[Callable[[list[Software]], dict[int, dict[str, Any]]]] = []


def sill_export_current() -> list[dict[str, Any]]:
    """The catalog in today's public SILL format (no agent names or e-mails)."""
    entries = (
        _published()
        .prefetch_related(
            "categories",
            "similar",
            "referents__organisation",
            "users__organisation",
            "instances__organisation",
        )
        .order_by(F("sill_id").asc(nulls_last=True), "pk")
    )
    entries = list(entries)
    records = [record_current(software) for software in entries]
    for extension in CURRENT_FORMAT_EXTENSIONS:
        added = extension(entries)
        for software, record in zip(entries, records, strict=True):
            record.update(added.get(software.pk, {}))
    return records
