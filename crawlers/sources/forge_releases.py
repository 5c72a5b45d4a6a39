"""The latest release (or tag) of a catalog entry's repository, through the inventory's forge clients."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from crawlers.base import CrawlerError, HttpCache
from crawlers.registry import client_for
from crawlers.sources import clean
from crawlers.sources.base import MAX_RETRIES, MAX_THROTTLE_WAIT, SourceError
from crawlers.sources.records import SourceRecord, Version

SOURCE = "forge"
# The public forges everyone knows; others are named by the caller (host → (kind, API URL)).
KNOWN_FORGES: dict[str, tuple[str, str]] = {
    "github.com": ("github", "https://api.github.com"),
    "gitlab.com": ("gitlab", "https://gitlab.com"),
    "codeberg.org": ("gitea", "https://codeberg.org/api/v1"),
}
_VERSION_PREFIX = re.compile(r"^(?:v|version[-_ ]?|release[-_ ]?)(?=\d)", re.IGNORECASE)


def repository_path(repository_url: str) -> tuple[str, str]:
    """(host, "owner/name") of a repository's web URL ("" when it names no repository)."""
    address = clean.url(repository_url)
    if not address:
        return "", ""
    parts = urlsplit(address)
    path = parts.path.strip("/").removesuffix(".git")
    # A GitLab URL may point inside the project (".../-/tree/main"): the project ends before "/-/".
    path = path.split("/-/")[0].strip("/")
    if path.count("/") < 1:
        return "", ""
    return (parts.hostname or "").lower(), path


def version_number(tag: str) -> str:
    """The version a tag names: "v1.2.0" and "release-1.2.0" are "1.2.0"."""
    return _VERSION_PREFIX.sub("", tag.strip())


def latest_release(
    repository_url: str,
    *,
    cache: HttpCache | None = None,
    forges: Mapping[str, tuple[str, str]] | None = None,
    token: str | None = None,
    max_retries: int = MAX_RETRIES,
) -> SourceRecord | None:
    """A "forge" record with ``latest_version`` for the repository at ``repository_url``.

    ``forges`` maps hosts to (kind, API URL) beyond :data:`KNOWN_FORGES` (self-hosted GitLab
    and Gitea instances, or the fake forge). None when the host is not a forge we know or the
    repository publishes neither release nor tag; SourceError when the forge fails. With a
    ``cache``, a re-run sends one conditional request per repository.
    """
    host, full_name = repository_path(repository_url)
    forge = (dict(KNOWN_FORGES) | dict(forges or {})).get(host)
    if forge is None or not full_name:
        return None
    kind, api_url = forge
    client = client_for(
        kind,
        api_url=api_url,
        token=token,
        cache=cache,
        max_retries=max_retries,
        max_rate_limit_wait=MAX_THROTTLE_WAIT,
    )
    try:
        release = client.latest_release(full_name)
    except CrawlerError as exc:
        sent = client.adapter.stats.requests
        raise SourceError(SOURCE, exc.message, status=exc.status, requests=sent) from exc
    if release is None:
        return None
    number = clean.text(version_number(release.tag))
    if not number:
        return None
    published = release.published_at.date() if release.published_at else None
    repository = clean.url(repository_url)
    return SourceRecord(
        source=SOURCE,
        external_id=repository,
        url=release.html_url or repository,
        label=clean.text(release.name),
        repository=repository,
        latest_version=Version(number, published),
        raw={
            "tag": release.tag,
            "name": release.name,
            "published_at": release.published_at.isoformat() if release.published_at else None,
            "html_url": release.html_url,
        },
    )
