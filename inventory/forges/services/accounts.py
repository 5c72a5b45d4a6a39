"""The registry of forge accounts: import and export of code.gouv.fr's lists and of our CSV, proposals.

Three formats are read, detected from the content: code.gouv.fr's current forge-keyed
``comptes-organismes-publics.yml``, its 2024 URL-keyed predecessor, and our CSV (``CSV_COLUMNS``).
A forge listed without owners is crawled whole (one Account of kind "instance", empty login); a
forge with owners gets one Account per owner. One file is one transaction: its valid entries are
stored together, its invalid entries are reported with their location and skipped, and a file that
cannot be read at all changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.core.content import content_changed
from inventory.core.exceptions import ApplicationError, PermissionDenied
from inventory.forges.models import Account, AccountKind, AccountState, Forge, ForgeKind
from inventory.forges.services.forges import (
    CRAWLABLE_KINDS,
    KNOWN_HOST_KINDS,
    NOT_CRAWLABLE_NOTE,
    account_kinds_for,
    default_account_kind,
    forge_api_url,
    forge_kind_normalise,
    host_normalise,
    login_normalise,
)
from inventory.organisations.models import UNKNOWN_PSO_ID, Organisation
from inventory.organisations.services import (
    OrganisationHint,
    organisations_ensure,
    pso_id_normalise,
)

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
# The forge kind of a host the URL-keyed format names without one (most of its forges are GitLab).
DEFAULT_FORGE_KIND = ForgeKind.GITLAB
REGISTERED_STATES = (AccountState.ACTIVE, AccountState.INACTIVE)
_ENTRY_KEYS = {"pso_id", "ignored_since", "floss_policy", "ospo_url"}
_URL_VALIDATOR = URLValidator(schemes=["http", "https"])


# --- Reports -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something wrong in an input file, and where: ``file:line (key path)``."""

    location: str
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


@dataclass
class ImportReport:
    """What one file's import did. Items read ``"<entity> <label>"`` (entity: forge, account,
    organisation); rejected entries were not stored, warnings were stored as explained."""

    source: str
    fmt: str = ""
    dry_run: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def count(self, outcome: str, entity: str | None = None) -> int:
        items = getattr(self, outcome)
        if entity is None:
            return len(items)
        return sum(1 for item in items if item.split(" ", 1)[0] == entity)

    def summary(self) -> str:
        parts = []
        for entity in ("forge", "account", "organisation"):
            figures = ", ".join(
                f"{self.count(outcome, entity)} {outcome}"
                for outcome in ("created", "updated", "unchanged")
            )
            parts.append(f"{entity}s: {figures}")
        prefix = "[dry run] " if self.dry_run else ""
        return (
            f"{prefix}{self.source} ({self.fmt} format) — {'; '.join(parts)}; "
            f"{len(self.rejected)} rejected, {len(self.warnings)} warnings"
        )


# --- Reading YAML with locations ----------------------------------------------------------------


