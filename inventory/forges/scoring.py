"""What a repository is stored with to be found and sorted fast: code.gouv.fr's awesome-score
(one rule, evaluated in Python or rendered as SQL) and the folded text searched by words."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# A license the forge could not identify is not "known" for the awesome-score.
UNKNOWN_LICENSES = ("", "NOASSERTION", "OTHER", "NONE")


@dataclass(frozen=True)
class _Test:
    """A condition on one column, as Python and as SQL (``{column}`` is the column reference)."""

    python: Callable[[Any], bool]
    sql: str


_TRUE = _Test(python=bool, sql="{column}")
_BLANK = _Test(python=lambda value: not (value or "").strip(), sql="TRIM({column}) = ''")
_UNKNOWN_LICENSES_SQL = ", ".join(f"'{name}'" for name in UNKNOWN_LICENSES)
_KNOWN_LICENSE = _Test(
    python=lambda value: (value or "").strip().upper() not in UNKNOWN_LICENSES,
    sql="UPPER(TRIM({column})) NOT IN (" + _UNKNOWN_LICENSES_SQL + ")",
)

# code.gouv.fr's awesome-score, the one definition: points per condition, then for forks and
# subscribers the points of the highest tier passed ("more than N").
POINTS = (
    ("license_spdx", _KNOWN_LICENSE, 1000),
    ("is_template", _TRUE, 1000),
    ("has_publiccode", _TRUE, 1000),
    ("has_readme", _TRUE, 100),
    ("has_contributing", _TRUE, 100),
    ("has_changelog", _TRUE, 10),
    ("description", _BLANK, -100),
    ("is_archived", _TRUE, -1000),
    ("is_fork", _TRUE, -1000),
)
TIERED = ("forks", "subscribers")
TIERS = ((100, 1000), (10, 100), (1, 10))

SCORE_FIELDS = tuple(name for name, _test, _points in POINTS) + TIERED


def awesome_score(values: Mapping[str, Any]) -> int:
    """The score of a repository given as its column values (a dict, or a row's fields)."""
    score = sum(points for name, test, points in POINTS if test.python(values[name]))
    for name in TIERED:
        count = values[name] or 0
        score += next((points for above, points in TIERS if count > above), 0)
    return score


def awesome_score_sql(column: Callable[[str], str] = lambda name: name) -> str:
    """The same rule as one SQL expression (PostgreSQL and SQLite); ``column`` gives the SQL
    reference of a field (by default its bare name: the model's column names are its fields')."""
    terms = [
        f"CASE WHEN {test.sql.format(column=column(name))} THEN {points} ELSE 0 END"
        for name, test, points in POINTS
    ]
    for name in TIERED:
        reference = f"COALESCE({column(name)}, 0)"
        tiers = " ".join(f"WHEN {reference} > {above} THEN {points}" for above, points in TIERS)
        terms.append(f"CASE {tiers} ELSE 0 END")
    return "(" + " + ".join(terms) + ")"


# The stored words of the search document (PostgreSQL): the parser keeps "open-data" and its
# parts "open" and "data"; "simple" neither stems nor drops a word.
SEARCH_CONFIG = "simple"
SEARCH_VECTOR_SQL = f"to_tsvector('{SEARCH_CONFIG}'::regconfig, search_document)"


# The combining marks (of the Basic Multilingual Plane), dropped by str.translate in C: folding
# a crawl's descriptions char by char in Python cost more than storing them.
_COMBINING = {point: None for point in range(0x10000) if unicodedata.combining(chr(point))}


def fold(text: str) -> str:
    """Lower-case, accents stripped: what searches compare ("Données" and "donnees" match)."""
    text = text or ""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKD", text).translate(_COMBINING).casefold()


def search_document(*, owner: str, name: str, description: str, topics: Iterable[str]) -> str:
    """The text searched by words: owner, name, description and topics, folded.

    The owner and the name are given apart, as words: the full name's slash would make the
    database's parser take "etalab/udata" for one file-path word.
    """
    return fold(" ".join([owner.replace("/", " "), name, description, " ".join(topics)]))
