"""Wikidata: what its items say about a software (wbgetentities) and name search (wbsearchentities)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

import requests

from crawlers.base import HttpCache
from crawlers.sources import clean
from crawlers.sources.base import SourceClient
from crawlers.sources.records import Candidate, Fetched, SourceRecord, Version

BATCH = 50  # wbgetentities' limit on ids for ordinary clients
SEARCH_LIMIT = 50  # wbsearchentities' largest page
LANGUAGES = ("fr", "en")  # label and description: French first, then English
ITEM_ID = re.compile(r"Q[1-9]\d{0,11}")
# P548 (version type) values that mark a version as not stable.
PRE_RELEASE_TYPES = frozenset(
    {
        "Q2122918",  # alpha version
        "Q3295609",  # beta version
        "Q1072356",  # release candidate
        "Q21727724",  # unstable version
        "Q51930650",  # pre-release
    }
)
# License items whose SPDX id we know when the fetched item carries no P2479.
LICENSE_SPDX = {
    "Q334661": "MIT",
    "Q13785927": "Apache-2.0",
    "Q10513450": "GPL-2.0-only",
    "Q10513445": "GPL-3.0-only",
    "Q27017232": "AGPL-3.0-only",
    "Q25428413": "MPL-2.0",
}
RANK_ORDER = {"preferred": 0, "normal": 1}
# The properties read; the raw answer kept keeps their statements only (an item's claims can
# weigh hundreds of kilobytes).
USED_PROPERTIES = ("P154", "P856", "P1324", "P2078", "P275", "P348", "P178", "P277", "P306")


class WikidataClient(SourceClient):
    """Records for Wikidata items, and item search by name in French then English."""

    name = "wikidata"

    def __init__(
        self,
        base_url: str = "https://www.wikidata.org",
        *,
        commons_url: str = "https://commons.wikimedia.org",
        cache: HttpCache | None = None,
        session: requests.Session | None = None,
    ) -> None:
        super().__init__(base_url, cache=cache, session=session)
        self.commons_url = commons_url.rstrip("/")
        self.api_url = f"{self.base_url}/w/api.php"

    # -- public API ---------------------------------------------------------------------------------

    def fetch(self, ids: Sequence[str]) -> Fetched:
        """Records for the items among ``ids`` (malformed ids and missing items are skipped)."""
        since = self.snapshot()
        wanted = list(
            dict.fromkeys(i.strip().upper() for i in ids if ITEM_ID.fullmatch(i.strip().upper()))
        )
        records: list[SourceRecord] = []
        for start in range(0, len(wanted), BATCH):
            batch = wanted[start : start + BATCH]
            entities = self._entities(batch, "labels|descriptions|aliases|claims")
            found = {item_id: entities[item_id] for item_id in batch if item_id in entities}
            labels, licenses = self._referenced(found.values())
            records.extend(
                self._record(item_id, entity, labels, licenses) for item_id, entity in found.items()
            )
        return self.fetched(records, since=since)

    def search(self, text: str, *, limit: int = 5) -> list[Candidate]:
        """Items whose label or alias starts with ``text``, French matches first."""
        term = self.search_term(text)
        if not term:
            return []
        found: dict[str, Candidate] = {}
        for language in LANGUAGES:
            if len(found) >= limit:
                break
            data = clean.mapping(
                self.get_json(
                    self.api_url,
                    {
                        "action": "wbsearchentities",
                        "search": term,
                        "language": language,
                        "uselang": language,
                        "type": "item",
                        "limit": max(1, min(limit, SEARCH_LIMIT)),
                        "format": "json",
                    },
                )
            )
            self._raise_api_error(data)
            for hit in clean.as_list(data.get("search")):
                hit = clean.mapping(hit)
                item_id = clean.text(hit.get("id"))
                if not ITEM_ID.fullmatch(item_id) or item_id in found:
                    continue
                found[item_id] = Candidate(
                    source=self.name,
                    external_id=item_id,
                    label=clean.text(hit.get("label")) or item_id,
                    description=clean.text(hit.get("description"), clean.MAX_TEXT),
                    url=self.item_url(item_id),
                )
        return list(found.values())[:limit]

    def item_url(self, item_id: str) -> str:
        return f"{self.base_url}/wiki/{item_id}"

    def commons_file_url(self, file_name: str) -> str:
        """Commons' stable address of a file: Special:FilePath redirects to the file itself."""
        name = file_name.strip().replace(" ", "_")
        return clean.url(f"{self.commons_url}/wiki/Special:FilePath/{quote(name, safe='')}")

    # -- requests -----------------------------------------------------------------------------------

    def _entities(self, ids: Sequence[str], props: str) -> dict[str, dict[str, Any]]:
        """The entities wbgetentities returns for ``ids``, keyed by id (missing ones left out)."""
        if not ids:
            return {}
        data = clean.mapping(
            self.get_json(
                self.api_url,
                {
                    "action": "wbgetentities",
                    "ids": "|".join(ids),
                    "props": props,
                    "languages": "|".join(LANGUAGES),
                    "format": "json",
                },
            )
        )
        self._raise_api_error(data)
        entities = data.get("entities")
        if not isinstance(entities, dict):
            raise self.error("wbgetentities answered without an entities object")
        found: dict[str, dict[str, Any]] = {}
        for key, value in entities.items():
            if not isinstance(value, dict) or "missing" in value:
                continue
            # A merged item comes back under its new id, saying which id it was asked as.
            asked = clean.mapping(value.get("redirects")).get("from")
            asked = asked if isinstance(asked, str) and asked in ids else key
            if ITEM_ID.fullmatch(str(asked)):
                found[asked] = value
        return found

    def _raise_api_error(self, data: dict[str, Any]) -> None:
        error = data.get("error")
        if error is not None:
            error = clean.mapping(error)
            code, info = (
                clean.text(error.get("code")),
                clean.text(error.get("info"), clean.MAX_TEXT),
            )
            raise self.error(f"API error {code or 'unknown'}: {info}")

    def _referenced(
        self, entities: Iterable[dict[str, Any]]
    ) -> tuple[dict[str, str], dict[str, str]]:
        """Labels of the developers, languages and systems the entities point to, and the SPDX
        ids (or labels) of their licenses: one batched wbgetentities call for each kind."""
        entities = list(entities)
        named: set[str] = set()
        licenses: set[str] = set()
        for entity in entities:
            claims = clean.mapping(entity.get("claims"))
            for prop in ("P178", "P277", "P306"):
                named.update(_item_ids(claims, prop))
            licenses.update(_item_ids(claims, "P275"))
        labels: dict[str, str] = {}
        for start in range(0, len(named), BATCH):
            batch = sorted(named)[start : start + BATCH]
            for item_id, entity in self._entities(batch, "labels").items():
                labels[item_id] = _label(entity)[0]
        spdx: dict[str, str] = {}
        for start in range(0, len(licenses), BATCH):
            batch = sorted(licenses)[start : start + BATCH]
            for item_id, entity in self._entities(batch, "labels|claims").items():
                ids = _strings(clean.mapping(entity.get("claims")), "P2479")
                spdx[item_id] = ids[0] if ids else LICENSE_SPDX.get(item_id, _label(entity)[0])
        for item_id in licenses - spdx.keys():
            if item_id in LICENSE_SPDX:
                spdx[item_id] = LICENSE_SPDX[item_id]
        return labels, spdx

    # -- parsing ------------------------------------------------------------------------------------

    def _record(
        self, item_id: str, entity: dict[str, Any], labels: dict[str, str], licenses: dict[str, str]
    ) -> SourceRecord:
        claims = clean.mapping(entity.get("claims"))
        label, language = _label(entity)
        description, described_in = _description(entity, language)
        logos = _strings(claims, "P154")
        return SourceRecord(
            source=self.name,
            external_id=item_id,
            url=self.item_url(item_id),
            label=label,
            description=description,
            language=language or described_in,
            aliases=_aliases(clean.mapping(entity.get("aliases"))),
            logo_url=self.commons_file_url(logos[0]) if logos else "",
            website=_first_url(_strings(claims, "P856")),
            repository=_first_url(_strings(claims, "P1324")),
            documentation=_first_url(_strings(claims, "P2078")),
            licenses=clean.license_ids(
                licenses[i] for i in _item_ids(claims, "P275") if licenses.get(i)
            ),
            latest_version=latest_version(claims),
            developers=clean.texts(labels.get(i, "") for i in _item_ids(claims, "P178")),
            programming_languages=clean.texts(labels.get(i, "") for i in _item_ids(claims, "P277")),
            operating_systems=clean.texts(labels.get(i, "") for i in _item_ids(claims, "P306")),
            raw=_kept(entity),
        )


