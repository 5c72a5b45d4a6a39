"""The latest release (or tag) of a catalog entry's repository, through the inventory's forge clients."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from crawlers.base import CrawlerError, HttpCache
from crawlers.records import RequestStats
from crawlers.registry import client_for
from crawlers.sources import clean
from crawlers.sources.base import MAX_RETRIES, MAX_THROTTLE_WAIT, SourceError
from crawlers.sources.records import Candidate, Fetched, SourceRecord, Version

SOURCE = "forge"
GONE = (404, 410)  # a repository deleted or made private: no release, not a failed run
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
    stats: RequestStats | None = None,
) -> SourceRecord | None:
    """A "forge" record with ``latest_version`` for the repository at ``repository_url``.

    ``forges`` maps hosts to (kind, API URL) beyond :data:`KNOWN_FORGES` (self-hosted GitLab
    and Gitea instances, or the fake forge). None when the host is not a forge we know, the
    repository is gone (404, 410) or publishes neither release nor tag; SourceError when the
    forge fails otherwise (a dead link is no reason to fail a run, a forge that is down is). With a
    ``cache``, a re-run sends one conditional request per repository. ``stats``, when given,
    counts the requests sent.
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
        if exc.status in GONE:
            return None
        sent = client.adapter.stats.requests
        raise SourceError(SOURCE, exc.message, status=exc.status, requests=sent) from exc
    finally:
        if stats is not None:
            stats.requests += client.adapter.stats.requests
            stats.not_modified += client.adapter.stats.not_modified
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


class ForgeReleases:
    """The forges as a :class:`crawlers.sources.base.Source`: ids are repository URLs.

    A repository that is gone (404, 410) gives no record; any other failure raises
    SourceError, so a forge that is down changes nothing. ``tokens`` maps hosts to API tokens.
    """

    name = SOURCE

    def __init__(
        self,
        *,
        forges: Mapping[str, tuple[str, str]] | None = None,
        cache: HttpCache | None = None,
        tokens: Mapping[str, str] | None = None,
        max_retries: int = MAX_RETRIES,
    ) -> None:
        self.forges = dict(forges or {})
        self.cache = cache
        self.tokens = dict(tokens or {})
        self.max_retries = max_retries

    def fetch(self, ids: Sequence[str]) -> Fetched:
        stats = RequestStats()
        records = []
        for url in dict.fromkeys(ids):
            try:
                record = latest_release(
                    url,
                    cache=self.cache,
                    forges=self.forges,
                    token=self.tokens.get(repository_path(url)[0]),
                    max_retries=self.max_retries,
                    stats=stats,
                )
            except SourceError as exc:
                exc.requests = stats.requests
                raise
            if record is not None:
                records.append(record)
        return Fetched(
            records=tuple(records),
            not_modified=stats.requests > 0 and stats.not_modified == stats.requests,
            requests=stats.requests,
        )

    def search(self, text: str, *, limit: int = 5) -> list[Candidate]:
        """Forges are reached through an entry's repository, never searched."""
        return []