class _LocatedMapping(dict):
    """A YAML mapping that remembers each key's line and the keys given twice (first value kept)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int] = {}
        self.duplicates: list[tuple[Any, int, Any]] = []


class _RegistryLoader(yaml.SafeLoader):
    """Safe YAML with key lines; a malformed date stays text, so its entry is rejected, not the file."""

    line_offset = 0


def _construct_mapping(loader: _RegistryLoader, node: yaml.MappingNode) -> _LocatedMapping:
    loader.flatten_mapping(node)
    mapping = _LocatedMapping()
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


def _yaml_read(text: str, name: str) -> tuple[_LocatedMapping, list[Problem]]:
    """The top-level mapping of a registry file. When the file is not valid YAML as a whole
    (a truncated or hand-broken file), each top-level entry is read on its own, so one broken
    entry costs only itself; the entries that cannot be read are returned as problems."""
    try:
        data = _yaml_parse(text)
    except yaml.YAMLError as error:
        return _yaml_read_by_entry(text, name, error)
    if not isinstance(data, dict):
        raise ApplicationError(
            f"{name}: not an accounts registry: expected forge hosts or account URLs as top-level keys."
        )
    return data, []


def _yaml_read_by_entry(
    text: str, name: str, error: yaml.YAMLError
) -> tuple[_LocatedMapping, list[Problem]]:
    lines = text.splitlines(keepends=True)
    starts = [
        index
        for index, line in enumerate(lines)
        if line[:1] not in ("", " ", "\t", "#", "\r", "\n")
    ]
    merged, problems = _LocatedMapping(), []
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


# --- Entries ------------------------------------------------------------------------------------


@dataclass
class _Fields:
    """What an entry says of itself, validated. ``pso_id`` None: not given; "": unknown."""

    pso_id: str | None = None
    organisation_name: str = ""
    ministry_pso_ids: tuple[str, ...] = ()
    ignored_since: dt.date | None = None
    floss_policy: str = ""
    ospo_url: str = ""


@dataclass
class _ForgeEntry:
    location: str
    host: str
    kind: str
    kind_given: bool  # False: guessed, so a stored forge keeps its own kind
    whole_instance: bool
    explicit: (
        bool  # False: only named by its owners' entries, which say nothing of the forge itself
    )
    fields: _Fields = field(default_factory=_Fields)


@dataclass
class _AccountEntry:
    location: str
    host: str
    login: str  # "" for the whole instance
    kind: str | None  # None: not given (a stored account keeps its kind)
    fields: _Fields = field(default_factory=_Fields)

    @property
    def key(self) -> tuple[str, str]:
        return self.host, self.login.lower()


@dataclass
class _Plan:
    fmt: str
    forges: dict[str, _ForgeEntry] = field(default_factory=dict)
    accounts: list[_AccountEntry] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    _seen: dict[tuple[str, str], str] = field(default_factory=dict)

    def add_account(self, entry: _AccountEntry) -> None:
        if entry.key in self._seen:
            self.rejected.append(
                Problem(
                    entry.location,
                    f"duplicate of the entry at {self._seen[entry.key]}; the first is kept",
                )
            )
            return
        self._seen[entry.key] = entry.location
        self.accounts.append(entry)


def _location(name: str, line: int | None, path: str) -> str:
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
    try:
        _URL_VALIDATOR(url)
    except ValidationError:
        raise ValueError(f"{key}: {value!r} is not an http(s) URL") from None
    if len(url) > 500:
        raise ValueError(f"{key}: URL longer than 500 characters")
    return url


def _fields_read(raw: Mapping) -> _Fields:
    """Validate an entry's fields (pso_id and service_of may be lists, as in the 2024 format)."""
    values = [pso_id_normalise(value) for value in _as_list(raw.get("pso_id"))]
    known = [(index, pso_id) for index, pso_id in enumerate(values) if pso_id]
    names = [str(name).strip() for name in _as_list(raw.get("service_of")) if str(name).strip()]
    name = ""
    if known and len(names) == len(values):
        name = names[known[0][0]]
    elif known and len(values) == 1 and names:
        name = names[0]
    return _Fields(
        pso_id=(known[0][1] if known else "") if values else None,
        organisation_name=name,
        ministry_pso_ids=tuple(pso_id for _, pso_id in known[1:]),
        ignored_since=_date_read(_single(raw.get("ignored_since"), "ignored_since")),
        floss_policy=_url_read(_single(raw.get("floss_policy"), "floss_policy"), "floss_policy"),
        ospo_url=_url_read(_single(raw.get("ospo_url"), "ospo_url"), "ospo_url"),
    )


