"""What the GraphQL detail fetchers share: which root files to ask for, and details from answers."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from crawlers.manifests import FIXED_NAMES, manifest_names
from crawlers.publiccode import PUBLICCODE_NAMES, publiccode_name, repository_details
from crawlers.records import RepositoryDetails


def literal(text: str) -> str:
    """``text`` as a GraphQL string literal (JSON's escapes are GraphQL's)."""
    return json.dumps(text, ensure_ascii=True)


def prefetched_names(*, manifests: bool) -> tuple[str, ...]:
    """The root files a first query asks for before it knows the root: publiccode.yml and,
    with manifests, their usual names."""
    return PUBLICCODE_NAMES + (FIXED_NAMES if manifests else ())


def files_to_read(entries: Iterable[tuple[str, bool]], *, manifests: bool) -> list[str]:
    """The root files the details read: publiccode.yml and, with manifests, the manifests."""
    files = [name for name, is_folder in entries if not is_folder]
    wanted = [publiccode_name(files)] if publiccode_name(files) else []
    return wanted + (manifest_names(files) if manifests else [])


def missing_files(
    entries: list[tuple[str, bool]], texts: Mapping[str, Any], *, manifests: bool
) -> list[str]:
    """Root files the details read that the first query did not bring (other spellings,
    requirements-dev.txt, *.csproj): a second query asks for them."""
    return [name for name in files_to_read(entries, manifests=manifests) if name not in texts]


def details_from(
    entries: list[tuple[str, bool]] | None,
    texts: Mapping[str, str | None],
    *,
    manifests: bool,
    **extra: Any,
) -> RepositoryDetails:
    """Details from a root listing and the text of its files (None: not given, binary or
    truncated by the forge), as ``repository_details`` makes them from REST answers."""

    def read(name: str) -> bytes | None:
        text = texts.get(name)
        return None if text is None else text.encode()

    return repository_details(entries, read, manifests=manifests, **extra)
