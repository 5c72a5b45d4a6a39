"""Reading a query: its words, spelling corrected against the catalog's own words, and the
needs vocabulary's expressions, as concepts to find (each with its alternatives)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from inventory.catalog.search.analysis import chunks, fold, is_stop_word, word_forms

# A query longer than this many words is cut: the rest cannot change the first results much.
MAX_QUERY_WORDS = 12
# How much a match counts when the catalog's word is not the typed one: a longer word that
# starts with it ("visio" → "visioconférence"), a stem one letter shorter that
# starts it (Snowball stems "vérifier" as "vérifi", "vérification" as "vérif").
PREFIX_MATCH = 0.8
SHORT_PREFIX_MATCH = 0.6
STEM_PREFIX_MATCH = 0.9
MIN_PREFIX = 4
MIN_SURFACE_PREFIX = 3
MIN_STEM_PREFIX = 5
MAX_STEM_CUT = 1
MAX_PREFIX_EXPANSION = 60
# A word of the needs vocabulary is typed when a form is the same, or starts the other and is
# at most two letters shorter (English stems "conference" as "confer", "conferencing" as
# "conferenc").
PHRASE_PREFIX = 6
PHRASE_PREFIX_SLACK = 2
# Spelling correction: only for words the catalog does not know, and only to close words.
MIN_CORRECTED_LENGTH = 4
CORRECTION_CUTOFF = 80
MAX_CORRECTIONS = 3


@dataclass(frozen=True, eq=False)  # compared by identity: a dictionary key hashed often
class Term:
    """One word to find: every form it may take in the stored documents."""

    word: str
    forms: frozenset[str]
    corrected: bool = False


@dataclass(frozen=True)
class Alternative:
    """Words that together say the concept; ``expanded`` when the needs vocabulary added them."""

    terms: tuple[Term, ...]
    expanded: bool = False


@dataclass(frozen=True)
class Concept:
    """A word, or an expression of the needs vocabulary, as typed, with its alternatives."""

    text: str
    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class Query:
    concepts: tuple[Concept, ...]
    # When every word is a common one ("de", "outil"), only names are searched, for them.
    name_words: tuple[str, ...]
    # The words as typed (folded), for the similarity of names.
    text: str

    @property
    def is_empty(self) -> bool:
        return not self.concepts and not self.name_words


def term(word: str) -> Term:
    return Term(word, word_forms(word))


class Vocabulary:
    """Every token of the stored documents and of the needs vocabulary."""

    def __init__(self, tokens: Iterable[str]) -> None:
        self.tokens = frozenset(tokens)
        self._sorted = sorted(self.tokens)

    def _starting_with(self, prefix: str) -> list[str]:
        start = bisect_left(self._sorted, prefix)
        found = []
        for token in self._sorted[start : start + MAX_PREFIX_EXPANSION]:
            if not token.startswith(prefix):
                break
            found.append(token)
        return found

    def matches(self, term: Term) -> dict[str, float]:
        """The stored tokens that stand for ``term``, each with how much a match counts."""
        found: dict[str, float] = {}

        def add(token: str, weight: float) -> None:
            if weight > found.get(token, 0.0):
                found[token] = weight

        for form in term.forms:
            if form in self.tokens:
                add(form, 1.0)
            for length in range(max(MIN_STEM_PREFIX, len(form) - MAX_STEM_CUT), len(form)):
                if form[:length] in self.tokens:
                    add(form[:length], STEM_PREFIX_MATCH)
            minimum = MIN_SURFACE_PREFIX if form == fold(term.word) else MIN_PREFIX
            if len(form) >= minimum:
                weight = PREFIX_MATCH if len(form) >= MIN_STEM_PREFIX else SHORT_PREFIX_MATCH
                for token in self._starting_with(form):
                    add(token, weight)
        return found

    def corrections(self, word: str) -> list[str]:
        """The catalog's words closest to an unknown ``word`` (typos), best first."""
        folded = fold(word)
        if len(folded) < MIN_CORRECTED_LENGTH:
            return []
        found = process.extract(
            folded,
            self._sorted,
            scorer=fuzz.ratio,
            score_cutoff=CORRECTION_CUTOFF,
            limit=MAX_CORRECTIONS,
        )
        return [token for token, _score, _index in found]


def _same_word(forms: frozenset[str], other: frozenset[str]) -> bool:
    if forms & other:
        return True
    for form in forms:
        for candidate in other:
            short, long = sorted((form, candidate), key=len)
            if (
                len(short) >= PHRASE_PREFIX
                and len(long) - len(short) <= PHRASE_PREFIX_SLACK
                and long.startswith(short)
            ):
                return True
    return False