def _kept(entity: dict[str, Any]) -> dict[str, Any]:
    """The part of an entity the record was made from, storable as it is."""
    claims = clean.mapping(entity.get("claims"))
    kept = {
        k: v
        for k, v in entity.items()
        if k in ("id", "type", "labels", "descriptions", "aliases", "redirects")
    }
    kept["claims"] = {p: claims[p] for p in USED_PROPERTIES if p in claims}
    return clean.storable(kept)


def _term(terms: dict[str, Any], language: str, limit: int = clean.MAX_TEXT) -> str:
    return clean.text(clean.mapping(terms.get(language)).get("value"), limit)


def _label(entity: dict[str, Any]) -> tuple[str, str]:
    """The label in French, else English, and its language (("", "") when neither)."""
    labels = clean.mapping(entity.get("labels"))
    for language in LANGUAGES:
        label = _term(labels, language, clean.MAX_NAME)
        if label:
            return label, language
    return "", ""


def _description(entity: dict[str, Any], language: str) -> tuple[str, str]:
    """The description in ``language`` when there is one, else in French, else English."""
    descriptions = clean.mapping(entity.get("descriptions"))
    for candidate in (language, *LANGUAGES) if language else LANGUAGES:
        description = _term(descriptions, candidate)
        if description:
            return description, candidate
    return "", ""


