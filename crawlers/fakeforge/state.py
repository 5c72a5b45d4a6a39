"""The fake forge's data: forges, accounts, repositories, faults and rate-limit windows, behind one lock."""

from __future__ import annotations

import copy
import datetime as dt
import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any

FORGE_KINDS = ("github", "gitlab", "gitea", "gogs")
ACCOUNT_KINDS = ("org", "user", "group")
FAULT_KINDS = (
    "slow",
    "server_error",
    "timeout",
    "truncated_json",
    "garbage",
    "rate_limit",
    "secondary_rate_limit",
    "unauthorized",
)
RATE_LIMIT_WINDOW = 3600  # seconds: GitHub's core limit resets hourly

_REPOSITORY_DEFAULTS: dict[str, Any] = {
    "description": "",
    "language": "",
    "languages": None,
    "license": None,
    "topics": [],
    "stars": 0,
    "forks": 0,
    "open_issues": 0,
    "subscribers": 0,
    "fork": False,
    "archived": False,
    "template": False,
    "homepage": "",
    "default_branch": "main",
    "created_at": "2020-01-01T00:00:00Z",
    "updated_at": None,
    "pushed_at": None,
    "root_files": ["README.md"],
    "files": {},
}


def utc_now_text() -> str:
    """Now as the forges write it: ISO 8601, UTC, whole seconds, ``Z``."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class Account:
    """An organisation, user or GitLab group; ``implicit`` ones exist only because a repository names them."""

    host: str
    login: str
    kind: str
    id: int
    name: str = ""
    description: str = ""
    website: str = ""
    location: str = ""
    email: str = ""
    created_at: str = "2015-01-01T00:00:00Z"
    followers: int = 0
    implicit: bool = False

    @property
    def parent_path(self) -> str:
        return self.login.rpartition("/")[0]


@dataclass
class Fault:
    """A switched-on failure for requests to ``host`` whose path (with query) contains ``path_contains``."""

    host: str
    kind: str
    path_contains: str | None
    times: int | None
    seconds: float
    hits: int = 0


@dataclass
class RateWindow:
    """One host's hourly rate-limit window."""

    limit: int
    started: float
    used: int = 0

    @property
    def reset(self) -> int:
        return math.ceil(self.started + RATE_LIMIT_WINDOW)

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


@dataclass
class Forge:
    host: str
    kind: str
    accounts: dict[str, Account] = field(default_factory=dict)  # keyed by lower-cased login
    removed: set[str] = field(default_factory=set)  # lower-cased logins gone from the forge
    repositories: dict[int, dict[str, Any]] = field(default_factory=dict)


@dataclass
class _Indexes:
    version: int
    visible: list[dict[str, Any]]
    by_path: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_owner: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


