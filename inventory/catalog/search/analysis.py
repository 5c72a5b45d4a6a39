"""Text analysis shared by the search documents and the queries: words, accent folding, stop
words, and French and English Snowball stems (plain Python, the same on every database)."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import snowballstemmer

from inventory.catalog.search.stopwords import STOP_WORDS

# A chunk is a run of letters and digits, possibly joined by hyphens or dots ("e-learning",
# "Node.js"); its parts are searched alone and joined.
CHUNK = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*")
PART = re.compile(r"[^\W_]+")
# Longer "words" are identifiers, hashes or garbage: not worth stemming or storing.
MAX_WORD_LENGTH = 40

_local = threading.local()


def fold(text: str) -> str:
    """Lower-case and strip accents: "Éditeur" and "editeur" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _stemmers() -> tuple:
    # Snowball stemmers keep state while stemming: one pair per thread.
    if not hasattr(_local, "stemmers"):
        _local.stemmers = (snowballstemmer.stemmer("french"), snowballstemmer.stemmer("english"))
    return _local.stemmers


@lru_cache(maxsize=65536)
def word_forms(word: str) -> frozenset[str]:
    """The accent-folded word and its French and English stems, stemmed with and without its
    accents (Snowball stems "accessibilité" and "accessibilite" differently)."""
    word = word.lower()
    folded = _letters_and_digits(fold(word))
    forms = {folded}
    for stemmer in _stemmers():
        forms.add(_letters_and_digits(fold(stemmer.stemWord(word))))
        forms.add(stemmer.stemWord(folded))
    return frozenset(form for form in forms if form)


def _letters_and_digits(text: str) -> str:
    # Folding may leave signs ("½" becomes "1⁄2"): tokens are letters and digits only, which
    # also keeps them inert in a PostgreSQL tsquery.
    return "".join(char for char in text if char.isalnum())


def is_stop_word(word: str) -> bool:
    return fold(word) in STOP_WORDS


def _camel_parts(part: str) -> list[str]:
    """ "LibreOffice" → Libre, Office; "7zip" → 7, zip; "NVDA" stays whole."""
    pieces, start = [], 0
    for index in range(1, len(part)):
        before, here = part[index - 1], part[index]
        if (before.islower() and here.isupper()) or (before.isalpha() != here.isalpha()):
            pieces.append(part[start:index])
            start = index
    pieces.append(part[start:])
    return pieces


def chunks(text: str) -> Iterator[list[str]]:
    """Each chunk of ``text`` as its parts, in their original case."""
    for match in CHUNK.finditer(text or ""):
        parts = [part for part in PART.findall(match.group()) if len(part) <= MAX_WORD_LENGTH]
        if parts:
            yield parts


def text_words(text: str, *, keep_stop_words: bool = False) -> Iterator[str]:
    """The words of a catalog text, lower-cased: every part, its camel-case pieces, and the
    parts of a hyphenated or dotted chunk joined ("micro-blogging" → micro, blogging,
    microblogging). Stop words and one-character words are left out unless kept."""
    for parts in chunks(text):
        words = []
        for part in parts:
            words.append(part)
            pieces = _camel_parts(part)
            if len(pieces) > 1:
                words.extend(pieces)
        if len(parts) > 1:
            words.append("".join(parts))
        for word in words:
            if keep_stop_words or (len(word) > 1 and not is_stop_word(word)):
                yield word.lower()


def text_tokens(text: str, *, keep_stop_words: bool = False) -> set[str]:
    """Every form of every word of ``text``: what a search document stores."""
    tokens: set[str] = set()
    for word in text_words(text, keep_stop_words=keep_stop_words):
        tokens |= word_forms(word)
    return tokens
