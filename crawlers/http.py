"""Every forge request goes through here: conditional requests, rate limits, retries, accounting."""

from __future__ import annotations

import email.utils
import json
import random
import time
from collections.abc import Callable, Mapping

import httpx
import requests
from requests.adapters import HTTPAdapter

from crawlers.base import (
    AuthenticationFailed,
    CrawlerError,
    ForgeUnavailable,
    HttpCache,
    InvalidResponse,
    RateLimitExceeded,
)
from crawlers.records import RequestStats

# Headers a client library needs to read a cached body again (paging above all).
CACHED_HEADERS = (
    "content-type",
    "link",
    "x-page",
    "x-per-page",
    "x-next-page",
    "x-prev-page",
    "x-total",
    "x-total-pages",
    "x-total-count",
)
TRANSIENT_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)
MAX_BACKOFF = 60.0
# A forge that keeps answering "rate limited" after this many waits for one request is refusing us.
MAX_RATE_LIMIT_WAITS = 5
# Below this share of the hourly budget left, requests are spread over the time to the reset.
LOW_REMAINING_SHARE = 0.01


class MemoryHttpCache:
    """An HttpCache in a dict: for tests, benchmarks and one-off crawls."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[str, bytes]] = {}

    def get(self, url: str) -> tuple[str, bytes] | None:
        return self.entries.get(url)

    def set(self, url: str, etag: str, body: bytes) -> None:
        self.entries[url] = (etag, body)

    def __len__(self) -> int:
        return len(self.entries)


def pack(headers: Mapping[str, str], body: bytes) -> bytes:
    """The cached form of an answer: its paging headers as one JSON line, then the body."""
    kept = {k.lower(): v for k, v in headers.items() if k.lower() in CACHED_HEADERS}
    return json.dumps(kept, separators=(",", ":")).encode() + b"\n" + body


def unpack(data: bytes) -> tuple[dict[str, str], bytes] | None:
    """Headers and body from :func:`pack`'s output; None for anything else."""
    line, newline, body = data.partition(b"\n")
    if not newline:
        return None
    try:
        headers = json.loads(line)
    except ValueError:
        return None
    if not isinstance(headers, dict):
        return None
    return {str(k): str(v) for k, v in headers.items()}, body