class ForgeState:
    """Everything the server answers from; every public method takes the lock."""

    def __init__(self, seed: dict[str, Any], *, rate_limit: int) -> None:
        self.lock = threading.RLock()
        self.rate_limit = rate_limit
        self.forges: dict[str, Forge] = {}
        self.faults: list[Fault] = []
        self._windows: dict[str, RateWindow] = {}
        self._next_account_id = 1001
        self._accounts_by_id: dict[int, Account] = {}
        self._index_cache: dict[str, _Indexes] = {}
        self.version = 0
        for host, spec in (seed.get("forges") or {}).items():
            kind = spec.get("kind", "")
            if kind not in FORGE_KINDS:
                raise ValueError(f"forge {host!r}: kind must be one of {FORGE_KINDS}, not {kind!r}")
            self.forges[host] = Forge(host=host, kind=kind)
            for raw in spec.get("accounts") or []:
                self._add_account(host, raw)
        for repo in seed.get("repositories") or []:
            self._insert_repository(repo["host"], repo)

    # -- accounts -----------------------------------------------------------------------------

    def _new_id(self, wanted: int | None = None) -> int:
        if wanted is not None and wanted not in self._accounts_by_id:
            return wanted
        while self._next_account_id in self._accounts_by_id:
            self._next_account_id += 1
        return self._next_account_id

    def _add_account(self, host: str, raw: dict[str, Any]) -> Account:
        forge = self.forge(host)
        kind = raw.get("kind") or ("group" if forge.kind == "gitlab" else "org")
        if kind not in ACCOUNT_KINDS:
            raise ValueError(f"account {raw.get('login')!r}: kind must be one of {ACCOUNT_KINDS}")
        fields = {
            k: raw[k]
            for k in (
                "name",
                "description",
                "website",
                "location",
                "email",
                "created_at",
                "followers",
            )
            if raw.get(k) is not None
        }
        account = Account(
            host=host,
            login=raw["login"],
            kind=kind,
            id=self._new_id(raw.get("id")),
            implicit=raw.get("implicit", False),
            **fields,
        )
        if not account.name:
            account.name = account.login.rpartition("/")[2]
        forge.accounts[account.login.lower()] = account
        self._accounts_by_id[account.id] = account
        if forge.kind == "gitlab" and account.kind == "group" and account.parent_path:
            self._ensure_owner(host, account.parent_path)
        return account

    def _ensure_owner(self, host: str, owner: str) -> None:
        """Give an owner named only by repositories an account (and, on GitLab, its parent groups)."""
        forge = self.forge(host)
        if owner.lower() not in forge.accounts:
            self._add_account(host, {"login": owner, "implicit": True})
        elif forge.kind == "gitlab" and "/" in owner:
            self._ensure_owner(host, owner.rpartition("/")[0])

    def account(self, host: str, login: str) -> Account | None:
        """The account called ``login`` (case-insensitive), None when unknown or removed."""
        forge = self.forge(host)
        if self._is_removed(forge, login):
            return None
        return forge.accounts.get(login.lower())

    def account_by_id(self, host: str, account_id: int) -> Account | None:
        account = self._accounts_by_id.get(account_id)
        if account is None or account.host != host:
            return None
        return self.account(host, account.login)

    def _is_removed(self, forge: Forge, login: str) -> bool:
        parts = login.lower().split("/")
        return any("/".join(parts[: i + 1]) in forge.removed for i in range(len(parts)))

    def subgroups(self, group: Account, *, descendants: bool) -> list[Account]:
        forge = self.forge(group.host)
        prefix = group.login.lower() + "/"
        found = [
            a
            for key, a in forge.accounts.items()
            if a.kind == "group"
            and key.startswith(prefix)
            and (descendants or "/" not in key[len(prefix) :])
            and not self._is_removed(forge, key)
        ]
        return sorted(found, key=lambda a: a.id)

    def remove_account(self, host: str, login: str) -> None:
        with self.lock:
            forge = self.forge(host)
            if login.lower() not in forge.accounts:
                raise KeyError(f"no account {login!r} on {host}")
            forge.removed.add(login.lower())
            self.version += 1

    # -- repositories -------------------------------------------------------------------------

    def forge(self, host: str) -> Forge:
        try:
            return self.forges[host]
        except KeyError:
            raise KeyError(f"no forge {host!r} in the seed") from None

    def _insert_repository(self, host: str, raw: dict[str, Any]) -> dict[str, Any]:
        forge = self.forge(host)
        repo = copy.deepcopy(_REPOSITORY_DEFAULTS) | copy.deepcopy(raw)
        repo["host"] = host
        repo["id"] = int(repo["id"])
        repo.setdefault("path", repo["name"])
        repo["updated_at"] = repo["updated_at"] or repo["created_at"]
        repo["pushed_at"] = repo["pushed_at"] or repo["updated_at"]
        if repo["id"] in forge.repositories:
            raise ValueError(f"repository id {repo['id']} is already on {host}")
        self._ensure_owner(host, repo["owner"])
        forge.repositories[repo["id"]] = repo
        self.version += 1
        return repo

    def add_repository(self, host: str, repo: dict[str, Any]) -> None:
        with self.lock:
            self._insert_repository(host, repo)

    def update_repository(self, host: str, repo_id: int, **changes: Any) -> None:
        with self.lock:
            repo = self._stored_repository(host, repo_id)
            now = utc_now_text()
            changes.setdefault("updated_at", now)
            changes.setdefault("pushed_at", now)
            if "owner" in changes:
                self._ensure_owner(host, changes["owner"])
            repo.update(copy.deepcopy(changes))
            self.version += 1

    def remove_repository(self, host: str, repo_id: int) -> None:
        with self.lock:
            self._stored_repository(host, repo_id)
            del self.forges[host].repositories[repo_id]
            self.version += 1

    def rename_repository(
        self, host: str, repo_id: int, new_name: str, new_owner: str | None = None
    ) -> None:
        with self.lock:
            repo = self._stored_repository(host, repo_id)
            if new_owner:
                self._ensure_owner(host, new_owner)
                repo["owner"] = new_owner
            repo["name"] = new_name
            repo["path"] = new_name
            repo["updated_at"] = utc_now_text()
            self.version += 1

    def _stored_repository(self, host: str, repo_id: int) -> dict[str, Any]:
        try:
            return self.forge(host).repositories[int(repo_id)]
        except KeyError:
            raise KeyError(f"no repository {repo_id} on {host}") from None

    def _indexes(self, host: str) -> _Indexes:
        """Lookups rebuilt after each mutation (a demo host holds thousands of repositories)."""
        indexes = self._index_cache.get(host)
        if indexes is None or indexes.version != self.version:
            forge = self.forge(host)
            visible = [
                r
                for _, r in sorted(forge.repositories.items())
                if not self._is_removed(forge, r["owner"])
            ]
            indexes = _Indexes(version=self.version, visible=visible)
            for repo in visible:
                indexes.by_path[f"{repo['owner']}/{repo['path']}".lower()] = repo
                indexes.by_owner.setdefault(repo["owner"].lower(), []).append(repo)
            self._index_cache[host] = indexes
        return indexes

    def visible_repositories(self, host: str) -> list[dict[str, Any]]:
        """Repositories whose owner still exists, by id."""
        return list(self._indexes(host).visible)

    def owned_repositories(
        self, host: str, owner: str, *, subgroups: bool = False
    ) -> list[dict[str, Any]]:
        """An owner's visible repositories by id; with ``subgroups``, its subgroups' too."""
        by_owner = self._indexes(host).by_owner
        owner = owner.lower()
        if not subgroups:
            return list(by_owner.get(owner, []))
        found = [
            r
            for key, repos in by_owner.items()
            if key == owner or key.startswith(owner + "/")
            for r in repos
        ]
        return sorted(found, key=lambda r: r["id"])

    def repository(self, host: str, repo_id: int) -> dict[str, Any] | None:
        forge = self.forge(host)
        repo = forge.repositories.get(repo_id)
        if repo is None or self._is_removed(forge, repo["owner"]):
            return None
        return repo

    def repository_by_path(self, host: str, full_path: str) -> dict[str, Any] | None:
        return self._indexes(host).by_path.get(full_path.lower())

    # -- faults and rate limits ---------------------------------------------------------------

    def add_fault(self, fault: Fault) -> None:
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"fault kind must be one of {FAULT_KINDS}, not {fault.kind!r}")
        self.forge(fault.host)
        with self.lock:
            self.faults.append(fault)

    def take_fault(self, host: str, target: str) -> Fault | None:
        """The first fault matching this request, counting one use of it."""
        with self.lock:
            return take_fault(self.faults, host, target)

    def window(self, host: str) -> RateWindow:
        with self.lock:
            now = time.time()
            window = self._windows.get(host)
            if window is None or now >= window.started + RATE_LIMIT_WINDOW:
                window = RateWindow(limit=self.rate_limit, started=now)
                self._windows[host] = window
            return window

    def consume(self, host: str) -> RateWindow:
        with self.lock:
            window = self.window(host)
            window.used += 1
            return window


def take_fault(faults: list[Fault], host: str, target: str) -> Fault | None:
    """The first of ``faults`` for ``host`` whose ``path_contains`` is in ``target``, counting
    one use of it (a fault used up is removed). The caller holds the lock guarding ``faults``."""
    for fault in faults:
        if fault.host != host:
            continue
        if fault.path_contains is not None and fault.path_contains not in target:
            continue
        fault.hits += 1
        if fault.times is not None:
            fault.times -= 1
            if fault.times <= 0:
                faults.remove(fault)
        return fault
    return None
