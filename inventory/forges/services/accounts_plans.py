"""The three registry formats read into a plan: the forges and accounts a file lists, with
what was rejected or warned about and where (``file:line (key path)``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from inventory.core.csv_writer import csv_cell_read
from inventory.core.exceptions import ApplicationError
from inventory.forges.models import AccountKind, ForgeKind
from inventory.forges.services.accounts_readers import (
    CSV_COLUMNS,
    FORMAT_CSV,
    FORMAT_CURRENT,
    FORMAT_URL_KEYED,
    FORMATS,
    Fields,
    LocatedMapping,
    Problem,
    fields_read,
    location_label,
    yaml_read,
)
from inventory.forges.services.forges import (
    KNOWN_HOST_KINDS,
    account_kinds_for,
    forge_kind_normalise,
    host_normalise,
    login_normalise,
)

# The forge kind of a host the URL-keyed format names without one (most of its forges are GitLab).
DEFAULT_FORGE_KIND = ForgeKind.GITLAB
_ENTRY_KEYS = {"pso_id", "ignored_since", "floss_policy", "ospo_url"}


@dataclass
class ForgeEntry:
    location: str
    host: str
    kind: str
    kind_given: bool  # False: guessed, so a stored forge keeps its own kind
    whole_instance: bool
    explicit: (
        bool  # False: only named by its owners' entries, which say nothing of the forge itself
    )
    fields: Fields = field(default_factory=Fields)


@dataclass
class AccountEntry:
    location: str
    host: str
    login: str  # "" for the whole instance
    kind: str | None  # None: not given (a stored account keeps its kind)
    fields: Fields = field(default_factory=Fields)

    @property
    def key(self) -> tuple[str, str]:
        return self.host, self.login.lower()


@dataclass
class Plan:
    fmt: str
    forges: dict[str, ForgeEntry] = field(default_factory=dict)
    accounts: list[AccountEntry] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    _seen: dict[tuple[str, str], str] = field(default_factory=dict)

    def add_account(self, entry: AccountEntry) -> None:
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


def _entry_mapping(value: Any, *, name: str, path: str, known_keys: set[str], plan: Plan) -> dict:
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
                location_label(name, line, f"{path} › {key}"),
                f"{key} given twice: the last value ({duplicate}) is used",
            )
        )
        entry[key] = duplicate
    lines = getattr(value, "lines", {})
    for key in entry:
        if key not in known_keys:
            plan.warnings.append(
                Problem(
                    location_label(name, lines.get(key), f"{path} › {key}"),
                    f"unknown field {key!r} ignored",
                )
            )
    return entry


def _reject_duplicate_keys(data: LocatedMapping, *, name: str, path: str, plan: Plan) -> None:
    for key, line, _value in data.duplicates:
        first = data.lines.get(key)
        where = f"{path} › {key}" if path else str(key)
        plan.rejected.append(
            Problem(
                location_label(name, line, where),
                f"duplicate of the entry at line {first}; the first is kept",
            )
        )


def _plan_current(data: LocatedMapping, name: str) -> Plan:
    """code.gouv.fr's current format: forge host → forge, pso_id, ignored_since, …, owners."""
    plan = Plan(FORMAT_CURRENT)
    _reject_duplicate_keys(data, name=name, path="", plan=plan)
    for host_key, value in data.items():
        location = location_label(name, data.lines.get(host_key), str(host_key))
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
            fields = fields_read(entry)
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
        plan.forges[host] = ForgeEntry(location, host, kind, True, whole, True, fields)
        if whole:
            plan.add_account(AccountEntry(location, host, "", AccountKind.INSTANCE, fields))
            continue
        _reject_duplicate_keys(owners, name=name, path=f"{host} › owners", plan=plan)
        for owner_key, owner_value in owners.items():
            path = f"{host} › owners › {owner_key}"
            owner_location = location_label(name, owners.lines.get(owner_key), path)
            try:
                login = login_normalise(owner_key)
                owner = _entry_mapping(
                    owner_value, name=name, path=path, known_keys=_ENTRY_KEYS, plan=plan
                )
                owner_fields = fields_read(owner)
            except ValueError as error:
                plan.rejected.append(Problem(owner_location, str(error)))
                continue
            # An owner without its own pso_id or ignored_since takes the forge's.
            if owner_fields.pso_id is None:
                owner_fields.pso_id = fields.pso_id
                owner_fields.organisation_name = fields.organisation_name
            owner_fields.ignored_since = owner_fields.ignored_since or fields.ignored_since
            plan.add_account(AccountEntry(owner_location, host, login, None, owner_fields))
    return plan


