"""Pick the forge client for a forge kind."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from crawlers.base import CrawlerError, ForgeClient
from crawlers.gitea import GiteaClient
from crawlers.github import GitHubClient
from crawlers.gitlab import GitLabClient
from crawlers.http import MemoryHttpCache

__all__ = ["FORGE_KINDS", "MemoryHttpCache", "client_for"]

CLIENTS: dict[str, Callable[..., ForgeClient]] = {
    "github": GitHubClient,
    "gitlab": GitLabClient,
    "gitea": GiteaClient,
    "gogs": functools.partial(GiteaClient, gogs=True),
}
FORGE_KINDS = tuple(CLIENTS)


def client_for(kind: str, *, api_url: str, **options: Any) -> ForgeClient:
    """A client for the forge at ``api_url`` (GitHub: ".../api/v3" or "https://api.github.com";
    GitLab: the instance root; Gitea and Gogs: ".../api/v1"). ``options`` are those of
    :class:`crawlers.client.ForgeHttpClient`: token, cache, timeout, max_retries,
    max_rate_limit_wait, sleep."""
    try:
        factory = CLIENTS[kind]
    except KeyError:
        raise CrawlerError(
            f"unknown forge kind {kind!r}: expected one of {', '.join(FORGE_KINDS)}"
        ) from None
    if not api_url.startswith(("http://", "https://")):
        raise CrawlerError(f"the API URL {api_url!r} of a {kind} forge must start with http(s)://")
    return factory(api_url=api_url, **options)
