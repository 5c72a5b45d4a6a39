"""Forge helpers shared by the accounts registry: host names, API base URLs, kinds of accounts."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from inventory.forges.models import AccountKind, ForgeKind

# Hosts whose forge software is known without asking; the rest come from the file or platforms.csv.
KNOWN_HOST_KINDS = {
    "github.com": ForgeKind.GITHUB,
    "gitlab.com": ForgeKind.GITLAB,
    "framagit.org": ForgeKind.GITLAB,
    "codeberg.org": ForgeKind.GITEA,
    "sr.ht": ForgeKind.SOURCEHUT,
    "git.sr.ht": ForgeKind.SOURCEHUT,
}
KIND_ALIASES = {"forgejo": ForgeKind.GITEA}
CRAWLABLE_KINDS = frozenset({ForgeKind.GITHUB, ForgeKind.GITLAB, ForgeKind.GITEA, ForgeKind.GOGS})
# Which account kinds each forge has; the first is what an owner listed without a kind becomes.
ACCOUNT_KINDS = {
    ForgeKind.GITHUB: (AccountKind.ORG, AccountKind.USER),
    ForgeKind.GITEA: (AccountKind.ORG, AccountKind.USER),
    ForgeKind.GOGS: (AccountKind.ORG, AccountKind.USER),
    ForgeKind.GITLAB: (AccountKind.GROUP, AccountKind.USER),
    ForgeKind.SOURCEHUT: (AccountKind.USER,),
}
NOT_CRAWLABLE_NOTE = "Not crawled: Logithèque has no client for {kind} forges yet."

_HOST_PATTERN = re.compile(
    r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+(?::\d{1,5})?$"
)
_LOGIN_PATTERN = re.compile(r"^~?[A-Za-z0-9_.][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_.][A-Za-z0-9_.-]*)*$")


def host_normalise(value: object) -> str:
    """A forge host in lower case (``gitlab.example.fr``, optionally with a port); ValueError if not one."""
    if not isinstance(value, str):
        raise ValueError(f"a forge host must be text, not {type(value).__name__}")
    host = value.strip().lower().rstrip(".")
    if len(host) > 253 or not _HOST_PATTERN.match(host):
        raise ValueError(f"{value!r} is not a forge host name (such as gitlab.example.fr)")
    return host


def login_normalise(value: object) -> str:
    """An owner's login or group path (``a/b/c``) without surrounding slashes; ValueError if not one."""
    if not isinstance(value, str):
        raise ValueError(f"an owner must be a login or group path, not {type(value).__name__}")
    login = value.strip().strip("/")
    if len(login) > 255 or not _LOGIN_PATTERN.match(login):
        raise ValueError(f"{value!r} is not a login or group path")
    if any(segment in (".", "..") for segment in login.split("/")):
        raise ValueError(f"{value!r} is not a login or group path (no . or .. in a path)")
    return login


def forge_kind_normalise(value: object) -> str:
    """A forge kind among ours (``forgejo`` is read as gitea); ValueError if unknown."""
    kind = str(value).strip().lower() if isinstance(value, str) else ""
    kind = KIND_ALIASES.get(kind, kind)
    if kind not in ForgeKind.values:
        raise ValueError(
            f"unknown forge kind {value!r} (expected one of {', '.join(ForgeKind.values)})"
        )
    return kind


def forge_api_url(*, host: str, kind: str) -> str:
    """The base URL the crawler client of ``kind`` takes for ``host`` (stored as Forge.api_url)."""
    if kind == ForgeKind.GITHUB:
        return "https://api.github.com" if host == "github.com" else f"https://{host}/api/v3"
    if kind in (ForgeKind.GITEA, ForgeKind.GOGS):
        return f"https://{host}/api/v1"
    return f"https://{host}"


def account_kinds_for(forge_kind: str) -> tuple[str, ...]:
    return ACCOUNT_KINDS.get(forge_kind, (AccountKind.ORG, AccountKind.USER))


def default_account_kind(forge_kind: str) -> str:
    """What an owner listed without a kind is taken for. A GitHub or Gitea owner may be a user:
    only the forge can tell, so telling them apart is left to the crawler."""
    return account_kinds_for(forge_kind)[0]


def platforms_load(path: str | Path) -> dict[str, str]:
    """``platforms.csv`` (``domain_name,platform``): host → forge kind, skipping unknown kinds."""
    table = {}
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                table[host_normalise(row.get("domain_name", ""))] = forge_kind_normalise(
                    row.get("platform")
                )
            except ValueError:
                continue
    return table
