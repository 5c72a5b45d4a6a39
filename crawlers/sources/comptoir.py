"""Comptoir du Libre: its public export (software, public-sector users, service providers)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import requests

from crawlers.base import HttpCache
from crawlers.sources import clean
from crawlers.sources.base import SourceClient
from crawlers.sources.records import Candidate, Fetched, Provider, PublicUser, SourceRecord

EXPORT_PATH = "/public/export/comptoir-du-libre_export_v1.json"


class ComptoirClient(SourceClient):
    """Records for Comptoir du Libre software ids (as strings), read from the one public export."""

    name = "comptoir"

    def __init__(
        self,
        base_url: str = "https://comptoir-du-libre.org",
        *,
        cache: HttpCache | None = None,
        session: requests.Session | None = None,
    ) -> None:
        super().__init__(base_url, cache=cache, session=session)
        self.export_url = f"{self.base_url}{EXPORT_PATH}"

    def fetch(self, ids: Sequence[str]) -> Fetched:
        since = self.snapshot()
        wanted = {i.strip() for i in ids if i.strip().isdigit()}
        records = [
            self._record(software)
            for software in self._softwares()
            if clean.numeric_id(software.get("id")) in wanted
        ]
        return self.fetched(records, since=since)

    def search(self, text: str, *, limit: int = 5) -> list[Candidate]:
        """Software whose name contains ``text`` (the export is the only public interface)."""
        term = self.search_term(text).casefold()
        if not term:
            return []
        hits = []
        for software in self._softwares():
            name = clean.text(software.get("name"))
            if term in name.casefold() and clean.numeric_id(software.get("id")):
                hits.append(
                    Candidate(
                        source=self.name,
                        external_id=clean.numeric_id(software.get("id")),
                        label=name,
                        url=clean.url(software.get("url")),
                    )
                )
        # Names that start with the term first, then the shortest (the closest) names.
        hits.sort(key=lambda c: (not c.label.casefold().startswith(term), len(c.label)))
        return hits[:limit]

    def _softwares(self) -> list[dict[str, Any]]:
        data = self.get_json(self.export_url)
        if not isinstance(data, dict) or not isinstance(data.get("softwares"), list):
            raise self.error(f"{self.export_url} is not a Comptoir du Libre export")
        return [s for s in data["softwares"] if isinstance(s, dict)]

    def _record(self, software: dict[str, Any]) -> SourceRecord:
        resources = clean.mapping(software.get("external_resources"))
        return SourceRecord(
            source=self.name,
            external_id=clean.numeric_id(software.get("id")),
            url=clean.url(software.get("url")),
            label=clean.text(software.get("name")),
            logo_url=clean.url(software.get("logoUrl")),
            website=clean.url(resources.get("website")),
            repository=clean.url(resources.get("repository")),
            licenses=clean.license_ids([software.get("licence")]),
            providers=tuple(
                Provider(
                    name=name,
                    website=clean.url(clean.mapping(p.get("external_resources")).get("website")),
                    url=clean.url(p.get("url")),
                )
                for p, name in _named(software.get("providers"))
            ),
            users=tuple(
                PublicUser(name=name, url=clean.url(u.get("url")))
                for u, name in _named(software.get("users"))
            ),
            raw=clean.storable(software),
        )


def _named(items: Any) -> list[tuple[dict[str, Any], str]]:
    """The entries of a providers/users list that are objects with a name, at most MAX_ITEMS."""
    named = []
    for item in clean.as_list(items):
        name = clean.text(clean.mapping(item).get("name"))
        if name:
            named.append((item, name))
    return named[: clean.MAX_ITEMS]
