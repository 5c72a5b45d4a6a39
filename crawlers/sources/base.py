"""The source protocol, its error, and the HTTP session every source client sends through."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from importlib import metadata
from typing import Any, Protocol, runtime_checkable

import requests

from crawlers.base import CrawlerError, HttpCache
from crawlers.http import ForgeAdapter, forge_session
from crawlers.records import RequestStats
from crawlers.sources import clean
from crawlers.sources.records import Candidate, Fetched

# Sources are shared public services: a throttle asking for longer than this is a failure of the
# run (retried at the next schedule), not a reason to hold a worker for an hour.
MAX_THROTTLE_WAIT = 120.0
MAX_RETRIES = 3
TIMEOUT = 30.0


def _version() -> str:
    try:
        return metadata.version("logitheque")
    except metadata.PackageNotFoundError:
        return "0"


def default_user_agent() -> str:
    """A polite User-Agent naming the software and where its operator can be reached.

    Wikimedia's policy asks for a contact: the site's own URL (``SITE_URL``, which the Django
    settings read too) is the operator's public address.
    """
    site = os.environ.get("SITE_URL", "").strip() or "http://127.0.0.1:8000"
    return f"Logitheque/{_version()} (+{site}; public-sector software catalog enrichment)"


USER_AGENT = default_user_agent()


class SourceError(Exception):
    """Any failure of a source: network, 5xx, garbage, throttled beyond the bound, bad input.

    ``status`` is the HTTP status when one explains the failure; ``requests`` counts the
    requests sent before it, so a failed run's cost is recorded as a successful one's is.
    """

    def __init__(
        self, source: str, message: str, *, status: int | None = None, requests: int = 0
    ) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message
        self.status = status
        self.requests = requests


@runtime_checkable
class Source(Protocol):
    """One enrichment source."""

    name: str

    def fetch(self, ids: Sequence[str]) -> Fetched:
        """Records for the known ids (conditional requests when a cache is given)."""
        ...

    def search(self, text: str, *, limit: int = 5) -> list[Candidate]:
        """Search hits for a software name; [] when the source has no search."""
        ...


def source_session(
    *,
    user_agent: str = USER_AGENT,
    cache: HttpCache | None = None,
    max_retries: int = MAX_RETRIES,
    max_throttle_wait: float = MAX_THROTTLE_WAIT,
    timeout: float = TIMEOUT,
    sleep: Callable[[float], object] = time.sleep,
) -> requests.Session:
    """A requests session on the forges' transport (crawlers.http.ForgeAdapter).

    It sends the cached ETag as If-None-Match and turns a 304 back into the stored answer,
    retries 5xx and connection errors with backoff, waits out 429 + Retry-After up to
    ``max_throttle_wait`` seconds, and counts every request it sends.
    """
    adapter = ForgeAdapter(
        cache=cache,
        timeout=timeout,
        max_retries=max_retries,
        max_rate_limit_wait=max_throttle_wait,
        sleep=sleep,
    )
    return forge_session(adapter, {"User-Agent": user_agent, "Accept": "application/json"})


def session_stats(session: requests.Session) -> RequestStats:
    """The request counters of a :func:`source_session`'s transport."""
    adapter = session.get_adapter("https://")
    if not isinstance(adapter, ForgeAdapter):
        raise TypeError("not a source_session: its transport keeps no counters")
    return adapter.stats


class SourceClient:
    """Shared plumbing of the source clients: one session, JSON GETs, errors as SourceError.

    ``session`` (a :func:`source_session`, so tests choose retries and sleeping) wins over
    ``cache``, which only equips the session built when none is given.
    """

    name = "source"

    def __init__(
        self,
        base_url: str,
        *,
        cache: HttpCache | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session if session is not None else source_session(cache=cache)
        self.stats = session_stats(self.session)
        # Where the counters stood when the current fetch began (see ``snapshot``).
        self.started = RequestStats()

    def get(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        *,
        allow_redirects: bool = True,
    ) -> requests.Response:
        """A successful (2xx, or 304 replayed from the cache) answer, or SourceError; with
        ``allow_redirects=False``, a redirect is handed over to be checked before following."""
        try:
            response = self.session.get(url, params=params, allow_redirects=allow_redirects)
        except CrawlerError as exc:
            raise self.error(exc.message, status=exc.status) from exc
        except requests.RequestException as exc:
            raise self.error(f"{type(exc).__name__} on {url}: {exc}") from exc
        if not allow_redirects and response.is_redirect:
            return response
        if not 200 <= response.status_code < 300:
            raise self.error(f"HTTP {response.status_code} from {url}", status=response.status_code)
        return response

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        """The decoded JSON body of a GET; garbage is a SourceError."""
        response = self.get(url, params)
        try:
            return json.loads(response.content)
        except ValueError as exc:
            raise self.error(
                f"the answer from {url} is not JSON: {exc}", status=response.status_code
            ) from exc

    def error(self, message: str, *, status: int | None = None) -> SourceError:
        """A SourceError counting the requests of the current fetch."""
        sent = self.stats.requests - self.started.requests
        return SourceError(self.name, message, status=status, requests=sent)

    def fetched(self, records: Sequence[Any], *, since: RequestStats) -> Fetched:
        """A Fetched for the requests sent since the ``since`` snapshot of the counters."""
        sent = self.stats.requests - since.requests
        unchanged = self.stats.not_modified - since.not_modified
        return Fetched(
            records=tuple(records),
            not_modified=sent > 0 and unchanged == sent,
            requests=sent,
        )

    def search_term(self, text: str) -> str:
        """``text`` cleaned for a search, the counters set for it ("" means: search nothing)."""
        self.snapshot()
        return clean.text(text)

    def snapshot(self) -> RequestStats:
        """A copy of the counters as a fetch begins, to measure it."""
        self.started = RequestStats(
            requests=self.stats.requests, not_modified=self.stats.not_modified
        )
        return self.started
