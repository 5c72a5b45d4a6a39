"""Software records of the three SILL formats, read into catalog entries (lenient: raw texts kept)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from inventory.catalog.importers.base import ImportReport, RecordError
from inventory.catalog.importers.contributors import organisation_unique_slug
from inventory.catalog.licenses import license_normalise
from inventory.catalog.models import Category, Instance, Software, SoftwareStatus, Workgroup
from inventory.catalog.services._base import validation_message
from inventory.catalog.services.repositories import repositories_by_url
from inventory.catalog.services.search_documents import software_search_documents_refresh
from inventory.catalog.services.software import name_fold, software_unique_slug, url_normalise
from inventory.catalog.sill_formats import (
    FORMAT_2020,
    FORMAT_2022,
    FORMAT_CURRENT,
    STATUS_FROM_2022,
    Resolver,
    years_parse,
)
from inventory.catalog.taxonomy import CANONICAL, CategoryGroup, category_slug
from inventory.core.weburls import validate_web_url
from inventory.organisations.models import Organisation

Parsed = tuple[dict[str, Any], list[str]]  # model fields, category names


def _text(record: dict, key: str, *, required: bool = False) -> str:
    value = record.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise RecordError(f"“{key}” must be text, not {type(value).__name__}.")
    if required and not value.strip():
        raise RecordError(f"“{key}” (the name) is missing.")
    return value


def _web_url(record: dict, key: str) -> str:
    """A URL field: empty, or an http(s) address (``javascript:`` and the like are refused)."""
    value = _text(record, key).strip()
    try:
        validate_web_url(value)
    except ValidationError as error:
        raise RecordError(f"“{key}”: {value[:100]!r} is not an http(s) address.") from error
    return value


def _license_fields(raw: str, *, report: ImportReport, location: str) -> dict[str, Any]:
    check = license_normalise(raw)
    if check.problem:
        report.warn(location, f"license kept as given and flagged for review: {check.problem}")
    return {
        "license": check.expression,
        "license_raw": raw,
        "license_needs_review": bool(check.problem),
        "license_problem": check.problem[:500],
    }


def _workgroup(value: str) -> str:
    if value and value not in Workgroup.values:
        raise RecordError(
            f"unknown working group “{value}” (expected one of {', '.join(Workgroup.values)})."
        )
    return value


def parse_2022(record: dict, *, report: ImportReport, location: str) -> Parsed:
    sill_id = _text(record, "id").strip()
    if not sill_id.isdigit():
        raise RecordError(f"“id” must be a number, not “{sill_id}”.")
    status = _text(record, "st").strip()
    if status not in STATUS_FROM_2022:
        raise RecordError(f"unknown status “{status}” (expected R, O or FR).")
    comptoir = _text(record, "co").strip()
    if comptoir and not comptoir.isdigit():
        raise RecordError(f"“co” (Comptoir du Libre id) must be a number, not “{comptoir}”.")
    try:
        years = years_parse(_text(record, "y"))
    except ValueError as error:
        raise RecordError(f"“y”: {error}") from error
    frama = record.get("frama") or {}
    if not isinstance(frama, dict):
        raise RecordError("“frama” must be an object {encoded-name, name}.")
    component = _text(record, "c")
    fields = {
        "sill_id": int(sill_id),
        "name": _text(record, "i", required=True).strip(),
        "function": _text(record, "f"),
        "description": _text(record, "fr-desc"),
        "description_en": _text(record, "en-desc"),
        **_license_fields(_text(record, "l"), report=report, location=location),
        "status": STATUS_FROM_2022[status],
        "catalog_years": years,
        "workgroup": _workgroup(_text(record, "g")),
        "sector": _text(record, "se"),
        "component": component,
        "comptoir_du_libre_id": int(comptoir) if comptoir else None,
        "use_context": _text(record, "u"),
        "parent_raw": _text(record, "p"),
        "audience": _text(record, "a"),
        # "Oui" or empty: empty says nothing (the SILL's files mean "unknown" by it).
        "is_in_support_contract": True if _text(record, "su").strip().lower() == "oui" else None,
        "similar_raw": _text(record, "si"),
        "label": _text(record, "la"),
        "version_min": _text(record, "v-"),
        "version_max": _text(record, "v+"),
        "logo_url": _web_url(record, "logo"),
        "homepage_url": _web_url(record, "website"),
        "source_url": _text(record, "sources"),
        "documentation_url": _web_url(record, "doc"),
        "framalibre_id": _text(frama, "encoded-name"),
        "framalibre_name": _text(frama, "name"),
    }
    return fields, [component] if component.strip() else []


STATUS_FROM_2020 = {**STATUS_FROM_2022, "": SoftwareStatus.OBSERVATION}


def parse_2020(record: dict, *, report: ImportReport, location: str) -> Parsed:
    status = _text(record, "statut").strip()
    if status not in STATUS_FROM_2020:
        raise RecordError(f"unknown status “{status}” (expected R, O, FR or empty).")
    if not status:
        report.warn(location, "no status given: imported in observation")
    wikidata = _text(record, "wikidata_entity").strip()
    keywords = [word.strip() for word in _text(record, "mots-clefs").split(",") if word.strip()]
    component = _text(record, "composant")
    fields = {
        "name": _text(record, "nom", required=True).strip(),
        "function": _text(record, "fonction"),
        "status": STATUS_FROM_2020[status],
        "parent_raw": _text(record, "parent"),
        "external_id": wikidata,
        "external_data_origin": "wikidata" if wikidata else "",
        "sector": _text(record, "secteur"),
        **_license_fields(_text(record, "licence"), report=report, location=location),
        "component": component,
        "keywords": keywords,
        "use_context": _text(record, "cas-usage"),
        "workgroup": _workgroup(_text(record, "groupe")),
        "version_min": _text(record, "version"),
        "formats": _text(record, "formats"),
        "catalog_years": [2020],
    }
    return fields, [component] if component.strip() else []


# What a 2020 row adds to an entry that exists already (the newer files win on the rest).
FIELDS_ONLY_IN_2020 = ("formats", "external_id", "external_data_origin", "keywords")


def _epoch(value: Any, key: str) -> datetime | None:
    if value is None:
        return None
    message = f"“{key}” must be a time in milliseconds since 1970."
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise RecordError(message)
    try:
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError) as error:
        raise RecordError(message) from error


def _software_type_fields(value: Any) -> dict[str, bool]:
    types = value if isinstance(value, list) else [value] if value else []
    fields = {"is_desktop": False, "is_cloud": False, "is_stack": False}
    for item in types:
        if not isinstance(item, dict) or item.get("type") not in (
            "desktop/mobile",
            "cloud",
            "stack",
        ):
            raise RecordError("“softwareType” must be {type: desktop/mobile|cloud|stack}.")
        if item["type"] == "desktop/mobile":
            fields["is_desktop"] = True
            os = item.get("os") or {}
            for name in ("windows", "linux", "mac", "android", "ios"):
                fields[f"os_{name}"] = bool(os.get(name))
        else:
            fields[f"is_{item['type']}"] = True
    return fields


def _string_list(record: dict, key: str) -> list[str]:
    value = record.get(key) or []
    if not isinstance(value, list):
        raise RecordError(f"“{key}” must be a list.")
    names = []
    for item in value:
        if isinstance(item, dict):
            item = item.get("name") or item.get("label") or ""
        if not isinstance(item, str):
            raise RecordError(f"“{key}” must list texts.")
        if item.strip():
            names.append(item.strip())
    return names


def parse_current(record: dict, *, report: ImportReport, location: str) -> Parsed:
    sill_id = record.get("id")
    if not isinstance(sill_id, int) or isinstance(sill_id, bool) or sill_id < 0:
        raise RecordError("“id” must be a positive whole number.")
    dereferencing = record.get("dereferencing")
    if dereferencing is not None and not isinstance(dereferencing, dict):
        raise RecordError("“dereferencing” must be an object or null.")
    latest = record.get("latestVersion") or {}
    if not isinstance(latest, dict):
        raise RecordError("“latestVersion” must be an object or null.")
    if dereferencing:
        status = SoftwareStatus.DEREFERENCED
    elif record.get("isStillInObservation"):
        status = SoftwareStatus.OBSERVATION
    else:
        status = SoftwareStatus.RECOMMENDED
    rgaa = record.get("doRespectRgaa")
    origin = _text(record, "externalDataOrigin")
    fields = {
        "sill_id": sill_id,
        "name": _text(record, "name", required=True).strip(),
        "function": _text(record, "description"),
        "referenced_since": _epoch(record.get("referencedSinceTime"), "referencedSinceTime"),
        "status": status,
        "dereferencing_reason": _text(dereferencing or {}, "reason"),
        "dereferenced_at": _epoch((dereferencing or {}).get("time"), "dereferencing.time"),
        "last_recommended_version": _text(dereferencing or {}, "lastRecommendedVersion"),
        "respects_rgaa": rgaa if isinstance(rgaa, bool) else None,
        "is_from_french_public_service": _tri_state(record.get("isFromFrenchPublicService")),
        "is_in_support_contract": _tri_state(record.get("isPresentInSupportContract")),
        **_license_fields(_text(record, "license"), report=report, location=location),
        **_software_type_fields(record.get("softwareType")),
        "version_min": _text(record, "versionMin"),
        "workshop_urls": [
            _web_url({"workshopUrls": url}, "workshopUrls")
            for url in _string_list(record, "workshopUrls")
        ],
        "long_description": _text(record, "generalInfoMd"),
        "logo_url": _web_url(record, "logoUrl"),
        "keywords": _string_list(record, "keywords"),
        "external_id": _text(record, "externalId"),
        "external_data_origin": origin if origin in ("wikidata", "HAL") else "",
        "similar_raw": " ; ".join(_string_list(record, "similarSoftwares")),
        "latest_version": _text(latest, "semVer"),
        "latest_version_published_at": _epoch(latest.get("publicationTime"), "latestVersion"),
    }
    return fields, _string_list(record, "categories")


def _tri_state(value: Any) -> bool | None:
    """A boolean the source gave, None when it gave none."""
    return value if isinstance(value, bool) else None


class SoftwareUpserter:
    """Creates or updates entries so that a second import of the same file changes nothing."""

    def __init__(self, *, report: ImportReport, format_key: str, source: str) -> None:
        self.report = report
        self.format_key = format_key
        self.reason = f"import {format_key} ({source})"
        self.touched: list[int] = []
        self.repositories = repositories_by_url()
        self.reload()

    def reload(self) -> None:
        """Rebuild the in-memory indexes from the database (after a rejected record's rollback)."""
        self.categories: dict[str, Category] = {c.slug: c for c in Category.objects.all()}
        self.by_name: dict[str, list[tuple[int, str, int | None]]] = {}
        rows = Software.objects.values_list("pk", "name", "sill_id", "parent__name", "parent_raw")
        for pk, name, sill_id, parent_name, parent_raw in rows:
            self._index(pk, name, parent_name or parent_raw, sill_id)

    def _index(self, pk: int, name: str, parent: str, sill_id: int | None) -> None:
        self.by_name.setdefault(name_fold(name), []).append((pk, name_fold(parent), sill_id))

    def find_by_name(self, fields: dict[str, Any], *, without_sill_id: bool) -> Software | None:
        """An entry with the same name and the same parent name (the SILL lists a plug-in of
        several hosts under one name, e.g. Grammalecte for LibreOffice and for Firefox)."""
        parent = name_fold(fields.get("parent_raw", ""))
        for pk, candidate_parent, sill_id in self.by_name.get(name_fold(fields["name"]), []):
            if candidate_parent == parent and not (without_sill_id and sill_id is not None):
                return Software.objects.get(pk=pk)
        return None

    def find_by_sill_id(self, fields: dict[str, Any]) -> Software | None:
        found = Software.objects.filter(sill_id=fields["sill_id"]).first()
        return found or self.find_by_name(fields, without_sill_id=True)

    def _category(self, name: str) -> Category:
        """The category a SILL name stands for: the curated one it was merged into when the
        taxonomy knows it (inventory/catalog/taxonomy.py), else one of its own, ungrouped."""
        name = name.strip()
        slug = category_slug(name)
        group = CategoryGroup.OTHER
        if slug in CANONICAL:
            name, group = CANONICAL[slug]
            slug = category_slug(name)
        if slug not in self.categories:
            category = Category(name=name[:120], slug=slug, group=group)
            category.full_clean()
            category.save()
            self.categories[slug] = category
        return self.categories[slug]

    def upsert(
        self, software: Software | None, fields: dict[str, Any], categories: list[str], raw: dict
    ) -> tuple[Software, str]:
        """Create or update one entry; returns it with "created", "updated" or "unchanged"."""
        source_url = fields.get("source_url", software.source_url if software else "")
        repository_pk = self.repositories.get(url_normalise(source_url)) if source_url else None
        if repository_pk is not None:
            fields["repository_id"] = repository_pk
        if software is None:
            software = Software(**fields, slug=software_unique_slug(fields["name"]))
            outcome = "created"
            created = True
        else:
            created = False
            changed = {k: v for k, v in fields.items() if getattr(software, k) != v}
            for key, value in changed.items():
                setattr(software, key, value)
            outcome = "updated" if changed else "unchanged"
        if software.source_records.get(self.format_key) != raw:
            software.source_records = {**software.source_records, self.format_key: raw}
            outcome = "created" if outcome == "created" else "updated"
        if outcome != "unchanged":
            try:
                software.full_clean(exclude=["similar", "categories"])
            except ValidationError as error:
                raise RecordError(validation_message(error)) from error
            software._change_reason = self.reason
            software.save()
        if created:
            self._index(software.pk, software.name, software.parent_raw, software.sill_id)
        wanted = {self._category(name).pk for name in categories}
        missing = wanted - set(software.categories.values_list("pk", flat=True))
        if missing:
            software.categories.add(*missing)
            outcome = "updated" if outcome == "unchanged" else outcome
        return software, outcome

    def link_relations(self) -> None:
        """Parents by name and similar entries by SILL id or name, once every record is in."""
        resolver = Resolver()
        entries = Software.objects.filter(pk__in=self.touched).prefetch_related("similar")
        for software in entries:
            parent_pk = (
                resolver.parent_pk(
                    software.parent_raw, child=software.pk, current=software.parent_id
                )
                if software.parent_raw
                else None
            )
            if software.parent_id != parent_pk and (parent_pk or software.parent_raw):
                software.parent_id = parent_pk
                software._change_reason = self.reason
                software.save(update_fields=["parent"])
            wanted = resolver.similar_pks(software.similar_raw) - {software.pk}
            if software.similar_raw and wanted != {other.pk for other in software.similar.all()}:
                software.similar.set(wanted)


def _run(
    records: list,
    *,
    report: ImportReport,
    source: str,
    format_key: str,
    parse: Callable[..., Parsed],
    find: Callable[[SoftwareUpserter, dict[str, Any]], Software | None],
    locate: Callable[[int, Any], str],
    only_fields_when_found: tuple[str, ...] | None = None,
    after: Callable[[Software, dict], bool] | None = None,
) -> None:
    upserter = SoftwareUpserter(report=report, format_key=format_key, source=source)
    for index, record in enumerate(records, start=1):
        location = f"{source}: {locate(index, record)}"
        try:
            if not isinstance(record, dict):
                raise RecordError(f"expected an object, found {type(record).__name__}.")
            with transaction.atomic():
                fields, categories = parse(record, report=report, location=location)
                existing = find(upserter, fields)
                if existing is not None and only_fields_when_found is not None:
                    fields = {k: v for k, v in fields.items() if k in only_fields_when_found}
                    fields = {k: v for k, v in fields.items() if v and not getattr(existing, k)}
                    categories = []
                software, outcome = upserter.upsert(existing, fields, categories, record)
                if after is not None and after(software, record) and outcome == "unchanged":
                    outcome = "updated"
            report.count(outcome)
            upserter.touched.append(software.pk)
        except RecordError as error:
            report.reject(location, str(error))
            upserter.reload()
        except DatabaseError as error:
            report.reject(location, f"the database refused the record: {error}")
            upserter.reload()
    upserter.link_relations()
    software_search_documents_refresh(software_ids=upserter.touched)


def _locate_json(index: int, record: Any) -> str:
    key = record.get("id") if isinstance(record, dict) else None
    return f"entry {index}" + (f" (id {key})" if key not in (None, "") else "")


def software_import_2022(records: list, *, report: ImportReport, source: str) -> None:
    _run(
        records,
        report=report,
        source=source,
        format_key=FORMAT_2022,
        parse=parse_2022,
        find=SoftwareUpserter.find_by_sill_id,
        locate=_locate_json,
    )


def software_import_2020(records: list, *, report: ImportReport, source: str) -> None:
    seen: dict[tuple[str, str], str] = {}

    def find(upserter: SoftwareUpserter, fields: dict[str, Any]) -> Software | None:
        return upserter.find_by_name(fields, without_sill_id=False)

    def locate(index: int, record: Any) -> str:
        return f"line {index + 1}"

    def parse(record: dict, *, report: ImportReport, location: str) -> Parsed:
        parsed = parse_2020(record, report=report, location=location)
        key = (name_fold(parsed[0]["name"]), name_fold(parsed[0]["parent_raw"]))
        if key in seen:
            raise RecordError(
                f"same software (name and parent) as {seen[key]}: "
                f"“{parsed[0]['name']}” is listed twice."
            )
        seen[key] = location.rsplit(": ", 1)[1]
        return parsed

    _run(
        records,
        report=report,
        source=source,
        format_key=FORMAT_2020,
        parse=parse,
        find=find,
        locate=locate,
        only_fields_when_found=FIELDS_ONLY_IN_2020,
    )


def _organisation_by_name(name: str) -> Organisation:
    """The organisation of that name (case and accents aside), created when there is none."""
    name = name.strip()
    folded = name_fold(name)
    for organisation in Organisation.objects.filter(name__iexact=name):
        if name_fold(organisation.name) == folded:
            return organisation
    organisation = Organisation(name=name[:300], slug=organisation_unique_slug(name))
    try:
        organisation.full_clean()
    except ValidationError as error:
        raise RecordError(f"organisation “{name}”: {validation_message(error)}") from error
    organisation.save()
    return organisation


def software_import_current(records: list, *, report: ImportReport, source: str) -> None:
    def add_instances(software: Software, record: dict) -> bool:
        """Adds the record's instances missing from the entry; True when it added any."""
        instances = record.get("instances") or []
        if not isinstance(instances, list):
            raise RecordError("“instances” must be a list.")
        added = False
        for item in instances:
            if not isinstance(item, dict) or not _text(item, "organization").strip():
                raise RecordError("each instance needs an “organization”.")
            organisation = _organisation_by_name(_text(item, "organization"))
            public_url = _web_url(item, "publicUrl")
            if Instance.objects.filter(
                software=software, organisation=organisation, public_url=public_url
            ).exists():
                continue
            instance = Instance(
                software=software,
                organisation=organisation,
                public_url=public_url,
                target_audience=_text(item, "targetAudience"),
            )
            try:
                instance.full_clean()
            except ValidationError as error:
                raise RecordError(f"instance: {validation_message(error)}") from error
            instance._change_reason = f"import {FORMAT_CURRENT}"
            instance.save()
            added = True
        return added

    _run(
        records,
        report=report,
        source=source,
        format_key=FORMAT_CURRENT,
        parse=parse_current,
        find=SoftwareUpserter.find_by_sill_id,
        locate=_locate_json,
        after=add_instances,
    )