def _number(headers: Mapping[str, str], *names: str) -> float | None:
    for name in names:
        value = headers.get(name)
        if value is None:
            continue
        try:
            return float(value)
        except ValueError:
            continue
    return None


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """Retry-After as seconds to wait: a number of seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - now)


class ForgeAdapter(HTTPAdapter):
    """A requests transport adapter that makes every client library behave the same way.

    For each GET it sends the stored ETag and turns a 304 back into the stored 200 (with its
    paging headers) so the library paginates as usual; it waits out rate limits (Retry-After,
    or Remaining 0 until Reset) and slows down when the budget runs low; it retries 5xx,
    timeouts, broken connections and bodies that are not the JSON announced, with exponential
    backoff and jitter; it raises a :class:`CrawlerError` when that is not enough. One adapter
    serves one crawl at a time: ``stats`` is replaced by the client for each account.
    """

    def __init__(
        self,
        *,
        cache: HttpCache | None = None,
        timeout: float = 30,
        max_retries: int = 4,
        max_rate_limit_wait: float = 3600,
        sleep: Callable[[float], object] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(max_retries=0)
        self.cache = cache
        self.timeout = timeout
        self.retries = max_retries
        self.max_rate_limit_wait = max_rate_limit_wait
        self.sleep = sleep
        self.clock = clock
        self.stats = RequestStats()

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: object = None,
        verify: bool | str = True,
        cert: object = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        url = request.url or ""
        cached = self._cached(url) if request.method == "GET" else None
        if cached is not None:
            request.headers["If-None-Match"] = cached[0]
        attempt = 0
        waits = 0
        while True:
            self.stats.requests += 1
            failure: CrawlerError | None
            try:
                response = super().send(
                    request,
                    stream=False,
                    timeout=self.timeout,
                    verify=verify,
                    cert=cert,
                    proxies=proxies,
                )
                response.content  # noqa: B018 - read now: a cut-off body is a transient error
            except TRANSIENT_ERRORS as exc:
                failure = ForgeUnavailable(f"{type(exc).__name__} on {url}: {exc}", url=url)
            else:
                wait = self._rate_limit_wait(response)
                if wait is not None:
                    waits += 1
                    if waits > MAX_RATE_LIMIT_WAITS or wait > self.max_rate_limit_wait:
                        raise RateLimitExceeded(
                            f"rate limited on {url}: the forge asks to wait {wait:.0f} s "
                            f"(at most {self.max_rate_limit_wait:.0f} s allowed, "
                            f"{waits - 1} waits already)",
                            status=response.status_code,
                            url=url,
                        )
                    self._wait(wait)
                    continue
                if response.status_code == 304 and cached is not None:
                    self.stats.not_modified += 1
                    self._pace(response)
                    return self._from_cache(response, cached[1])
                failure = self._failure(response, url)
                if failure is None:
                    self._pace(response)
                    self._remember(request, response)
                    return response
            if attempt >= self.retries:
                raise failure
            attempt += 1
            self.stats.retries += 1
            self.sleep(self._backoff(attempt))

    # -- conditional requests ------------------------------------------------------------------

    def _cached(self, url: str) -> tuple[str, tuple[dict[str, str], bytes]] | None:
        """The stored validator and answer for ``url``; an unreadable entry counts as none."""
        if self.cache is None:
            return None
        entry = self.cache.get(url)
        if entry is None or not entry[0]:
            return None
        unpacked = unpack(entry[1])
        return None if unpacked is None else (entry[0], unpacked)

    def _remember(self, request: requests.PreparedRequest, response: requests.Response) -> None:
        etag = response.headers.get("ETag", "")
        if self.cache is None or request.method != "GET" or response.status_code != 200 or not etag:
            return
        self.cache.set(request.url or "", etag, pack(response.headers, response.content))

    def _from_cache(
        self, response: requests.Response, stored: tuple[dict[str, str], bytes]
    ) -> requests.Response:
        headers, body = stored
        # Fresh headers (rate limits, validator) win over stored ones, paging comes from the store.
        for name in CACHED_HEADERS:
            response.headers.pop(name, None)
        response.headers.update(headers)
        response.status_code = 200
        response.reason = "OK"
        response._content = body
        return response

    # -- rate limits -----------------------------------------------------------------------------

    def _rate_limit_wait(self, response: requests.Response) -> float | None:
        """Seconds to wait before sending again, or None when this is not a rate-limit answer."""
        if response.status_code not in (403, 429):
            return None
        now = self.clock()
        headers = response.headers
        retry_after = retry_after_seconds(headers.get("Retry-After"), now)
        if retry_after is not None:
            return max(retry_after, 1.0)
        remaining = _number(headers, "X-RateLimit-Remaining", "RateLimit-Remaining")
        reset = _number(headers, "X-RateLimit-Reset", "RateLimit-Reset")
        if remaining is not None and remaining <= 0 and reset is not None:
            return max(reset - now, 0.0) + 1.0
        if response.status_code == 429 or b"rate limit" in response.content[:2000].lower():
            # Throttled without saying for how long: GitHub asks for at least a minute.
            return 60.0
        return None

    def _pace(self, response: requests.Response) -> None:
        """When little of the budget is left, spread what remains over the time to the reset."""
        headers = response.headers
        remaining = _number(headers, "X-RateLimit-Remaining", "RateLimit-Remaining")
        limit = _number(headers, "X-RateLimit-Limit", "RateLimit-Limit")
        reset = _number(headers, "X-RateLimit-Reset", "RateLimit-Reset")
        if remaining is None or limit is None or reset is None or limit <= 0:
            return
        if remaining > max(1.0, limit * LOW_REMAINING_SHARE):
            return
        pause = max(reset - self.clock(), 0.0) / (remaining + 1)
        if 0 < pause <= self.max_rate_limit_wait:
            self._wait(pause)

    def _wait(self, seconds: float) -> None:
        self.stats.rate_limit_waits += 1
        self.stats.rate_limit_wait_seconds += seconds
        self.sleep(seconds)

    # -- failures --------------------------------------------------------------------------------

    def _failure(self, response: requests.Response, url: str) -> CrawlerError | None:
        """The error to raise if retries do not help, None for an answer to hand over."""
        status = response.status_code
        if status == 401:
            raise AuthenticationFailed(
                f"the forge refused the credentials (401) for {url}", status=status, url=url
            )
        if status >= 500 or status == 429:
            return ForgeUnavailable(f"HTTP {status} from {url}", status=status, url=url)
        if 200 <= status < 300 and response.content:
            content_type = response.headers.get("Content-Type", "").lower()
            if "html" in content_type:
                return InvalidResponse(
                    f"an HTML page instead of the API's answer from {url}", status=status, url=url
                )
            if "json" in content_type:
                try:
                    json.loads(response.content)
                except ValueError as exc:
                    return InvalidResponse(
                        f"invalid or truncated JSON from {url}: {exc}", status=status, url=url
                    )
        return None

    def _backoff(self, attempt: int) -> float:
        return min(MAX_BACKOFF, 2.0 ** (attempt - 1)) + random.uniform(0, 1)


def forge_session(
    adapter: ForgeAdapter, headers: Mapping[str, str] | None = None
) -> requests.Session:
    """A requests session whose every request goes through ``adapter``."""
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    if headers:
        session.headers.update(headers)
    return session


def next_link(link_header: str | None) -> str:
    """The rel="next" URL of a Link header, "" on the last page."""
    for link in requests.utils.parse_header_links(link_header or ""):
        if link.get("rel") == "next" and link.get("url"):
            return link["url"]
    return ""


class HttpxBridge(httpx.BaseTransport):
    """An httpx transport that sends through a requests session (and so through its
    ForgeAdapter): clients built on httpx, such as python-gitlab's GraphQL, share the crawl's
    retries, rate limits and accounting."""

    def __init__(self, session: requests.Session) -> None:
        self.session = session

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.session.request(
            request.method,
            str(request.url),
            headers=dict(request.headers),
            data=request.read(),
            allow_redirects=False,
        )
        # requests already decoded the body: its length and encoding headers no longer apply.
        headers = [
            (name, value)
            for name, value in answer.headers.items()
            if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx.Response(answer.status_code, headers=headers, content=answer.content)
