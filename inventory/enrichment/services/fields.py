"""A source record as stored: normalised fields in JSON, the raw answer, the license flagged."""

from __future__ import annotations

import dataclasses
import datetime
import json
from typing import Any

from django.utils.translation import gettext as _

from crawlers.sources.records import SourceRecord
from inventory.catalog.licenses import license_check, license_normalise
from inventory.catalog.models import Software
from inventory.enrichment.models import EnrichmentRecord, RecordStatus


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def record_fields(record: SourceRecord) -> dict[str, Any]:
    """The record's facts as JSON: every field but ``raw``, empty ones left out."""
    fields = {}
    for field in dataclasses.fields(record):
        if field.name in ("raw", "source", "external_id"):
            continue
        value = getattr(record, field.name)
        if value in ("", (), None):
            continue
        if dataclasses.is_dataclass(value):
            value = dataclasses.asdict(value)
        elif isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
            value = [dataclasses.asdict(item) for item in value]
        fields[field.name] = _plain(value)
    return fields


def _raw(record: SourceRecord) -> dict[str, Any]:
    # The source's answer went through json already; anything else is kept as its text.
    return json.loads(json.dumps(dict(record.raw), default=str))


def license_problem(licenses: list[str], *, catalog_license: str) -> str:
    """Why a source's licenses cannot be taken as they are: not free SPDX licenses, or not the
    catalog's. Empty when they agree with the catalog's free-license rule and the entry."""
    if not licenses:
        return ""
    problems = []
    expressions = []
    for text in licenses:
        check = license_normalise(text)
        expression = check.expression
        if not expression or not license_check(expression).ok:
            problems.append(
                check.problem or license_check(expression).problem or _("unreadable license")
            )
        else:
            expressions.append(expression)
    if not problems and catalog_license:
        catalog_ids = set(
            license_normalise(catalog_license).expression.replace("(", "").replace(")", "").split()
        )
        if not set(expressions) <= catalog_ids:
            problems.append(
                _("The source says %(source)s, the catalog says %(catalog)s.")
                % {"source": ", ".join(expressions), "catalog": catalog_license}
            )
    return " ".join(problems)[:500]


def record_apply(
    enrichment: EnrichmentRecord,
    record: SourceRecord,
    *,
    fetched_at: datetime.datetime,
    catalog: Software,
) -> bool:
    """Put a fetched record on its stored row (not saved); True when what it says changed."""
    fields = record_fields(record)
    raw = _raw(record)
    problem = license_problem(fields.get("licenses", []), catalog_license=catalog.license)
    changed = (
        enrichment.fields != fields
        or enrichment.raw != raw
        or enrichment.status != RecordStatus.FETCHED
        or enrichment.license_problem != problem
        or bool(enrichment.error)
    )
    enrichment.fields = fields
    enrichment.raw = raw
    enrichment.url = record.url[:500]
    enrichment.license_problem = problem
    enrichment.status = RecordStatus.FETCHED
    enrichment.error = ""
    enrichment.fetched_at = fetched_at
    return changed