def _phrase(expression: str) -> tuple[str, ...]:
    """An expression as the words a query must contain, in order (common words left out)."""
    words = []
    for parts in chunks(expression):
        joined = "".join(parts).lower()
        if len(joined) > 1 and not is_stop_word(joined):
            words.append(joined)
    return tuple(words)


class Thesaurus:
    """The needs vocabulary: for each expression, the expressions searched along with it."""

    def __init__(self, synonym_sets: Iterable[tuple[list[str], list[str]]]) -> None:
        self.expansions: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
        for terms, related in synonym_sets:
            phrases = [phrase for phrase in map(_phrase, terms) if phrase]
            others = [phrase for phrase in map(_phrase, related) if phrase]
            for phrase in phrases:
                found = self.expansions.setdefault(phrase, set())
                found.update(other for other in [*phrases, *others] if other != phrase)
        # Expressions by the first letters of their first word's forms.
        self._by_start: dict[str, set[tuple[str, ...]]] = {}
        for phrase in self.expansions:
            for form in word_forms(phrase[0]):
                self._by_start.setdefault(form[:PHRASE_PREFIX], set()).add(phrase)

    def words(self) -> set[str]:
        return {word for phrase in self.expansions for word in phrase}

    def tokens(self) -> set[str]:
        return {form for word in self.words() for form in word_forms(word)}

    def longest_match(
        self, terms: list[Term], start: int
    ) -> tuple[int, list[tuple[str, ...]]] | None:
        """The longest expression that the terms from ``start`` spell, with its expansions."""
        candidates = {
            phrase
            for form in terms[start].forms
            for phrase in self._by_start.get(form[:PHRASE_PREFIX], ())
            if len(phrase) <= len(terms) - start
        }
        matching = [
            phrase
            for phrase in candidates
            if all(
                _same_word(word_forms(word), terms[start + offset].forms)
                for offset, word in enumerate(phrase)
            )
        ]
        if not matching:
            return None
        length = max(len(phrase) for phrase in matching)
        expansions: set[tuple[str, ...]] = set()
        for phrase in matching:
            if len(phrase) == length:
                expansions |= self.expansions[phrase]
        return length, sorted(expansions)


def _typed_term(word: str, vocabulary: Vocabulary) -> Term:
    """The word's term; a word the catalog does not know also stands for its closest words."""
    typed = term(word)
    if vocabulary.matches(typed):
        return typed
    corrections = vocabulary.corrections(word)
    if not corrections:
        return typed
    forms = set(typed.forms)
    for correction in corrections:
        forms |= word_forms(correction)
    return Term(word, frozenset(forms), corrected=True)


def query_parse(q: str, *, vocabulary: Vocabulary, thesaurus: Thesaurus) -> Query:
    """The concepts of ``q``: its words (stop words left out), typos corrected, and each
    expression of the needs vocabulary with what it expands to."""
    words: list[tuple[str, list[str]]] = []
    common: list[str] = []
    for parts in list(chunks(q))[:MAX_QUERY_WORDS]:
        joined = "".join(parts).lower()
        if len(joined) > 1 and not is_stop_word(joined):
            kept = [part.lower() for part in parts if len(part) > 1 and not is_stop_word(part)]
            words.append((joined, kept if len(parts) > 1 else []))
        else:
            common.append(fold(joined))
    text = " ".join(fold(joined) for joined, _parts in words) or " ".join(common)
    if not words:
        return Query(concepts=(), name_words=tuple(common), text=text)

    terms = [_typed_term(joined, vocabulary) for joined, _parts in words]
    concepts: list[Concept] = []
    index = 0
    while index < len(terms):
        match = thesaurus.longest_match(terms, index)
        if match is not None:
            length, expansions = match
            typed = Alternative(tuple(terms[index : index + length]))
            alternatives = [typed] + [
                Alternative(tuple(term(word) for word in expansion), expanded=True)
                for expansion in expansions
            ]
        else:
            length = 1
            alternatives = [Alternative((terms[index],))]
            parts = words[index][1]
            if len(parts) > 1:
                alternatives.append(Alternative(tuple(term(part) for part in parts)))
        concept_text = " ".join(joined for joined, _parts in words[index : index + length])
        concepts.append(Concept(concept_text, tuple(alternatives)))
        index += length
    return Query(concepts=tuple(concepts), name_words=(), text=text)
