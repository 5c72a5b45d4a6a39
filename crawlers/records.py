"""Frozen records returned by the forge clients: what crosses from crawlers/ into the Django side."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class AccountRef:
    """What a client needs to know to crawl an account.

    ``login`` is a GitHub login, a GitLab group path (``a/b/c``) or user name, a Gitea
    organisation or user; it is empty for ``kind == "instance"`` (the whole forge).
    """

    api_url: str
    kind: str  # "org", "user", "group" or "instance"
    login: str = ""


@dataclass(frozen=True, slots=True)
class AccountRecord:
    """Public profile of an account (the organisation or user page on the forge)."""

    login: str
    name: str = ""
    description: str = ""
    html_url: str = ""
    website: str = ""
    location: str = ""
    email: str = ""  # only the address the owner made public on the forge
    avatar_url: str = ""
    created_at: dt.datetime | None = None
    followers: int | None = None
    is_verified: bool | None = None


@dataclass(frozen=True, slots=True)
class RootFiles:
    """Which well-known files the default branch's root holds (one listing per new or changed repo)."""

    readme: bool = False
    license: bool = False
    contributing: bool = False
    changelog: bool = False
    publiccode: bool = False


@dataclass(frozen=True, slots=True)
class DependencyRecord:
    """One package a repository depends on, as its manifests and lock files say.

    ``name`` is normalised for its ecosystem (PEP 503 for PyPI, lower case for npm...);
    ``requirement`` is the manifest's constraint as written, ``resolved_version`` what a lock
    file pinned; ``direct`` is False for a package only a lock file lists (transitive).
    """

    ecosystem: str
    name: str
    requirement: str = ""
    resolved_version: str = ""
    scope: str = "runtime"  # or "development"
    direct: bool = True
    manifest: str = ""  # the root file that declared it


@dataclass(frozen=True, slots=True)
class ManifestRecord:
    """A manifest or lock file read from a repository's root, and what became of it."""

    path: str
    ecosystem: str
    kind: str  # "manifest" or "lock"
    status: str = "parsed"  # parsed, malformed, too_large, unreadable
    error: str = ""
    dependencies: int = 0
    # The package the repository itself publishes, when the manifest names one.
    package_name: str = ""
    package_version: str = ""


@dataclass(frozen=True, slots=True)
class RepositoryDetails:
    """What costs extra requests, fetched only for repositories new or changed since the last crawl."""

    root_files: RootFiles = field(default_factory=RootFiles)
    publiccode_text: str = ""
    publiccode: dict[str, Any] | None = None  # parsed publiccode.yml (None when absent or invalid)
    publiccode_error: str = ""
    # GitLab's project list lacks these two; other forges copy them from the listing.
    license_spdx: str = ""
    license_name: str = ""
    language: str = ""
    languages: dict[str, float] | None = None
    # None when manifests were not read (the stored dependencies then stay as they are).
    manifests: tuple[ManifestRecord, ...] | None = None
    dependencies: tuple[DependencyRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class RepositoryRecord:
    """One repository as the forge lists it, normalised (SPDX, aware UTC dates, lower-case topics)."""

    forge_id: str
    owner: str  # namespace: organisation/user login or full group path
    name: str
    full_name: str
    html_url: str
    clone_url: str = ""
    description: str = ""
    default_branch: str = ""
    language: str = ""
    license_spdx: str = ""
    license_name: str = ""
    topics: tuple[str, ...] = ()
    stars: int = 0
    forks: int = 0
    open_issues: int | None = None
    subscribers: int | None = None
    is_fork: bool = False
    is_archived: bool = False
    is_template: bool = False
    homepage: str = ""
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    pushed_at: dt.datetime | None = None
    # Opaque token that changes when the repository changes (push, metadata edit):
    # the pipeline compares it with the stored one to decide what needs details.
    change_key: str = ""
    details: RepositoryDetails | None = None


@dataclass(slots=True)
class RequestStats:
    """HTTP accounting for one account's crawl (mutable: the transport adds to it)."""

    requests: int = 0
    not_modified: int = 0
    retries: int = 0
    rate_limit_waits: int = 0
    rate_limit_wait_seconds: float = 0.0
    graphql_queries: int = 0
    graphql_cost: int = 0  # GitHub's rate-limit points (GitLab: the queries' complexity)


@dataclass(frozen=True, slots=True)
class AccountCrawlResult:
    """Everything one account's crawl produced."""

    account: AccountRecord | None
    repositories: tuple[RepositoryRecord, ...]
    stats: RequestStats


@dataclass(frozen=True, slots=True)
class ReleaseRecord:
    """A repository's latest release, or its latest tag when it publishes no release."""

    tag: str
    name: str = ""
    published_at: dt.datetime | None = None
    html_url: str = ""
