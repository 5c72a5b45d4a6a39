"""What a repository's root tells: which well-known files it has, and its parsed publiccode.yml."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from typing import Any

import yaml

from crawlers.manifests import read_manifests
from crawlers.records import RepositoryDetails, RootFiles

PUBLICCODE_NAMES = ("publiccode.yml", "publiccode.yaml")
MAX_PUBLICCODE_BYTES = 1_000_000
MAX_VALUES = 100_000  # YAML aliases can expand a small file into billions of values

_PATTERNS = {
    "readme": re.compile(r"readme(\..*)?", re.IGNORECASE),
    "license": re.compile(r"(licen[cs]es?|copying)([.\-_].*)?", re.IGNORECASE),
    "contributing": re.compile(r"contributing(\..*)?", re.IGNORECASE),
    "changelog": re.compile(r"(changelog|changes|history)(\..*)?", re.IGNORECASE),
}


def root_files(names: Iterable[str]) -> RootFiles:
    """Classify the file names of a root listing (case-insensitive)."""
    found = dict.fromkeys((*_PATTERNS, "publiccode"), False)
    for name in names:
        if name.lower() in PUBLICCODE_NAMES:
            found["publiccode"] = True
        for kind, pattern in _PATTERNS.items():
            if pattern.fullmatch(name):
                found[kind] = True
    return RootFiles(**found)


def publiccode_name(names: Iterable[str]) -> str:
    """The root's publiccode file name as spelt in the repository ("" when there is none)."""
    by_lower = {name.lower(): name for name in names}
    return next((by_lower[n] for n in PUBLICCODE_NAMES if n in by_lower), "")


class _Loader(yaml.SafeLoader):
    """safe_load without timestamp conversion: dates stay text, so the result is plain JSON."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def decode_text(content: bytes) -> str:
    """File bytes as text (UTF-8, a BOM dropped, undecodable bytes replaced, no NUL)."""
    return content.decode("utf-8-sig", errors="replace").replace("\x00", "")


def parse_publiccode(text: str) -> tuple[dict[str, Any] | None, str]:
    """(parsed mapping, "") or (None, the reason it cannot be used); never raises."""
    if len(text.encode()) > MAX_PUBLICCODE_BYTES:
        return None, f"publiccode.yml is larger than {MAX_PUBLICCODE_BYTES} bytes"
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        return None, f"publiccode.yml is not valid YAML: {' '.join(str(exc).split())}"
    except (ValueError, RecursionError) as exc:
        return None, f"publiccode.yml cannot be read: {exc}"
    if not isinstance(data, dict):
        return None, f"publiccode.yml should be a mapping, not {type(data).__name__}"
    try:
        return _plain(data, [MAX_VALUES]), ""
    except (OverflowError, RecursionError) as exc:
        return None, f"publiccode.yml cannot be stored: {exc}"


def _plain(value: Any, budget: list[int]) -> Any:
    """Mapping keys as text and only JSON-storable values (no NaN, no bytes, no sets)."""
    budget[0] -= 1
    if budget[0] < 0:
        raise OverflowError(f"more than {MAX_VALUES} values once aliases are expanded")
    if isinstance(value, dict):
        return {str(key): _plain(item, budget) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item, budget) for item in value]
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, bytes):
        return decode_text(value)
    return str(value)


def _no_file(name: str) -> bytes | None:
    """The ``read`` of a repository whose files cannot be read."""
    return None


def repository_details(
    entries: Iterable[tuple[str, bool]] | None,
    read: Callable[[str], bytes | None] = _no_file,
    *,
    manifests: bool = False,
    **extra: Any,
) -> RepositoryDetails:
    """Details from a root listing of (name, is_folder) pairs (None: no listing, empty repository).

    ``read`` fetches a root file's bytes (None when the forge would not give it): it is called
    for publiccode.yml when the listing shows one and, with ``manifests``, for the manifests
    and lock files it shows. ``extra`` fills the other RepositoryDetails fields (license,
    languages).
    """
    if entries is None:
        return RepositoryDetails(**extra, manifests=() if manifests else None)
    entries = list(entries)
    if manifests:
        files = [n for n, is_folder in entries if not is_folder]
        extra["manifests"], extra["dependencies"] = read_manifests(files, read)
    name = publiccode_name(n for n, is_folder in entries if not is_folder)
    text, parsed, error = "", None, ""
    if name:
        content = read(name)
        if content is None:
            error = f"{name} is listed in the root but the forge did not give its content"
        elif len(content) > MAX_PUBLICCODE_BYTES:
            error = f"{name} is larger than {MAX_PUBLICCODE_BYTES} bytes"
        else:
            text = decode_text(content)
            parsed, error = parse_publiccode(text)
    return RepositoryDetails(
        root_files=root_files(n for n, _ in entries),
        publiccode_text=text,
        publiccode=parsed,
        publiccode_error=error,
        **extra,
    )
