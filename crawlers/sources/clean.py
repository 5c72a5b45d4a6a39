"""Every value a source sends is hostile: plain, bounded text and http(s) URLs only."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from crawlers.normalize import as_text, license_spdx, web_url

MAX_NAME = 200  # labels, names, version numbers, identifiers
MAX_TEXT = 2000  # descriptions
MAX_ITEMS = 50  # aliases, developers, providers... per record

# Line breaks survive in descriptions (as one space), every other control or format character
# (NUL, escapes, bidirectional overrides, zero-width characters) is dropped.
_SPACES = re.compile(r"\s+")


def _visible(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn")


def text(value: Any, limit: int = MAX_NAME) -> str:
    """``value`` as one line of plain text, at most ``limit`` characters ("" for non-strings)."""
    raw = as_text(value)
    if not raw:
        return ""
    cleaned = _SPACES.sub(" ", "".join(c for c in raw if _visible(c))).strip()
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned


def url(value: Any) -> str:
    """An absolute http(s) URL or "" (``javascript:``, relative, over-long, credentials...)."""
    return web_url(value)


def as_list(value: Any) -> list[Any]:
    """A JSON field that should be a list: a lone value becomes a list of one, None empty."""
    if isinstance(value, list):
        return value
    if value is None or value == "":
        return []
    return [value]


def texts(values: Iterable[Any], limit: int = MAX_NAME) -> tuple[str, ...]:
    """Cleaned, non-empty, de-duplicated texts in order, at most MAX_ITEMS."""
    seen: dict[str, None] = {}
    for value in values:
        cleaned = text(value, limit)
        if cleaned and cleaned.casefold() not in {s.casefold() for s in seen}:
            seen[cleaned] = None
        if len(seen) >= MAX_ITEMS:
            break
    return tuple(seen)


def license_ids(values: Iterable[Any]) -> tuple[str, ...]:
    """SPDX ids where the text maps to one, else the cleaned text itself."""
    return texts(license_spdx(text(v)) or text(v) for v in values)


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def numeric_id(value: Any) -> str:
    """A JSON number or digit string as the id text ("" for anything else, booleans included)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return ""
    text = str(value).strip()
    return text if text.isdigit() and len(text) <= MAX_NAME else ""


def storable(value: Any) -> Any:
    """A JSON answer that PostgreSQL's jsonb takes: NUL characters dropped from every string."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {storable(str(k)): storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [storable(v) for v in value]
    return value
