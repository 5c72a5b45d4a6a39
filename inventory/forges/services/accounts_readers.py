"""Reading accounts registry files: their text, YAML with each key's line, and field values.

Three formats exist (``FORMATS``): code.gouv.fr's current forge-keyed
``comptes-organismes-publics.yml``, its 2024 URL-keyed predecessor, and our CSV (``CSV_COLUMNS``).
``accounts_plans`` turns what is read here into a plan of forges and accounts; ``accounts_writers``
stores it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from crawlers.normalize import MAX_URL_LENGTH
from inventory.core.exceptions import ApplicationError
from inventory.core.weburls import validate_web_url
from inventory.organisations.services import pso_id_normalise

FORMAT_CURRENT = "current"
FORMAT_URL_KEYED = "url-keyed"
FORMAT_CSV = "csv"
FORMATS = (FORMAT_CURRENT, FORMAT_URL_KEYED, FORMAT_CSV)
CSV_COLUMNS = [
    "forge_host",
    "forge_kind",
    "login",
    "kind",
    "pso_id",
    "organisation_name",
    "floss_policy",
    "ospo_url",
    "ignored_since",
]
_URL_VALIDATOR = URLValidator(schemes=["http", "https"])
# What each forge itself accepts as an owner's login (a crawl of anything else would ask the
# forge for a path it cannot have, or for another one). GitHub: letters, digits and single
# inner hyphens, 39 at most. GitLab: a path of segments of letters, digits, _ . -, not starting
# with -, not ending with . .git or .atom. Gitea: letters, digits, _ . -, starting with a letter
# or digit, 40 at most (Gogs: 35). SourceHut: ~ then lower-case letters, digits, _ -.
_LOGIN_RULES: dict[str, tuple[re.Pattern[str], str]] = {
    "github": (
        re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}"),
        "letters, digits and single hyphens inside, 39 at most",
    ),
    "gitlab": (
        re.compile(
            r"{0}(?:/{0})*".format(r"[A-Za-z0-9_.][A-Za-z0-9_.-]*(?<!\.)(?<!\.git)(?<!\.atom)")
        ),
        "segments of letters, digits, _ . -, not starting with - nor ending with . .git .atom",
    ),
    "gitea": (
        re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}"),
        "letters, digits, _ . -, starting with a letter or digit, 40 at most",
    ),
    "gogs": (
        re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,34}"),
        "letters, digits, _ . -, starting with a letter or digit, 35 at most",
    ),
    "sourcehut": (re.compile(r"~?[a-z_][a-z0-9_-]*"), "~, then lower-case letters, digits, _ -"),
}


@dataclass(frozen=True)
class Problem:
    """Something wrong in an input file, and where: ``file:line (key path)``."""

    location: str
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


def source_read(source: str | Path) -> tuple[str, str]:
    """(text, name) of a path or of the text itself."""
    if isinstance(source, str) and ("\n" in source or not Path(source).is_file()):
        return source, "<text>"
    path = Path(source)
    try:
        return path.read_bytes().decode("utf-8-sig"), path.name
    except OSError as error:
        raise ApplicationError(
            f"{path.name}: cannot be read ({error.strerror or error})."
        ) from error
    except UnicodeDecodeError as error:
        raise ApplicationError(
            f"{path.name}: not a YAML or CSV accounts file (not UTF-8 text)."
        ) from error


# --- Reading YAML with locations ----------------------------------------------------------------


class LocatedMapping(dict):
    """A YAML mapping that remembers each key's line and the keys given twice (first value kept)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int] = {}
        self.duplicates: list[tuple[Any, int, Any]] = []


class _RegistryLoader(yaml.SafeLoader):
    """Safe YAML with key lines; a malformed date stays text, so its entry is rejected, not the file."""

    line_offset = 0


def _construct_mapping(loader: _RegistryLoader, node: yaml.MappingNode) -> LocatedMapping:
    loader.flatten_mapping(node)
    mapping = LocatedMapping()
    for key_node, value_node in node.value:
        # Keys are hosts, URLs, logins and field names: kept as written, so that an owner called
        # "no" or "2024" is not read as a boolean or a number.
        if isinstance(key_node, yaml.ScalarNode):
            key = loader.construct_scalar(key_node)
        else:
            key = str(loader.construct_object(key_node, deep=True))
        value = loader.construct_object(value_node, deep=True)
        line = key_node.start_mark.line + 1 + loader.line_offset
        if key in mapping:
            mapping.duplicates.append((key, line, value))
        else:
            mapping[key] = value
            mapping.lines[key] = line
    return mapping


