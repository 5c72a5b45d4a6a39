"""What a proposal can take from the sources: candidates for a typed name, the fields of one."""

from __future__ import annotations

import re
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext as _

from crawlers.sources.base import SourceError
from inventory.catalog.licenses import license_check, license_normalise
from inventory.enrichment.clients import source_client
from inventory.enrichment.models import Source

SEARCHED = (Source.WIKIDATA, Source.HAL)
ID_PATTERNS = {
    Source.WIKIDATA: re.compile(r"Q[1-9]\d{0,11}"),
    Source.HAL: re.compile(r"[\w.-]{1,100}"),
}
# A name typed twice in a day asks the sources once.
CACHE_SECONDS = 24 * 3600


class ProposalSearchError(Exception):
    pass


def proposal_candidates(*, text: str, limit: int = 5) -> list[dict[str, str]]:
    """Wikidata's then HAL's hits for a name; a source that fails is skipped, both failing
    raise ProposalSearchError."""
    key = f"enrichment:candidates:{text.casefold()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    results: list[dict[str, str]] = []
    failures = []
    for source in SEARCHED:
        try:
            hits = source_client(source).search(text, limit=limit)
        except SourceError as error:
            failures.append(error.message)
            continue
        results.extend(
            {
                "source": hit.source,
                "id": hit.external_id,
                "label": hit.label,
                "description": hit.description,
                "url": hit.url,
            }
            for hit in hits
        )
    if len(failures) == len(SEARCHED):
        raise ProposalSearchError(_("The sources cannot be searched right now."))
    cache.set(key, results, CACHE_SECONDS)
    return results


def proposal_prefill(*, source: str, external_id: str) -> dict[str, Any]:
    """Initial values of the proposal form from one source entity ({} when unknown or
    unreachable). A license is offered only when it passes the catalog's free-license rule."""
    pattern = ID_PATTERNS.get(source)
    if pattern is None or not pattern.fullmatch(external_id or ""):
        return {}
    try:
        fetched = source_client(source).fetch([external_id])
    except SourceError:
        return {}
    record = next((r for r in fetched.records if r.external_id == external_id), None)
    if record is None:
        return {}
    initial: dict[str, Any] = {
        "name": record.label,
        "description": record.description,
        "homepage_url": record.website,
        "source_url": record.repository,
        "documentation_url": record.documentation,
        "logo_url": record.logo_url,
        "external_id": record.external_id,
        "external_data_origin": "wikidata" if source == Source.WIKIDATA else "HAL",
    }
    if record.licenses:
        expression = " AND ".join(
            f"({license_normalise(text).expression})" for text in record.licenses
        )
        check = (
            license_check(expression)
            if all(license_normalise(text).expression for text in record.licenses)
            else None
        )
        if check is not None and check.ok:
            initial["license"] = check.expression
    return {key: value for key, value in initial.items() if value}


def proposal_form_initial(*, source: str, external_id: str) -> dict[str, str]:
    """The proposal form's fields pre-filled from one source entity ("proposer ce logiciel",
    the auto-fill): name, what it does (the source's one-line description), website, source
    code, logo and a free license. {} when the entity cannot be read."""
    found = proposal_prefill(source=source, external_id=external_id)
    initial = {
        "name": found.get("name", "")[:200],
        "function": found.get("description", "")[:500],
        "homepage_url": found.get("homepage_url", ""),
        "source_url": found.get("source_url", ""),
        "logo_url": found.get("logo_url", ""),
        "license": found.get("license", ""),
    }
    return {key: value for key, value in initial.items() if value}