def _owners_read(entry: Mapping) -> LocatedMapping | None:
    if "owners" not in entry:
        return None
    owners = entry["owners"]
    if isinstance(owners, list) and owners:
        listed = LocatedMapping()
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


def _plan_url_keyed(data: LocatedMapping, name: str, platforms: Mapping[str, str]) -> Plan:
    """The 2024 format: account URL (or forge URL for a whole instance) → service_of, pso_id, …"""
    plan = Plan(FORMAT_URL_KEYED)
    _reject_duplicate_keys(data, name=name, path="", plan=plan)
    by_host: dict[str, list[tuple[str, str, Fields, str | None]]] = {}
    for url, value in data.items():
        location = location_label(name, data.lines.get(url), str(url))
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
            fields = fields_read(entry)
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
            plan.forges[host] = ForgeEntry(whole[0], host, kind, kind_given, True, True, whole[2])
            plan.add_account(AccountEntry(whole[0], host, "", AccountKind.INSTANCE, whole[2]))
        else:
            plan.forges[host] = ForgeEntry(entries[0][0], host, kind, kind_given, False, False)
        for location, login, fields, _kind in entries:
            if not login:
                continue
            if whole is not None:
                plan.rejected.append(Problem(location, covered_reason(host, whole[0])))
                continue
            plan.add_account(AccountEntry(location, host, login, None, fields))
    return plan


def covered_reason(host: str, where: str) -> str:
    return f"{host} is crawled whole (see {where}): this owner is already covered"


def _host_kind(
    host: str, given: Iterable[str | None], platforms: Mapping[str, str]
) -> tuple[str, bool]:
    explicit = next((kind for kind in given if kind), None)
    kind = explicit or platforms.get(host) or KNOWN_HOST_KINDS.get(host)
    return (kind, True) if kind else (DEFAULT_FORGE_KIND, False)


def _plan_csv(text: str, name: str, platforms: Mapping[str, str]) -> Plan:
    """Our CSV: one row per account; a row without login stands for the whole instance."""
    plan = Plan(FORMAT_CSV)
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
    rows: list[tuple[str, str, str, str | None, str | None, Fields]] = []
    for line, raw in numbered:
        row = {
            (key or "").strip(): csv_cell_read((value or "").strip())
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
            fields = fields_read(
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
            plan.forges[host] = ForgeEntry(
                location, host, forge_kind, kind_given, True, True, fields
            )
            plan.add_account(AccountEntry(location, host, "", AccountKind.INSTANCE, fields))
            continue
        if host in wholes:
            plan.rejected.append(Problem(location, covered_reason(host, wholes[host])))
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
            host, ForgeEntry(location, host, forge_kind, kind_given, False, False)
        )
        plan.add_account(AccountEntry(location, host, login, account_kind, fields))
    return plan


def _detect_format(text: str) -> str:
    first = next(
        (line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")),
        "",
    )
    return FORMAT_CSV if "forge_host" in first and "," in first else FORMAT_CURRENT


def plan_read(text: str, name: str, fmt: str | None, platforms: Mapping[str, str]) -> Plan:
    if fmt is not None and fmt not in FORMATS:
        raise ApplicationError(
            f"Unknown accounts format {fmt!r} (expected one of {', '.join(FORMATS)})."
        )
    if fmt == FORMAT_CSV or fmt is None and _detect_format(text) == FORMAT_CSV:
        return _plan_csv(text, name, platforms)
    data, problems = yaml_read(text, name)
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
