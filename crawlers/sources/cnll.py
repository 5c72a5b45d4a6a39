"""The CNLL directory's service providers for SILL software (annuaire.cnll.fr)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import requests

from crawlers.base import HttpCache
from crawlers.sources import clean
from crawlers.sources.base import SourceClient
from crawlers.sources.records import Candidate, Fetched, Provider, SourceRecord

PROVIDERS_PATH = "/api/prestataires-sill.json"
SIREN = re.compile(r"\d{9}")


class CnllClient(SourceClient):
    """Providers of SILL software, by SILL id (as strings), from the directory's one listing."""

    name = "cnll"

    def __init__(
        self,
        base_url: str = "https://annuaire.cnll.fr",
        *,
        cache: HttpCache | None = None,
        session: requests.Session | None = None,
    ) -> None:
        super().__init__(base_url, cache=cache, session=session)
        self.providers_url = f"{self.base_url}{PROVIDERS_PATH}"

    def fetch(self, ids: Sequence[str]) -> Fetched:
        since = self.snapshot()
        wanted = {i.strip() for i in ids if i.strip().isdigit()}
        data = self.get_json(self.providers_url)
        if not isinstance(data, list):
            raise self.error(f"{self.providers_url} is not a list of SILL software")
        records = []
        for entry in data:
            entry = clean.mapping(entry)
            sill_id = clean.numeric_id(entry.get("sill_id"))
            if sill_id in wanted:
                records.append(self._record(sill_id, entry))
        return self.fetched(records, since=since)

    def search(self, text: str, *, limit: int = 5) -> list[Candidate]:
        """The directory lists providers by SILL id only: nothing to search."""
        return []

    def _record(self, sill_id: str, entry: dict[str, Any]) -> SourceRecord:
        providers: dict[str, Provider] = {}
        for item in clean.as_list(entry.get("prestataires")):
            item = clean.mapping(item)
            name = clean.text(item.get("nom"))
            if not name:
                continue
            siren = re.sub(r"\s", "", clean.text(item.get("siren")))
            siren = siren if SIREN.fullmatch(siren) else ""
            # One provider per SIREN (else per name): the directory repeats some.
            providers.setdefault(
                siren or name.casefold(),
                Provider(name=name, siren=siren, url=clean.url(item.get("url"))),
            )
        return SourceRecord(
            source=self.name,
            external_id=sill_id,
            label=clean.text(entry.get("nom")),
            providers=tuple(providers.values())[: clean.MAX_ITEMS],
            raw=clean.storable(entry),
        )