def _entry_mapping(value: Any, *, name: str, path: str, known_keys: set[str], plan: _Plan) -> dict:
    """An entry's keys, with warnings for unknown keys and for keys given twice (the last wins,
    as YAML readers do)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"expected a mapping of fields, got {type(value).__name__} {value!r}")
    entry = dict(value)
    for key, line, duplicate in getattr(value, "duplicates", []):
        plan.warnings.append(
            Problem(
                _location(name, line, f"{path} › {key}"),
                f"{key} given twice: the last value ({duplicate}) is used",
            )
        )
        entry[key] = duplicate
    lines = getattr(value, "lines", {})
    for key in entry:
        if key not in known_keys:
            plan.warnings.append(
                Problem(
                    _location(name, lines.get(key), f"{path} › {key}"),
                    f"unknown field {key!r} ignored",
                )
            )
    return entry


def _reject_duplicate_keys(data: _LocatedMapping, *, name: str, path: str, plan: _Plan) -> None:
    for key, line, _value in data.duplicates:
        first = data.lines.get(key)
        where = f"{path} › {key}" if path else str(key)
        plan.rejected.append(
            Problem(
                _location(name, line, where),
                f"duplicate of the entry at line {first}; the first is kept",
            )
        )


def _plan_current(data: _LocatedMapping, name: str) -> _Plan:
    """code.gouv.fr's current format: forge host → forge, pso_id, ignored_since, …, owners."""
    plan = _Plan(FORMAT_CURRENT)
    _reject_duplicate_keys(data, name=name, path="", plan=plan)
    for host_key, value in data.items():
        location = _location(name, data.lines.get(host_key), str(host_key))
        try:
            host = host_normalise(host_key)
            entry = _entry_mapping(
                value,
                name=name,
                path=str(host_key),
                known_keys=_ENTRY_KEYS | {"forge", "owners"},
                plan=plan,
            )
            if "forge" not in entry:
                raise ValueError("forge: missing (github, gitlab, gitea, gogs or sourcehut)")
            kind = forge_kind_normalise(entry["forge"])
            fields = _fields_read(entry)
            owners = _owners_read(entry)
        except ValueError as error:
            plan.rejected.append(Problem(location, str(error)))
            continue
        if host in plan.forges:
            plan.rejected.append(
                Problem(location, f"duplicate of the entry at {plan.forges[host].location}")
            )
            continue
        whole = owners is None
        plan.forges[host] = _ForgeEntry(location, host, kind, True, whole, True, fields)
        if whole:
            plan.add_account(_AccountEntry(location, host, "", AccountKind.INSTANCE, fields))
            continue
        _reject_duplicate_keys(owners, name=name, path=f"{host} › owners", plan=plan)
        for owner_key, owner_value in owners.items():
            path = f"{host} › owners › {owner_key}"
            owner_location = _location(name, owners.lines.get(owner_key), path)
            try:
                login = login_normalise(owner_key)
                owner = _entry_mapping(
                    owner_value, name=name, path=path, known_keys=_ENTRY_KEYS, plan=plan
                )
                owner_fields = _fields_read(owner)
            except ValueError as error:
                plan.rejected.append(Problem(owner_location, str(error)))
                continue
            # An owner without its own pso_id or ignored_since takes the forge's.
            if owner_fields.pso_id is None:
                owner_fields.pso_id = fields.pso_id
                owner_fields.organisation_name = fields.organisation_name
            owner_fields.ignored_since = owner_fields.ignored_since or fields.ignored_since
            plan.add_account(_AccountEntry(owner_location, host, login, None, owner_fields))
    return plan


def _owners_read(entry: Mapping) -> _LocatedMapping | None:
    if "owners" not in entry:
        return None
    owners = entry["owners"]
    if isinstance(owners, list) and owners:
        listed = _LocatedMapping()
        for owner in owners:
            if isinstance(owner, dict):
                listed.update(owner)
            else:
                listed[str(owner)] = None
        return listed
    if not isinstance(owners, dict) or not owners:
        raise ValueError(
            "owners: expected a mapping of owners; leave the key out to crawl the whole instance"
        )
    return owners


def _plan_url_keyed(data: _LocatedMapping, name: str, platforms: Mapping[str, str]) -> _Plan:
    """The 2024 format: account URL (or forge URL for a whole instance) → service_of, pso_id, …"""
    plan = _Plan(FORMAT_URL_KEYED)
    _reject_duplicate_keys(data, name=name, path="", plan=plan)
    by_host: dict[str, list[tuple[str, str, _Fields, str | None]]] = {}
    for url, value in data.items():
        location = _location(name, data.lines.get(url), str(url))
        try:
            parts = urlsplit(str(url).strip())
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(f"{url!r} is not an account or forge URL (https://host/owner)")
            host = host_normalise(parts.netloc)
            login = login_normalise(parts.path) if parts.path.strip("/") else ""
            entry = _entry_mapping(
                value,
                name=name,
                path=str(url),
                known_keys=_ENTRY_KEYS | {"service_of", "forge"},
                plan=plan,
            )
            kind = forge_kind_normalise(entry["forge"]) if entry.get("forge") else None
            fields = _fields_read(entry)
        except ValueError as error:
            plan.rejected.append(Problem(location, str(error)))
            continue
        by_host.setdefault(host, []).append((location, login, fields, kind))

    for host, entries in by_host.items():
        kind, kind_given = _host_kind(host, [entry[3] for entry in entries], platforms)
        if not kind_given:
            plan.warnings.append(
                Problem(
                    entries[0][0],
                    f"no forge kind known for {host}: taken as {kind} for a new forge",
                )
            )
        whole = next((entry for entry in entries if not entry[1]), None)
        if whole is not None:
            plan.forges[host] = _ForgeEntry(whole[0], host, kind, kind_given, True, True, whole[2])
            plan.add_account(_AccountEntry(whole[0], host, "", AccountKind.INSTANCE, whole[2]))
        else:
            plan.forges[host] = _ForgeEntry(entries[0][0], host, kind, kind_given, False, False)
        for location, login, fields, _kind in entries:
            if not login:
                continue
            if whole is not None:
                plan.rejected.append(Problem(location, _covered_reason(host, whole[0])))
                continue
            plan.add_account(_AccountEntry(location, host, login, None, fields))
    return plan


