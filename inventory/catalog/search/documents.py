"""The search document of a catalog entry: its texts, analysed once and stored by weight.

``search_document_build`` is the one definition of what is searched and how much each text
weighs; ``software_search_texts`` gathers an entry's texts for it. Enrichment (Wikidata
descriptions and aliases…) adds its texts to ``SearchTexts`` and to the gatherer, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from inventory.catalog.search.analysis import PART, fold, text_tokens

# Weight classes, strongest first, and how much a word found in each counts in the ranking.
WEIGHTS = {"a": 1.0, "b": 0.7, "c": 0.45, "d": 0.25}


@dataclass(frozen=True)
class SearchTexts:
    """Everything searched for one entry, as plain texts."""

    name: str
    aliases: Sequence[str] = ()  # other names the entry is known by (weight A, like the name)
    function: str = ""
    keywords: Sequence[str] = ()
    categories: Sequence[str] = ()
    descriptions: Sequence[str] = ()  # short descriptions, French and English
    parent_name: str = ""
    proprietary_equivalents: str = ""
    enrichment: Sequence[str] = ()  # texts enrichment adds (descriptions from Wikidata…)
    details: Sequence[str] = ()  # long description, context of use, file formats


@dataclass(frozen=True)
class SearchDocument:
    """Analysed tokens by weight class (space-separated, sorted) and the folded name."""

    name: str
    tokens_a: str
    tokens_b: str
    tokens_c: str
    tokens_d: str


def _tokens(texts: Iterable[str], *, keep_stop_words: bool = False) -> set[str]:
    tokens: set[str] = set()
    for text in texts:
        tokens |= text_tokens(text, keep_stop_words=keep_stop_words)
    return tokens


def _joined(tokens: set[str]) -> str:
    return " ".join(sorted(token for token in tokens if token))


def search_document_build(texts: SearchTexts) -> SearchDocument:
    """The tokens of each weight class; a token is stored in every class it appears in. The
    function and keywords say what an entry does; categories are broad (a category holds a
    dozen entries) and weigh as much as descriptions.

    Names keep their short and common words ("R", "The Gimp") and also count as one word
    without spaces, so "libreoffice" finds "Libre Office" and the reverse."""
    names = [texts.name, *texts.aliases]
    tokens_a = _tokens(names, keep_stop_words=True)
    tokens_a |= {"".join(PART.findall(fold(name))) for name in names}
    return SearchDocument(
        name=" ".join(PART.findall(fold(texts.name))),
        tokens_a=_joined(tokens_a),
        tokens_b=_joined(_tokens([texts.function, *texts.keywords])),
        tokens_c=_joined(
            _tokens(
                [
                    *texts.categories,
                    *texts.descriptions,
                    texts.parent_name,
                    texts.proprietary_equivalents,
                    *texts.enrichment,
                ]
            )
        ),
        tokens_d=_joined(_tokens(texts.details)),
    )


# Texts other domains add to entries (the enrichment: sources' descriptions and aliases), as
# functions of the entry ids (None: all) returning {id: [text, ...]}; registered by their
# apps' ready(), so the catalog imports none of them.
SEARCH_TEXT_EXTENSIONS: list[Callable[[set[int] | None], dict[int, list[str]]]] = []


def extension_texts(software_ids: set[int] | None) -> dict[int, list[str]]:
    """Every registered extension's texts for these entries, in one query each."""
    texts: dict[int, list[str]] = {}
    for extension in SEARCH_TEXT_EXTENSIONS:
        for pk, added in extension(software_ids).items():
            texts.setdefault(pk, []).extend(added)
    return texts


def software_search_texts(software, *, enrichment: Sequence[str] = ()) -> SearchTexts:
    """A catalog entry's texts (categories and parent read through the ORM: prefetch them)."""
    return SearchTexts(
        name=software.name,
        function=software.function,
        keywords=[str(keyword) for keyword in software.keywords or []],
        categories=[category.name for category in software.categories.all()],
        descriptions=[software.description, software.description_en],
        parent_name=software.parent.name if software.parent_id else software.parent_raw,
        proprietary_equivalents=software.proprietary_equivalents,
        enrichment=enrichment,
        details=[software.long_description, software.use_context, software.formats],
    )