def _construct_timestamp(loader: _RegistryLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_RegistryLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_RegistryLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _yaml_parse(text: str, line_offset: int = 0) -> Any:
    loader = _RegistryLoader(text)
    loader.line_offset = line_offset
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _yaml_error_line(error: yaml.YAMLError, line_offset: int = 0) -> int | None:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line + 1 + line_offset if mark is not None else None


def yaml_read(text: str, name: str) -> tuple[LocatedMapping, list[Problem]]:
    """The top-level mapping of a registry file. When the file is not valid YAML as a whole
    (a truncated or hand-broken file), each top-level entry is read on its own, so one broken
    entry costs only itself; the entries that cannot be read are returned as problems."""
    try:
        try:
            data = _yaml_parse(text)
        except yaml.YAMLError as error:
            return _yaml_read_by_entry(text, name, error)
    except RecursionError:
        # [[[[… nested past Python's recursion limit: no registry is written so.
        raise ApplicationError(
            f"{name}: not an accounts registry (YAML nested too deeply)."
        ) from None
    if not isinstance(data, dict):
        raise ApplicationError(
            f"{name}: not an accounts registry: expected forge hosts or account URLs as top-level keys."
        )
    return data, []


def _yaml_read_by_entry(
    text: str, name: str, error: yaml.YAMLError
) -> tuple[LocatedMapping, list[Problem]]:
    lines = text.splitlines(keepends=True)
    starts = [
        index
        for index, line in enumerate(lines)
        if line[:1] not in ("", " ", "\t", "#", "\r", "\n")
    ]
    merged, problems = LocatedMapping(), []
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        try:
            block = _yaml_parse("".join(lines[start:end]), start)
        except yaml.YAMLError as block_error:
            line = _yaml_error_line(block_error, start) or start + 1
            reason = getattr(block_error, "problem", None) or str(block_error)
            problems.append(
                Problem(f"{name}:{line}", f"invalid YAML ({reason}); this entry is skipped")
            )
            continue
        if not isinstance(block, dict):
            problems.append(Problem(f"{name}:{start + 1}", "not a `key: value` entry; skipped"))
            continue
        for key, value in block.items():
            if key in merged:
                merged.duplicates.append((key, block.lines[key], value))
            else:
                merged[key], merged.lines[key] = value, block.lines[key]
        merged.duplicates.extend(block.duplicates)
    if not merged:
        line = _yaml_error_line(error)
        where = f"{name}:{line}" if line else name
        raise ApplicationError(
            f"{where}: not a YAML or CSV accounts file ({getattr(error, 'problem', error)})."
        )
    return merged, problems


@dataclass
class Fields:
    """What an entry says of itself, validated. ``pso_id`` None: not given; "": unknown."""

    pso_id: str | None = None
    organisation_name: str = ""
    ministry_pso_ids: tuple[str, ...] = ()
    ignored_since: dt.date | None = None
    floss_policy: str = ""
    ospo_url: str = ""


def login_check(login: str, forge_kind: str) -> str:
    """``login`` (already through ``login_normalise``) when ``forge_kind``'s own rules accept
    it, else ValueError saying which rule; "" (a whole instance) passes."""
    rule = _LOGIN_RULES.get(forge_kind)
    if login and rule is not None and not rule[0].fullmatch(login):
        raise ValueError(f"{login!r} is not a {forge_kind} login ({rule[1]})")
    return login


def location_label(name: str, line: int | None, path: str) -> str:
    return f"{name}:{line} ({path})" if line else f"{name} ({path})"


def _as_list(value: Any) -> list:
    """A field's values: the 2024 format writes lists, where an empty item (``-``) means none."""
    values = list(value) if isinstance(value, list | tuple) else [value]
    return [item for item in values if item is not None and item != ""]


def _single(value: Any, key: str) -> Any:
    values = _as_list(value)
    if len(values) > 1:
        raise ValueError(f"{key}: one value expected, got {len(values)}")
    return values[0] if values else None


def _date_read(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"ignored_since: {value!r} is not a date (YYYY-MM-DD)") from None


def _url_read(value: Any, key: str) -> str:
    if value is None:
        return ""
    url = str(value).strip()
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(f"{key}: URL longer than {MAX_URL_LENGTH} characters")
    try:
        _URL_VALIDATOR(url)
        validate_web_url(url)
    except ValidationError:
        raise ValueError(f"{key}: {value!r} is not an http(s) URL") from None
    return url


def fields_read(raw: Mapping) -> Fields:
    """Validate an entry's fields (pso_id and service_of may be lists, as in the 2024 format)."""
    values = [pso_id_normalise(value) for value in _as_list(raw.get("pso_id"))]
    known = [(index, pso_id) for index, pso_id in enumerate(values) if pso_id]
    names = [str(name).strip() for name in _as_list(raw.get("service_of")) if str(name).strip()]
    name = ""
    if known and len(names) == len(values):
        name = names[known[0][0]]
    elif known and len(values) == 1 and names:
        name = names[0]
    return Fields(
        pso_id=(known[0][1] if known else "") if values else None,
        organisation_name=name,
        ministry_pso_ids=tuple(pso_id for _, pso_id in known[1:]),
        ignored_since=_date_read(_single(raw.get("ignored_since"), "ignored_since")),
        floss_policy=_url_read(_single(raw.get("floss_policy"), "floss_policy"), "floss_policy"),
        ospo_url=_url_read(_single(raw.get("ospo_url"), "ospo_url"), "ospo_url"),
    )