def _covered_reason(host: str, where: str) -> str:
    return f"{host} is crawled whole (see {where}): this owner is already covered"


def _host_kind(
    host: str, given: Iterable[str | None], platforms: Mapping[str, str]
) -> tuple[str, bool]:
    explicit = next((kind for kind in given if kind), None)
    kind = explicit or platforms.get(host) or KNOWN_HOST_KINDS.get(host)
    return (kind, True) if kind else (DEFAULT_FORGE_KIND, False)


def _plan_csv(text: str, name: str, platforms: Mapping[str, str]) -> _Plan:
    """Our CSV: one row per account; a row without login stands for the whole instance."""
    plan = _Plan(FORMAT_CSV)
    reader = csv.DictReader(io.StringIO(text))
    try:
        columns = [column.strip() for column in reader.fieldnames or []]
        numbered = [(reader.line_num, raw) for raw in reader]
    except csv.Error as error:
        # The reader counts the lines it finished; the faulty one is the next.
        line = reader.line_num + 1
        raise ApplicationError(f"{name}:{line}: not a readable CSV ({error}).") from error
    missing = {"forge_host", "login"} - set(columns)
    if missing:
        raise ApplicationError(
            f"{name}:1: not an accounts CSV: missing column(s) {', '.join(sorted(missing))}."
        )
    unknown = set(columns) - set(CSV_COLUMNS)
    if unknown:
        plan.warnings.append(
            Problem(f"{name}:1", f"unknown column(s) ignored: {', '.join(sorted(unknown))}")
        )
    rows: list[tuple[str, str, str, str | None, str | None, _Fields]] = []
    for line, raw in numbered:
        row = {
            (key or "").strip(): (value or "").strip()
            for key, value in raw.items()
            if isinstance(value, str)
        }
        location = f"{name}:{line}"
        if not any(row.values()):
            continue
        try:
            host = host_normalise(row.get("forge_host", ""))
            location = f"{name}:{line} ({host}/{row.get('login', '')})"
            kind = forge_kind_normalise(row["forge_kind"]) if row.get("forge_kind") else None
            login = login_normalise(row["login"]) if row.get("login") else ""
            fields = _fields_read(
                {
                    "pso_id": row.get("pso_id") or None,
                    "service_of": row.get("organisation_name"),
                    "ignored_since": row.get("ignored_since") or None,
                    "floss_policy": row.get("floss_policy") or None,
                    "ospo_url": row.get("ospo_url") or None,
                }
            )
        except ValueError as error:
            plan.rejected.append(Problem(location, str(error)))
            continue
        rows.append((location, host, login, kind, row.get("kind") or None, fields))

    given: dict[str, list[str | None]] = {}
    for _location, host, _login, kind, _account_kind, _fields in rows:
        given.setdefault(host, []).append(kind)
    kinds = {host: _host_kind(host, host_kinds, platforms) for host, host_kinds in given.items()}
    for location, host, _login, kind, _account_kind, _fields in rows:
        if kind and kind != kinds[host][0]:
            plan.warnings.append(
                Problem(
                    location,
                    f"forge_kind {kind} contradicts an earlier row: {kinds[host][0]} is used",
                )
            )
    wholes = {host: location for location, host, login, *_ in rows if not login}
    for location, host, login, _kind, account_kind, fields in rows:
        forge_kind, kind_given = kinds[host]
        if not login:
            if host in plan.forges and plan.forges[host].explicit:
                plan.rejected.append(
                    Problem(location, f"duplicate of the entry at {plan.forges[host].location}")
                )
                continue
            plan.forges[host] = _ForgeEntry(
                location, host, forge_kind, kind_given, True, True, fields
            )
            plan.add_account(_AccountEntry(location, host, "", AccountKind.INSTANCE, fields))
            continue
        if host in wholes:
            plan.rejected.append(Problem(location, _covered_reason(host, wholes[host])))
            continue
        if not kind_given and host not in plan.forges:
            plan.warnings.append(
                Problem(
                    location, f"no forge_kind for {host}: taken as {forge_kind} for a new forge"
                )
            )
        if account_kind is not None and account_kind not in account_kinds_for(forge_kind):
            allowed = ", ".join(account_kinds_for(forge_kind))
            plan.rejected.append(
                Problem(
                    location,
                    f"kind {account_kind!r} is not one of {allowed} on a {forge_kind} forge",
                )
            )
            continue
        plan.forges.setdefault(
            host, _ForgeEntry(location, host, forge_kind, kind_given, False, False)
        )
        plan.add_account(_AccountEntry(location, host, login, account_kind, fields))
    return plan


