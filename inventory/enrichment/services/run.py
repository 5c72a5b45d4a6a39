"""One enrichment run: link entries to sources, refresh each source, then the logos."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from crawlers.sources.base import SourceError
from inventory.enrichment.clients import source_client
from inventory.enrichment.httpcache import SourceHttpCache
from inventory.enrichment.models import Source
from inventory.enrichment.services.links import (
    LinkReport,
    MatchReport,
    links_from_catalog,
    wikidata_match_by_name,
)
from inventory.enrichment.services.logos import LogoReport, logos_refresh
from inventory.enrichment.services.refresh import RefreshResult, source_refresh

# Called with (step, done, total) as the run goes, for a progress display.
Progress = Callable[[str, int, int], None]
ORDER = (Source.WIKIDATA, Source.COMPTOIR, Source.CNLL, Source.HAL, Source.FORGE)


@dataclass
class RunReport:
    links: LinkReport | None = None
    matches: MatchReport | None = None
    match_error: str = ""
    refreshes: list[RefreshResult] = field(default_factory=list)
    logos: LogoReport | None = None


def enrichment_run(
    *,
    sources: list[str] | None = None,
    software_ids: list[int] | None = None,
    match_names: bool = True,
    logos: bool = True,
    progress: Progress | None = None,
) -> RunReport:
    """Refresh the given sources (all by default) for the given entries (all by default).

    Each source is refreshed on its own: one that fails leaves its records as they were and
    the others go on. Logos are fetched after Wikidata and Comptoir du Libre, which give them.
    """
    wanted = [source for source in ORDER if sources is None or source in sources]
    report = RunReport(links=links_from_catalog(software_ids=software_ids))
    if match_names and Source.WIKIDATA in wanted:
        cache = SourceHttpCache(Source.WIKIDATA)
        try:
            report.matches = wikidata_match_by_name(
                client=source_client(Source.WIKIDATA, cache=cache), software_ids=software_ids
            )
            cache.save()
        except SourceError as error:
            report.match_error = _("Name search failed: %(error)s") % {"error": error.message}
    for source in wanted:
        step_progress = (
            (lambda done, total, s=source: progress(s, done, total)) if progress else None
        )
        report.refreshes.append(
            source_refresh(source=source, software_ids=software_ids, progress=step_progress)
        )
    if logos and {Source.WIKIDATA, Source.COMPTOIR} & set(wanted):
        logo_progress = (lambda done, total: progress("logos", done, total)) if progress else None
        report.logos = logos_refresh(software_ids=software_ids, progress=logo_progress)
    return report
