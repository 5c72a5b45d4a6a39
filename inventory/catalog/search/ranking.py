"""Ranking candidates for a query: entries with every concept first, then the others by how
much of the query they match and where (rare words weigh more than common ones, a name more
than a description), then entries whose name only looks like the query.

Plain Python over the stored tokens, the same on every database: PostgreSQL only narrows the
candidates through its indexes, SQLite hands them all over.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from inventory.catalog.search.documents import WEIGHTS
from inventory.catalog.search.query import Alternative, Concept, Query, Term, Vocabulary

FIELD_WEIGHTS = tuple(WEIGHTS.values())
# A word found in several texts of an entry counts a little more than in one.
OTHER_FIELDS_BONUS = 0.1
CORRECTED = 0.8  # a word matched only after a spelling correction
EXPANDED = 0.6  # an expression the needs vocabulary added, not the typed one
SCATTERED = 0.8  # typed words found in different texts of an entry, not together in one
# An entry that says the need in several ways (groupware, shared calendar) counts a little more.
OTHER_ALTERNATIVES_BONUS = 0.1
MAX_ALTERNATIVES_BONUS = 0.3
# Entries matching less than this share of the best entry's coverage are left out: with
# "logiciel de scan de documents", the many entries about documents do not bury the scanner.
RELATIVE_CUT = 0.4


@dataclass(frozen=True)
class Candidate:
    """An entry that may answer: its stored tokens by weight class and its name's similarity
    to the query (0 to 1, from pg_trgm or rapidfuzz)."""

    software_id: int
    name: str
    fields: tuple[frozenset[str], ...]
    name_similarity: float = 0.0

    @cached_property
    def tokens(self) -> frozenset[str]:
        return frozenset().union(*self.fields)


@dataclass(frozen=True)
class Ranked:
    software_id: int
    name: str
    coverage: float
    strength: float
    name_similarity: float


@dataclass(frozen=True)
class _Found:
    """Where a term was found in one candidate: its score in each weight class (0: absent)."""

    by_field: tuple[float, ...]
    corrected: bool

    @property
    def score(self) -> float:
        """Its best field, plus a little for each other field it is also in."""
        best = max(self.by_field)
        if not best:
            return 0.0
        score = best + OTHER_FIELDS_BONUS * (sum(self.by_field) - best)
        return score * (CORRECTED if self.corrected else 1.0)

    def in_field(self, index: int) -> float:
        return self.by_field[index] * (CORRECTED if self.corrected else 1.0)


NOT_FOUND = _Found((0.0,) * len(FIELD_WEIGHTS), False)


def _found(
    term: Term, matches: dict[str, float], tokens: frozenset[str], candidate: Candidate
) -> _Found:
    hits = tokens & candidate.tokens
    if not hits:
        return NOT_FOUND
    return _Found(
        tuple(
            weight * max((matches[token] for token in hits & field), default=0)
            for weight, field in zip(FIELD_WEIGHTS, candidate.fields, strict=True)
        ),
        term.corrected,
    )


def _idf(document_frequency: int, total: int) -> float:
    return math.log(1 + (total - document_frequency + 0.5) / (document_frequency + 0.5))


def _alternative_match(
    alternative: Alternative, found: dict[Term, _Found], idf: dict[Term, float]
) -> tuple[float, float]:
    """(coverage, strength) of one alternative: the share of its words found (by rarity) and
    how well. Typed words count more together in one text than scattered; an expression the
    needs vocabulary adds counts only whole and in one text ("suite collaborative" is neither
    "suite" alone nor "office suite" in one text and "collaborative" in another)."""
    total = sum(idf[t] for t in alternative.terms) or 1.0
    if alternative.expanded:
        if any(found[t] is NOT_FOUND for t in alternative.terms):
            return 0.0, 0.0
        strength = _in_one_field(alternative, found, idf, total)
        coverage = 1.0 if strength else 0.0
    else:
        scores = [(idf[t], found[t].score) for t in alternative.terms]
        coverage = sum(w for w, s in scores if s > 0) / total
        strength = sum(w * s for w, s in scores) / total
        if len(alternative.terms) > 1:
            strength = max(SCATTERED * strength, _in_one_field(alternative, found, idf, total))
    return coverage, strength * (EXPANDED if alternative.expanded else 1.0)


def _in_one_field(
    alternative: Alternative, found: dict[Term, _Found], idf: dict[Term, float], total: float
) -> float:
    """The strength of an alternative whose words all stand in one text (0 otherwise)."""
    strength = 0.0
    for field in range(len(FIELD_WEIGHTS)):
        in_field = [(idf[t], found[t].in_field(field)) for t in alternative.terms]
        if all(s > 0 for _w, s in in_field):
            strength = max(strength, sum(w * s for w, s in in_field) / total)
    return strength


def _concept_match(
    concept: Concept, found: dict[Term, _Found], idf: dict[Term, float]
) -> tuple[float, float]:
    matches = [_alternative_match(a, found, idf) for a in concept.alternatives]
    coverage = max(coverage for coverage, _strength in matches)
    strengths = [strength for _coverage, strength in matches if strength]
    best = max(strengths, default=0.0)
    bonus = min(OTHER_ALTERNATIVES_BONUS * (sum(strengths) - best), MAX_ALTERNATIVES_BONUS)
    return coverage, best + bonus


def rank(
    query: Query,
    *,
    vocabulary: Vocabulary,
    candidates: Sequence[Candidate],
    total: int,
    name_similarity_min: float,
) -> list[Ranked]:
    """The candidates that answer ``query``, best first. ``total`` is the number of entries
    searched (for the rarity of words); names at least ``name_similarity_min`` similar to the
    query are results even without a matching word."""
    if query.name_words:
        wanted = set(query.name_words)
        ranked = [
            Ranked(c.software_id, c.name, 1.0, 1.0, c.name_similarity)
            for c in candidates
            if wanted <= c.fields[0]
        ]
        return sorted(ranked, key=_sort_key)

    terms = {t for concept in query.concepts for alt in concept.alternatives for t in alt.terms}
    matches = {t: vocabulary.matches(t) for t in terms}
    match_tokens = {t: frozenset(matches[t]) for t in terms}
    # Entries with none of the words are not ranked (SQLite hands every entry over).
    wanted = frozenset().union(*match_tokens.values())
    candidates = [
        c for c in candidates if c.name_similarity >= name_similarity_min or wanted & c.tokens
    ]
    # The same word often stands in several alternatives: each is looked up once.
    distinct: dict[tuple, list[Term]] = {}
    for t in terms:
        distinct.setdefault((t.forms, t.corrected), []).append(t)
    found = []
    for candidate in candidates:
        per_term = {}
        for same in distinct.values():
            first = same[0]
            result = _found(first, matches[first], match_tokens[first], candidate)
            per_term.update(dict.fromkeys(same, result))
        found.append(per_term)
    total = max(total, len(candidates))
    idf = {t: _idf(sum(1 for f in found if f[t].score > 0), total) for t in terms}
    weights = [
        sum(idf[t] for t in c.alternatives[0].terms) / len(c.alternatives[0].terms)
        for c in query.concepts
    ]
    weight_sum = sum(weights) or 1.0

    ranked = []
    for candidate, candidate_found in zip(candidates, found, strict=True):
        coverage = strength = 0.0
        for concept, weight in zip(query.concepts, weights, strict=True):
            concept_coverage, concept_strength = _concept_match(concept, candidate_found, idf)
            coverage += weight * concept_coverage
            strength += weight * concept_strength
        ranked.append(
            Ranked(
                candidate.software_id,
                candidate.name,
                round(coverage / weight_sum, 3),
                strength / weight_sum,
                candidate.name_similarity,
            )
        )

    best = max((r.coverage for r in ranked), default=0.0)
    kept = [
        r
        for r in ranked
        if (r.coverage > 0 and r.coverage >= RELATIVE_CUT * best)
        or r.name_similarity >= name_similarity_min
    ]
    return sorted(kept, key=_sort_key)


def _sort_key(ranked: Ranked) -> tuple:
    return (
        ranked.coverage < 1,
        -round(ranked.strength, 6),
        -ranked.coverage,
        -ranked.name_similarity,
        ranked.name,
        ranked.software_id,
    )
