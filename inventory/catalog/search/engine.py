"""Searching the catalog: the entries of a queryset that answer a query, best first.

PostgreSQL narrows the candidates with the documents' indexes (GIN on the generated
``search_vector``, pg_trgm on the folded name); SQLite, the embedded default, reads every
document of the (small) catalog and compares names with rapidfuzz. Both rank the candidates
with the same code (``ranking.py``), so both answer alike.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, Count, F, FloatField, Max, QuerySet
from django.db.models.expressions import RawSQL
from rapidfuzz import fuzz

from inventory.catalog.models import SearchSynonym, Software, SoftwareSearchDocument
from inventory.catalog.search.analysis import PART, chunks, fold, word_forms
from inventory.catalog.search.query import Query, Thesaurus, Vocabulary, query_parse
from inventory.catalog.search.ranking import Candidate, rank
from inventory.catalog.services.search_documents import software_search_documents_refresh

# pg_trgm's similarity and rapidfuzz's ratio do not share a scale: each has its threshold for
# "this name looks like the query".
POSTGRES_NAME_SIMILARITY_MIN = 0.5
PYTHON_NAME_SIMILARITY_MIN = 0.8
MIN_FUZZY_WORD = 4
DOCUMENT_COLUMNS = ("software_id", "name", "tokens_a", "tokens_b", "tokens_c", "tokens_d")


def search_query_is_valid(q: str) -> bool:
    """A query needs a letter or a digit ("'", "!" or "…" alone search nothing)."""
    return PART.search(q or "") is not None


@dataclass(frozen=True)
class SearchState:
    vocabulary: Vocabulary
    thesaurus: Thesaurus


_state_lock = threading.Lock()
_state: tuple[tuple, SearchState] | None = None


def _search_state() -> SearchState:
    """The catalog's words and the needs vocabulary, rebuilt when either changed (each
    process keeps its own copy; two small aggregate queries tell whether it is current)."""
    global _state
    documents = SoftwareSearchDocument.objects.aggregate(
        changed=Max("updated_at"), count=Count("pk"), last=Max("pk")
    )
    synonyms = SearchSynonym.objects.aggregate(
        changed=Max("updated_at"), count=Count("pk"), last=Max("pk")
    )
    stamp = (*documents.values(), *synonyms.values())
    with _state_lock:
        if _state is not None and _state[0] == stamp:
            return _state[1]
    thesaurus = Thesaurus(
        (synonym.term_list, synonym.related_list) for synonym in SearchSynonym.objects.all()
    )
    tokens = thesaurus.tokens()
    rows = SoftwareSearchDocument.objects.values_list(*DOCUMENT_COLUMNS[2:])
    for row in rows.iterator(chunk_size=2000):
        for text in row:
            tokens.update(text.split())
    state = SearchState(Vocabulary(tokens), thesaurus)
    with _state_lock:
        _state = (stamp, state)
    return state


def _refresh_stale_documents(queryset: QuerySet[Software]) -> None:
    """Entries saved without their document being rebuilt (a direct save, an edit through
    code that does not know about search) get it now, before they are searched."""
    stale = set(
        queryset.exclude(search_document__source_updated_at=F("updated_at")).values_list(
            "pk", flat=True
        )
    )
    if stale:
        software_search_documents_refresh(software_ids=stale)


def _python_name_similarity(text: str, name: str) -> float:
    if not text or not name:
        return 0.0
    best = fuzz.ratio(text.replace(" ", ""), name.replace(" ", ""))
    for word in text.split():
        if len(word) >= MIN_FUZZY_WORD:
            best = max([best, *(fuzz.ratio(word, part) for part in name.split())])
    return best / 100


def _candidate(row: tuple, similarity: float) -> Candidate:
    software_id, name, *texts = row
    return Candidate(
        software_id, name, tuple(frozenset(text.split()) for text in texts), similarity
    )


def _query_tokens(query: Query, vocabulary: Vocabulary) -> set[str]:
    tokens = {form for word in query.name_words for form in word_forms(word)}
    for concept in query.concepts:
        for alternative in concept.alternatives:
            for term in alternative.terms:
                tokens.update(vocabulary.matches(term))
    return tokens


def _candidates_postgres(
    documents: QuerySet, query: Query, vocabulary: Vocabulary
) -> list[Candidate]:
    tokens = sorted(_query_tokens(query, vocabulary))
    # A stored token matches, or the name is similar (pg_trgm's % and <% operators, served by
    # the trigram index). Tokens are letters and digits only (analysis.py): nothing to escape.
    if tokens:
        condition = RawSQL(
            "(search_vector @@ to_tsquery('simple', %s) OR name %% %s OR %s <%% name)",
            [" | ".join(tokens), query.text, query.text],
            output_field=BooleanField(),
        )
    else:
        condition = RawSQL(
            "(name %% %s OR %s <%% name)", [query.text, query.text], output_field=BooleanField()
        )
    rows = (
        documents.filter(condition)
        .annotate(
            similarity=RawSQL(
                "GREATEST(similarity(name, %s), word_similarity(%s, name))",
                [query.text, query.text],
                output_field=FloatField(),
            )
        )
        .values_list(*DOCUMENT_COLUMNS, "similarity")
    )
    return [_candidate(row[:-1], row[-1]) for row in rows]


def software_search(*, queryset: QuerySet[Software], q: str) -> list[int]:
    """The ids of the entries of ``queryset`` that answer ``q``, best first."""
    _refresh_stale_documents(queryset)
    state = _search_state()
    query = query_parse(q, vocabulary=state.vocabulary, thesaurus=state.thesaurus)
    if query.is_empty:
        return []
    documents = SoftwareSearchDocument.objects.filter(software_id__in=queryset.values("pk"))
    if settings.IS_POSTGRES:
        candidates = _candidates_postgres(documents, query, state.vocabulary)
        total = documents.count()
        minimum = POSTGRES_NAME_SIMILARITY_MIN
    else:
        candidates = [
            _candidate(row, _python_name_similarity(query.text, row[1]))
            for row in documents.values_list(*DOCUMENT_COLUMNS)
        ]
        total = len(candidates)
        minimum = PYTHON_NAME_SIMILARITY_MIN
    ranked = rank(
        query,
        vocabulary=state.vocabulary,
        candidates=candidates,
        total=total,
        name_similarity_min=minimum,
    )
    return [entry.software_id for entry in ranked]


def software_names_nearest(*, queryset: QuerySet[Software], q: str, limit: int) -> list[int]:
    """The ids of the entries whose names look most like ``q``, however little."""
    text = " ".join(fold("".join(parts)) for parts in chunks(q))
    if not text:
        return []
    documents = SoftwareSearchDocument.objects.filter(software_id__in=queryset.values("pk"))
    if settings.IS_POSTGRES:
        nearest = (
            documents.annotate(
                similarity=RawSQL(
                    "GREATEST(similarity(name, %s), word_similarity(%s, name))",
                    [text, text],
                    output_field=FloatField(),
                )
            )
            .filter(similarity__gt=0)
            .order_by("-similarity", "name")
            .values_list("software_id", flat=True)[:limit]
        )
        return list(nearest)
    scored = [
        (_python_name_similarity(text, name), name, software_id)
        for software_id, name in documents.values_list("software_id", "name")
    ]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [software_id for similarity, _name, software_id in scored[:limit] if similarity > 0]
