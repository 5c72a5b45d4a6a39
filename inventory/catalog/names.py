"""Comparing software names: the same name whatever its case, accents, spaces or punctuation,
and names near enough to be the same software mistyped."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from rapidfuzz import fuzz, process

# Keys at least this long compare by similarity (shorter ones, "Pix" or "Pia", only when equal).
NEAR_MIN_LENGTH = 6
# Similarity (0-100) from which two keys are one software mistyped: "libreofice" and
# "libreoffice" score 95; "nextcloud" and "owncloud" 82.
NEAR_SCORE = 90
# From which a typed name is worth suggesting an entry ("libre" for LibreOffice).
SUGGEST_SCORE = 75


def name_key(name: str) -> str:
    """Lower-case letters and digits only, accents removed: "Libre Office", "libreoffice" and
    "LíbreOffice!" have one key."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(
        char for char in decomposed.casefold() if char.isalnum() and not unicodedata.combining(char)
    )


def names_are_near(key: str, other: str) -> bool:
    """The same key, or two long keys one typo apart."""
    if not key or not other:
        return False
    if key == other:
        return True
    if min(len(key), len(other)) < NEAR_MIN_LENGTH:
        return False
    return fuzz.ratio(key, other) >= NEAR_SCORE


def names_suggested(typed: str, keys: Iterable[tuple[int, str]], *, limit: int) -> list[int]:
    """Ids whose key the typed name starts, contains or nearly matches, best first."""
    key = name_key(typed)
    if len(key) < 2:
        return []
    choices = dict(keys)
    matches = process.extract(
        key, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=SUGGEST_SCORE
    )
    return [pk for _key, _score, pk in matches]
