"""HAL, the French open archive: research software deposits (docType_s:SOFTWARE)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import requests

from crawlers.base import HttpCache
from crawlers.normalize import parse_datetime
from crawlers.sources import clean
from crawlers.sources.base import SourceClient
from crawlers.sources.records import Author, Candidate, Fetched, SourceRecord, Version

SEARCH_PATH = "/search/"
SOFTWARE = "docType_s:SOFTWARE"
BATCH = 50  # ids per query: long OR-lists hit HAL's query-size limit
SEARCH_LIMIT = 50
FIELDS = (
    "docid",
    "halId_s",
    "uri_s",
    "title_s",
    "abstract_s",
    "language_s",
    "authFullName_s",
    "authIdHasPrimaryStructure_fs",
    "structName_s",
    "softCodeRepository_s",
    "softProgrammingLanguage_s",
    "softPlatform_s",
    "softVersion_s",
    "releasedDate_tdate",
    "licence_s",
    "swhidId_s",
    "relatedSoftware_s",
)
DOCID_DIGITS = 12
HAL_ID = re.compile(r"[a-z][a-z0-9]{0,19}-\d{6,10}")
SWHID = re.compile(r"swh:1:(?:cnt|dir|rev|rel|snp):[0-9a-f]{40}(?:;[!-~]*)?")
# Solr's query syntax characters, escaped in a free-text search.
SOLR_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
# authIdHasPrimaryStructure_fs: "<idHal>-<formId>_FacetSep_<name>_JoinSep_<structId>_FacetSep_<structure>"
FACET_SEP, JOIN_SEP = "_FacetSep_", "_JoinSep_"


class HalClient(SourceClient):
    """Records for HAL software ids (``hal-01234567``) and search among software deposits."""

    name = "hal"

    def __init__(
        self,
        base_url: str = "https://api.archives-ouvertes.fr",
        *,
        cache: HttpCache | None = None,
        session: requests.Session | None = None,
    ) -> None:
        super().__init__(base_url, cache=cache, session=session)
        self.search_url = f"{self.base_url}{SEARCH_PATH}"

    def fetch(self, ids: Sequence[str]) -> Fetched:
        """Records for HAL ids (``hal-01234567``) or document ids (``docid``, digits), each
        record under the id it was asked by."""
        since = self.snapshot()
        wanted = list(dict.fromkeys(i.strip() for i in ids if _is_hal_id(i.strip())))
        records = []
        for start in range(0, len(wanted), BATCH):
            batch = wanted[start : start + BATCH]
            for doc in self._docs(_ids_query(batch), rows=len(batch), fields=FIELDS):
                asked = _asked_as(doc, batch)
                if asked:
                    records.append(self._record(asked, doc))
        return self.fetched(records, since=since)

    def search(self, text: str, *, limit: int = 5) -> list[Candidate]:
        """Software deposits matching the words of ``text`` (Solr syntax escaped), by HAL id."""
        term = self.search_term(text)
        if not term:
            return []
        docs = self._docs(
            SOLR_SPECIAL.sub(r"\\\1", term),
            rows=max(1, min(limit, SEARCH_LIMIT)),
            fields=("halId_s", "uri_s", "title_s", "abstract_s"),
        )
        candidates = []
        for doc in docs:
            hal_id = clean.text(doc.get("halId_s"))
            title = _first_text(doc.get("title_s"))
            if HAL_ID.fullmatch(hal_id) and title:
                candidates.append(
                    Candidate(
                        source=self.name,
                        external_id=hal_id,
                        label=title,
                        description=_first_text(doc.get("abstract_s"), clean.MAX_TEXT),
                        url=clean.url(doc.get("uri_s")),
                    )
                )
        return candidates[:limit]

    def _docs(self, query: str, *, rows: int, fields: Sequence[str]) -> list[dict[str, Any]]:
        data = self.get_json(
            self.search_url,
            {"q": query, "fq": SOFTWARE, "fl": ",".join(fields), "rows": rows, "wt": "json"},
        )
        response = clean.mapping(clean.mapping(data).get("response"))
        docs = response.get("docs")
        if not isinstance(docs, list):
            raise self.error(f"{self.search_url} answered without response.docs")
        return [d for d in docs if isinstance(d, dict)]

    def _record(self, asked: str, doc: dict[str, Any]) -> SourceRecord:
        languages = [clean.text(v) for v in clean.as_list(doc.get("language_s"))]
        version = _first_text(doc.get("softVersion_s"))
        released = parse_datetime(clean.text(doc.get("releasedDate_tdate")))
        return SourceRecord(
            source=self.name,
            external_id=asked,
            url=clean.url(doc.get("uri_s")),
            label=_first_text(doc.get("title_s")),
            description=_first_text(doc.get("abstract_s"), clean.MAX_TEXT),
            language=next((lang for lang in languages if lang in ("fr", "en")), ""),
            repository=next(
                (u for u in map(clean.url, clean.as_list(doc.get("softCodeRepository_s"))) if u), ""
            ),
            licenses=clean.license_ids(clean.as_list(doc.get("licence_s"))),
            latest_version=(
                Version(version, released.date() if released else None) if version else None
            ),
            programming_languages=clean.texts(clean.as_list(doc.get("softProgrammingLanguage_s"))),
            operating_systems=clean.texts(clean.as_list(doc.get("softPlatform_s"))),
            authors=_authors(doc),
            swh_id=next(
                (
                    s
                    for s in map(clean.text, clean.as_list(doc.get("swhidId_s")))
                    if SWHID.fullmatch(s)
                ),
                "",
            ),
            similar=clean.texts(clean.as_list(doc.get("relatedSoftware_s"))),
            raw=clean.storable(doc),
        )


def _is_hal_id(value: str) -> bool:
    return bool(HAL_ID.fullmatch(value)) or (value.isdigit() and len(value) <= DOCID_DIGITS)


def _ids_query(ids: Sequence[str]) -> str:
    """``halId_s:("hal-…" OR …) OR docid:(123 OR …)`` for a batch of both kinds of ids."""
    hal_ids = [f'"{i}"' for i in ids if HAL_ID.fullmatch(i)]
    docids = [i for i in ids if i.isdigit()]
    clauses = []
    if hal_ids:
        clauses.append(f"halId_s:({' OR '.join(hal_ids)})")
    if docids:
        clauses.append(f"docid:({' OR '.join(docids)})")
    return " OR ".join(clauses)


def _asked_as(doc: dict[str, Any], asked: Sequence[str]) -> str:
    """The id among ``asked`` that designates ``doc`` ("" for a document not asked for)."""
    hal_id = clean.text(doc.get("halId_s"))
    if hal_id and hal_id in asked:
        return hal_id
    docid = clean.numeric_id(doc.get("docid"))
    return docid if docid and docid in asked else ""


def _first_text(values: Any, limit: int = clean.MAX_NAME) -> str:
    return next((t for t in (clean.text(v, limit) for v in clean.as_list(values)) if t), "")


def _authors(doc: dict[str, Any]) -> tuple[Author, ...]:
    """Authors in HAL's order, each with their first primary structure as affiliation (else the
    deposit's structure when it names only one)."""
    affiliations: dict[str, str] = {}
    for facet in clean.as_list(doc.get("authIdHasPrimaryStructure_fs")):
        if not isinstance(facet, str) or JOIN_SEP not in facet:
            continue
        person, _, structure = facet.partition(JOIN_SEP)
        name = clean.text(person.partition(FACET_SEP)[2])
        affiliation = clean.text(structure.partition(FACET_SEP)[2])
        if name and affiliation:
            affiliations.setdefault(name, affiliation)
    # Without the per-author facet, a deposit of one structure says where all its authors are.
    structures = clean.texts(clean.as_list(doc.get("structName_s")))
    shared = structures[0] if len(structures) == 1 else ""
    names = clean.texts(clean.as_list(doc.get("authFullName_s")))
    return tuple(Author(name=name, affiliation=affiliations.get(name, shared)) for name in names)