def _detect_format(text: str) -> str:
    first = next(
        (line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")),
        "",
    )
    return FORMAT_CSV if "forge_host" in first and "," in first else FORMAT_CURRENT


def _plan_read(text: str, name: str, fmt: str | None, platforms: Mapping[str, str]) -> _Plan:
    if fmt is not None and fmt not in FORMATS:
        raise ApplicationError(
            f"Unknown accounts format {fmt!r} (expected one of {', '.join(FORMATS)})."
        )
    if fmt == FORMAT_CSV or fmt is None and _detect_format(text) == FORMAT_CSV:
        return _plan_csv(text, name, platforms)
    data, problems = _yaml_read(text, name)
    if not any(isinstance(key, str) and ("." in key or "://" in key) for key in data):
        raise ApplicationError(
            f"{name}: not an accounts registry: expected forge hosts or account URLs as top-level keys."
        )
    if fmt is None:
        url_keyed = any(
            isinstance(key, str) and key.strip().startswith(("http://", "https://")) for key in data
        )
        fmt = FORMAT_URL_KEYED if url_keyed else FORMAT_CURRENT
    plan = (
        _plan_url_keyed(data, name, platforms)
        if fmt == FORMAT_URL_KEYED
        else _plan_current(data, name)
    )
    plan.rejected[:0] = problems
    return plan


# --- Storing ------------------------------------------------------------------------------------


def _validated(instance: Forge | Account, exclude: list[str]) -> None:
    # Uniqueness is checked against the rows loaded up front; the database constraints remain the
    # last line of defence. Skipping the per-row checks spares several queries per entry.
    instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _validation_reason(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{key}: {' '.join(messages)}" for key, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _organisation_id(organisations: Mapping[str, Organisation], fields: _Fields) -> int | None:
    organisation = organisations.get(fields.pso_id or "")
    return organisation.pk if organisation is not None else None


def _set_changed(instance: Any, values: Mapping[str, Any]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def _organisation_hints(plan: _Plan) -> dict[str, OrganisationHint]:
    hints: dict[str, OrganisationHint] = {}
    entries = [entry.fields for entry in plan.forges.values() if entry.explicit]
    entries += [entry.fields for entry in plan.accounts]
    for fields in entries:
        if not fields.pso_id:
            continue
        hint = hints.get(fields.pso_id, OrganisationHint())
        hints[fields.pso_id] = OrganisationHint(
            name=hint.name or fields.organisation_name,
            ministry_pso_ids=hint.ministry_pso_ids
            + tuple(
                pso_id for pso_id in fields.ministry_pso_ids if pso_id not in hint.ministry_pso_ids
            ),
        )
    return hints


def _store_forges(
    plan: _Plan, organisations: Mapping[str, Organisation], report: ImportReport, now: dt.datetime
) -> dict[str, Forge]:
    stored = {forge.host: forge for forge in Forge.objects.filter(host__in=list(plan.forges))}
    to_create, to_update, update_fields = [], [], {"updated_at"}
    for host, entry in plan.forges.items():
        forge = stored.get(host)
        values: dict[str, Any] = {}
        if forge is None or entry.kind_given and forge.kind != entry.kind:
            # A stored API URL is kept unless the kind changes: a curator may point it elsewhere.
            values.update(kind=entry.kind, api_url=forge_api_url(host=host, kind=entry.kind))
        if forge is None or entry.explicit:
            values["whole_instance"] = entry.whole_instance
        if entry.explicit:
            fields = entry.fields
            values.update(
                organisation_id=_organisation_id(organisations, fields),
                ignored_since=fields.ignored_since,
                floss_policy=fields.floss_policy,
                ospo_url=fields.ospo_url,
            )
        label = f"forge {host}"
        try:
            if forge is None:
                forge = Forge(host=host, **values)
                _validated(forge, ["organisation"])
                to_create.append(forge)
                report.created.append(label)
            elif changed := _set_changed(forge, values):
                forge.updated_at = now
                _validated(forge, ["organisation"])
                update_fields.update(name.removesuffix("_id") for name in changed)
                to_update.append(forge)
                report.updated.append(label)
            else:
                report.unchanged.append(label)
        except ValidationError as error:
            plan.rejected.append(Problem(entry.location, _validation_reason(error)))
            stored.pop(host, None)
            continue
        stored[host] = forge
    Forge.objects.bulk_create(to_create)
    Forge.objects.bulk_update(to_update, sorted(update_fields))
    return {host: stored[host] for host in plan.forges if host in stored}


def _account_label(forge: Forge, login: str) -> str:
    return f"account {forge.host}/{login}" if login else f"account {forge.host} (whole instance)"


def _store_accounts(
    plan: _Plan,
    forges: Mapping[str, Forge],
    organisations: Mapping[str, Organisation],
    report: ImportReport,
    now: dt.datetime,
) -> None:
    stored = {
        (account.forge_id, account.login.lower()): account
        for account in Account.objects.filter(forge__in=list(forges.values()))
    }
    to_create, to_update, update_fields = [], {}, {"updated_at"}
    listed = set()
    for entry in plan.accounts:
        forge = forges.get(entry.host)
        if forge is None:
            plan.rejected.append(Problem(entry.location, f"its forge {entry.host} was rejected"))
            continue
        if entry.login and forge.whole_instance and not plan.forges[entry.host].explicit:
            plan.rejected.append(
                Problem(entry.location, _covered_reason(forge.host, "the stored forge"))
            )
            continue
        key = (forge.pk, entry.login.lower())
        listed.add(key)
        account = stored.get(key)
        fields = entry.fields
        crawlable = forge.kind in CRAWLABLE_KINDS
        values: dict[str, Any] = {
            "organisation_id": _organisation_id(organisations, fields),
            "ignored_since": fields.ignored_since,
            "floss_policy": fields.floss_policy,
            "ospo_url": fields.ospo_url,
            "state": AccountState.ACTIVE
            if crawlable and not fields.ignored_since
            else AccountState.INACTIVE,
        }
        if account is None or entry.kind is not None:
            values["kind"] = entry.kind or default_account_kind(forge.kind)
        if not crawlable and (account is None or not account.proposal_note):
            values["proposal_note"] = NOT_CRAWLABLE_NOTE.format(kind=forge.get_kind_display())
        label = _account_label(forge, entry.login)
        candidate = (
            Account(forge=forge, login=entry.login, **values) if account is None else account
        )
        changed = [] if account is None else _set_changed(account, values)
        try:
            _validated(candidate, ["forge", "organisation", "proposed_by"])
        except ValidationError as error:
            plan.rejected.append(Problem(entry.location, _validation_reason(error)))
            continue
        if account is None:
            to_create.append(candidate)
            stored[key] = candidate
            report.created.append(label)
        elif changed:
            account.updated_at = now
            update_fields.update(name.removesuffix("_id") for name in changed)
            to_update[account.pk] = account
            report.updated.append(label)
        else:
            report.unchanged.append(label)
    _deactivate_superseded(plan, forges, stored, listed, to_update, report, now)
    Account.objects.bulk_create(to_create)
    Account.objects.bulk_update(list(to_update.values()), sorted(update_fields | {"state"}))


def _deactivate_superseded(
    plan: _Plan,
    forges: Mapping[str, Forge],
    stored: Mapping[tuple[int, str], Account],
    listed: set[tuple[int, str]],
    to_update: dict[int, Account],
    report: ImportReport,
    now: dt.datetime,
) -> None:
    """A forge now crawled whole no longer needs its owners' crawls, and a forge now listing its
    owners no longer needs the whole-instance crawl: those accounts become inactive (kept)."""
    by_pk = {forge.pk: forge for forge in forges.values()}
    for key, account in stored.items():
        forge = by_pk.get(key[0])
        if forge is None or key in listed or not plan.forges[forge.host].explicit:
            continue
        superseded = bool(account.login) == forge.whole_instance
        if superseded and account.state == AccountState.ACTIVE and account.pk is not None:
            account.state, account.updated_at = AccountState.INACTIVE, now
            to_update[account.pk] = account
            report.updated.append(_account_label(forge, account.login))


def _source_read(source: str | Path) -> tuple[str, str]:
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


def accounts_import(
    *,
    source: str | Path,
    fmt: str | None = None,
    dry_run: bool = False,
    platforms: Mapping[str, str] | None = None,
    name: str | None = None,
) -> ImportReport:
    """Import one registry file (a path, or its text) into Forge, Account and Organisation rows.

    ``fmt`` forces a format (``FORMATS``); ``platforms`` maps hosts to forge kinds for the URL-keyed
    format, which rarely names them. One transaction: the valid entries are stored together (none
    with ``dry_run``); invalid ones are in ``report.rejected``. Raises ApplicationError, changing
    nothing, when the file is not an accounts registry at all. A second run changes nothing.
    """
    text, default_name = _source_read(source)
    name = name or default_name
    plan = _plan_read(text, name, fmt, platforms or {})
    report = ImportReport(source=name, fmt=plan.fmt, dry_run=dry_run)
    now = timezone.now()
    with transaction.atomic():
        organisations = organisations_ensure(hints=_organisation_hints(plan))
        for outcome in ("created", "updated", "unchanged"):
            getattr(report, outcome).extend(
                f"organisation {organisation.name}"
                for organisation in getattr(organisations, outcome)
            )
        forges = _store_forges(plan, organisations.by_pso_id, report, now)
        _store_accounts(plan, forges, organisations.by_pso_id, report, now)
        if dry_run:
            transaction.set_rollback(True)
        else:
            content_changed()
    report.rejected, report.warnings = plan.rejected, plan.warnings
    return report


# --- Export -------------------------------------------------------------------------------------

EXPORT_HEADER = """\
# Public-sector forge accounts, exported by Logithèque in the format of code.gouv.fr's
# comptes-organismes-publics.yml.
#
# Each top-level entry is the host of a forge, with:
# - forge (mandatory): github, gitlab, gitea, gogs or sourcehut;
# - owners (optional): the organisations, users or (sub)groups crawled on a mixed forge;
#   a forge without owners is dedicated to the public sector and crawled whole;
# - pso_id: the organisation's identifier on https://lannuaire.service-public.fr
#   (00000000-0000-0000-0000-000000000000: unknown); an owner without one is the forge's;
# - ignored_since (date), floss_policy (URL), ospo_url (URL): on a forge or an owner.
"""


def _pso_id_of(organisation: Organisation | None) -> str:
    return organisation.pso_id if organisation is not None and organisation.pso_id else ""


def _fields_dump(*, pso_id: str | None, ignored_since, floss_policy: str, ospo_url: str) -> dict:
    data: dict[str, Any] = {}
    if pso_id is not None:
        data["pso_id"] = pso_id or UNKNOWN_PSO_ID
    if ignored_since:
        data["ignored_since"] = ignored_since
    if floss_policy:
        data["floss_policy"] = floss_policy
    if ospo_url:
        data["ospo_url"] = ospo_url
    return data


def _export_rows() -> tuple[list[Forge], dict[int, list[Account]]]:
    forges = list(Forge.objects.select_related("organisation").order_by("host"))
    accounts: dict[int, list[Account]] = {}
    registered = (
        Account.objects.filter(state__in=REGISTERED_STATES)
        .select_related("organisation")
        .order_by("forge_id", "login")
    )
    for account in registered:
        accounts.setdefault(account.forge_id, []).append(account)
    return forges, accounts


def _export_current(forges: list[Forge], accounts: Mapping[int, list[Account]]) -> str:
    blocks = [EXPORT_HEADER]
    for forge in forges:
        forge_pso_id = _pso_id_of(forge.organisation)
        owners = [account for account in accounts.get(forge.pk, []) if account.login]
        if not forge.whole_instance and not owners:
            continue  # written without owners, it would read back as a whole instance
        entry: dict[str, Any] = {"forge": forge.kind}
        entry.update(
            _fields_dump(
                pso_id=forge_pso_id if forge.whole_instance or forge.organisation_id else None,
                ignored_since=forge.ignored_since,
                floss_policy=forge.floss_policy,
                ospo_url=forge.ospo_url,
            )
        )
        if not forge.whole_instance:
            entry["owners"] = {
                account.login: _fields_dump(
                    pso_id=_pso_id_of(account.organisation)
                    if _pso_id_of(account.organisation) != forge_pso_id
                    else None,
                    ignored_since=account.ignored_since
                    if account.ignored_since != forge.ignored_since
                    else None,
                    floss_policy=account.floss_policy,
                    ospo_url=account.ospo_url,
                )
                or None
                for account in owners
            }
        blocks.append(
            yaml.safe_dump({forge.host: entry}, sort_keys=False, allow_unicode=True, width=200)
        )
    return "\n".join(blocks)


def _export_csv(forges: list[Forge], accounts: Mapping[int, list[Account]]) -> str:
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for forge in forges:
        for account in accounts.get(forge.pk, []):
            source = account if account.login else forge
            organisation = source.organisation
            writer.writerow(
                {
                    "forge_host": forge.host,
                    "forge_kind": forge.kind,
                    "login": account.login,
                    "kind": account.kind if account.login else "",
                    "pso_id": _pso_id_of(organisation),
                    "organisation_name": organisation.name if organisation is not None else "",
                    "floss_policy": source.floss_policy,
                    "ospo_url": source.ospo_url,
                    "ignored_since": source.ignored_since.isoformat()
                    if source.ignored_since
                    else "",
                }
            )
    return output.getvalue()


def accounts_export(*, fmt: str = FORMAT_CURRENT) -> str:
    """The registry (active and inactive accounts) as code.gouv.fr's current YAML or as our CSV;
    importing the output gives the same registry back. Three queries."""
    if fmt not in (FORMAT_CURRENT, FORMAT_CSV):
        raise ApplicationError(f"Cannot export the accounts as {fmt!r} (current or csv).")
    forges, accounts = _export_rows()
    return (
        _export_current(forges, accounts)
        if fmt == FORMAT_CURRENT
        else _export_csv(forges, accounts)
    )


# --- Proposals ----------------------------------------------------------------------------------


def _require_agent(actor: Any) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("You must be signed in as a public agent to propose an account."))


def _require_curator(actor: Any) -> None:
    _require_agent(actor)
    if not actor.is_staff:
        raise PermissionDenied(_("Only curators can review the accounts registry."))


def _locked(account: Account) -> Account:
    return Account.objects.select_for_update().select_related("forge").get(pk=account.pk)


@transaction.atomic
def account_propose(
    *,
    agent: Any,
    forge_host: str,
    login: str,
    kind: str,
    organisation: Organisation | None = None,
    note: str = "",
) -> Account:
    """An agent proposes an account to crawl; it waits in state "proposed" for a curator.
    ``organisation`` None means the agent's own."""
    _require_agent(agent)
    try:
        host = host_normalise(forge_host)
        login = login_normalise(login)
    except ValueError as error:
        raise ApplicationError(f"{str(error)[0].upper()}{str(error)[1:]}.") from error
    forge = Forge.objects.filter(host=host).first()
    if forge is None:
        raise ApplicationError(
            _("%(host)s is not a forge Logithèque knows yet: ask a curator to add it.")
            % {"host": host}
        )
    if forge.whole_instance:
        raise ApplicationError(
            _("Every public project of %(host)s is already crawled: nothing to add.")
            % {"host": host}
        )
    if kind not in account_kinds_for(forge.kind):
        allowed = ", ".join(account_kinds_for(forge.kind))
        raise ApplicationError(
            _("An account on %(host)s is one of: %(kinds)s.") % {"host": host, "kinds": allowed}
        )
    existing = Account.objects.filter(forge=forge, login__iexact=login).first()
    if existing is not None:
        raise ApplicationError(
            _("%(account)s is already in the registry (%(state)s).")
            % {"account": existing, "state": existing.get_state_display()},
            {"account_id": existing.pk},
        )
    account = Account(
        forge=forge,
        login=login,
        kind=kind,
        organisation=organisation or agent.organisation,
        state=AccountState.PROPOSED,
        proposed_by=agent,
        proposal_note=note.strip(),
    )
    try:
        account.full_clean()
    except ValidationError as error:
        raise ApplicationError(_validation_reason(error)) from error
    account.save()
    return account


@transaction.atomic
def account_accept(*, curator: Any, account: Account) -> Account:
    """A curator accepts a proposed (or formerly rejected) account: it is crawled from now on."""
    _require_curator(curator)
    account = _locked(account)
    if account.state not in (AccountState.PROPOSED, AccountState.REJECTED):
        raise ApplicationError(
            _("%(account)s is not a proposal (%(state)s).")
            % {"account": account, "state": account.get_state_display()}
        )
    if account.forge.whole_instance:
        raise ApplicationError(
            _("Every public project of %(host)s is already crawled.") % {"host": account.forge.host}
        )
    account.state = AccountState.ACTIVE
    account.save(update_fields=["state", "updated_at"])
    content_changed()
    return account


@transaction.atomic
def account_reject(*, curator: Any, account: Account, reason: str) -> Account:
    """A curator turns a proposal down, saying why (kept in the proposal note)."""
    _require_curator(curator)
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("Say why the proposal is rejected."))
    account = _locked(account)
    if account.state != AccountState.PROPOSED:
        raise ApplicationError(
            _("%(account)s is not a proposal (%(state)s).")
            % {"account": account, "state": account.get_state_display()}
        )
    account.state = AccountState.REJECTED
    rejection = f"Rejected by {curator.get_username()}: {reason}"
    account.proposal_note = f"{account.proposal_note}\n\n{rejection}".strip()
    account.save(update_fields=["state", "proposal_note", "updated_at"])
    return account


@transaction.atomic
def account_deactivate(*, curator: Any, account: Account) -> Account:
    """A curator stops crawling an account; it and its repositories are kept."""
    _require_curator(curator)
    account = _locked(account)
    if account.state != AccountState.ACTIVE:
        raise ApplicationError(
            _("%(account)s is not active (%(state)s).")
            % {"account": account, "state": account.get_state_display()}
        )
    account.state = AccountState.INACTIVE
    account.save(update_fields=["state", "updated_at"])
    content_changed()
    return account