def _aliases(aliases: dict[str, Any]) -> tuple[str, ...]:
    return clean.texts(
        clean.mapping(alias).get("value")
        for language in LANGUAGES
        for alias in clean.as_list(aliases.get(language))
    )


def _statements(claims: dict[str, Any], prop: str) -> list[dict[str, Any]]:
    """The property's non-deprecated statements with a value, best rank first."""
    found = [
        s
        for s in clean.as_list(claims.get(prop))
        if isinstance(s, dict)
        and s.get("rank") in RANK_ORDER
        and clean.mapping(s.get("mainsnak")).get("snaktype") == "value"
    ]
    return sorted(found, key=lambda s: RANK_ORDER[s["rank"]])


def _value(snak: Any) -> Any:
    return clean.mapping(clean.mapping(snak).get("datavalue")).get("value")


def _strings(claims: dict[str, Any], prop: str) -> list[str]:
    values = (_value(s.get("mainsnak")) for s in _statements(claims, prop))
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def _item_ids(claims: dict[str, Any], prop: str) -> list[str]:
    ids = (clean.mapping(_value(s.get("mainsnak"))).get("id") for s in _statements(claims, prop))
    return list(dict.fromkeys(i for i in ids if isinstance(i, str) and ITEM_ID.fullmatch(i)))


def _first_url(values: list[str]) -> str:
    return next((u for u in map(clean.url, values) if u), "")


def _qualifier_values(statement: dict[str, Any], prop: str) -> list[Any]:
    return [_value(q) for q in clean.as_list(clean.mapping(statement.get("qualifiers")).get(prop))]


def wikidata_date(value: Any) -> dt.date | None:
    """The day of a Wikidata time value ("+2023-08-21T00:00:00Z", precision ≥ 11), else None."""
    value = clean.mapping(value)
    text = value.get("time")
    if not isinstance(text, str) or value.get("precision", 11) not in (11, 12, 13, 14):
        return None
    found = re.fullmatch(r"\+(\d{4})-(\d{2})-(\d{2})T.*", text)
    if not found:
        return None
    try:
        return dt.date(*map(int, found.groups()))
    except ValueError:
        return None


def latest_version(claims: dict[str, Any]) -> Version | None:
    """The latest stable P348: best rank first, then the latest P577 date; a version qualified as
    pre-release (P548) or deprecated is skipped."""
    candidates: list[tuple[int, dt.date, Version]] = []
    for statement in _statements(claims, "P348"):
        number = clean.text(_value(statement.get("mainsnak")))
        types = {str(clean.mapping(v).get("id")) for v in _qualifier_values(statement, "P548")}
        if not number or types & PRE_RELEASE_TYPES:
            continue
        dates = [d for d in map(wikidata_date, _qualifier_values(statement, "P577")) if d]
        published = max(dates) if dates else None
        candidates.append(
            (RANK_ORDER[statement["rank"]], published or dt.date.min, Version(number, published))
        )
    if not candidates:
        return None
    best_rank = min(rank for rank, _day, _version in candidates)
    best = [c for c in candidates if c[0] == best_rank]
    return max(best, key=lambda c: c[1])[2]
