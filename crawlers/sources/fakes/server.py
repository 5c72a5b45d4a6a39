"""The fake sources' HTTP server: one ThreadingHTTPServer on 127.0.0.1 for every source."""

from __future__ import annotations

import copy
import sys
import threading
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode

from crawlers.fakeforge import FakeForge
from crawlers.fakeforge.common import Response
from crawlers.fakeforge.server import LocalServer
from crawlers.fakeforge.state import Fault, take_fault
from crawlers.sources.fakes import answers

SOURCES = ("wikidata", "commons", "comptoir", "cnll", "hal")
FAULT_KINDS = ("server_error", "throttle", "garbage", "redirect", "missing_fields")
# A redirected request comes back under this first path segment, then is answered normally.
MOVED = "moved"
GARBAGE = (
    b"<!DOCTYPE html><html><head><title>Maintenance</title></head>"
    b"<body><h1>Service en maintenance</h1></body></html>\n"
)


@dataclass(frozen=True)
class RequestLog:
    """One request as the server saw it: ``path`` starts after the source (``/w/api.php``)."""

    source: str
    method: str
    path: str
    query: dict[str, str]
    status: int
    headers: dict[str, str]

    @property
    def conditional(self) -> bool:
        return any(k.lower() == "if-none-match" for k in self.headers)


class FakeSources:
    """Wikidata, Commons, Comptoir du Libre, the CNLL directory and HAL on one local port.

    ``seed`` is a dict (see :mod:`crawlers.sources.fakes.seed`); ``forge_seed``, when given,
    also starts a :class:`crawlers.fakeforge.FakeForge` for the forges' latest releases.
    """

    def __init__(
        self,
        seed: Mapping[str, Any] | None = None,
        port: int = 0,
        *,
        forge_seed: dict[str, Any] | None = None,
    ) -> None:
        self.seed: dict[str, Any] = copy.deepcopy(dict(seed or {}))
        self.lock = threading.Lock()
        self.faults: list[Fault] = []
        self._log: list[RequestLog] = []
        self._server = LocalServer(("127.0.0.1", port or 0), self)
        self.port: int = self._server.server_address[1]
        self.forge = FakeForge(forge_seed) if forge_seed is not None else None

    @classmethod
    def from_demo_seed(cls, port: int = 0) -> FakeSources:
        """The sources seeded with :func:`crawlers.sources.fakes.seed.demo_seed`."""
        from crawlers.sources.fakes.seed import demo_seed

        return cls(demo_seed(), port)

    # -- life cycle -------------------------------------------------------------------------------

    def start(self) -> FakeSources:
        """Serve in a daemon thread (and the fake forge, if any) until :meth:`stop`: how the
        demo runs the sources beside the site; starting twice does nothing more."""
        if self.forge is not None:
            self.forge.start()
        self._server.serve_in_thread(f"fakesources:{self.port}")
        return self

    def stop(self) -> None:
        self._server.stop()
        if self.forge is not None:
            self.forge.stop()

    def __enter__(self) -> FakeSources:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- addresses --------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_urls(self) -> dict[str, str]:
        """The ``base_url`` each client takes: wikidata, commons, comptoir, cnll, hal."""
        return {source: f"{self.base_url}/{source}" for source in SOURCES}

    @property
    def forges(self) -> dict[str, tuple[str, str]]:
        """host → (kind, API URL) of the fake forge, for ``forge_releases.latest_release``."""
        if self.forge is None:
            return {}
        return {
            host: (forge.kind, self.forge.api_url(host))
            for host, forge in self.forge.state.forges.items()
        }

    # -- log, faults, data ------------------------------------------------------------------------

    @property
    def requests(self) -> list[RequestLog]:
        with self.lock:
            return list(self._log)

    def reset_log(self) -> None:
        with self.lock:
            self._log.clear()

    def fault(
        self,
        source: str,
        kind: str,
        *,
        path_contains: str | None = None,
        times: int | None = None,
        seconds: float = 1,
    ) -> None:
        """Make ``source`` fail: ``server_error`` (500), ``throttle`` (429 + Retry-After:
        ``seconds``), ``garbage`` (200 with an HTML page), ``redirect`` (301 to the same request
        under /moved/), ``missing_fields`` (optional fields left out of the answer).
        ``times=None`` is every matching request, ``times=N`` the next N."""
        if source not in SOURCES:
            raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
        if kind not in FAULT_KINDS:
            raise ValueError(f"fault kind must be one of {FAULT_KINDS}, not {kind!r}")
        with self.lock:
            self.faults.append(Fault(source, kind, path_contains, times, seconds))

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def update(self, source: str, value: Any) -> None:
        """Replace one source's data (the next answers change, and so do their ETags)."""
        with self.lock:
            self.seed[source] = copy.deepcopy(value)

    # -- serving ----------------------------------------------------------------------------------

    def serve_request(self, handler: BaseHTTPRequestHandler) -> None:
        """Answer one request (called by the server's handler threads)."""
        length = int(handler.headers.get("Content-Length") or 0)
        if length:
            handler.rfile.read(length)
        raw_path, _, query_string = handler.path.partition("?")
        query = dict(parse_qsl(query_string, keep_blank_values=True))
        segments = [unquote(p) for p in raw_path.split("/")[1:]]
        moved = bool(segments) and segments[0] == MOVED
        if moved:
            segments = segments[1:]
        source = segments[0] if segments else ""
        headers = dict(handler.headers.items())
        try:
            response = self._answer(handler.command, source, segments[1:], query, headers, moved)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            response = Response(status=500, body=b'{"error": "fake sources failure"}')
        path = "/" + "/".join(segments[1:])
        with self.lock:
            self._log.append(
                RequestLog(source, handler.command, path, query, response.status, headers)
            )
        try:
            handler.send_response(response.status)
            for key, value in response.headers.items():
                handler.send_header(key, value)
            if response.status != 304:
                handler.send_header("Content-Type", response.content_type)
                handler.send_header("Content-Length", str(len(response.body)))
            handler.end_headers()
            if response.status != 304 and handler.command != "HEAD":
                handler.wfile.write(response.body)
        except OSError:
            handler.close_connection = True

    def _answer(
        self,
        method: str,
        source: str,
        segments: list[str],
        query: dict[str, str],
        headers: dict[str, str],
        moved: bool,
    ) -> Response:
        if source not in SOURCES:
            return answers.not_found()
        if method not in ("GET", "HEAD"):
            return Response(status=405, body=b'{"error": "method not allowed"}')
        target = "/" + "/".join(segments) + (f"?{urlencode(query)}" if query else "")
        with self.lock:
            fault = take_fault(self.faults, source, target)
        drop = False
        if fault is not None:
            if fault.kind == "server_error":
                return Response(status=500, body=b'{"error": "Internal Server Error"}')
            if fault.kind == "throttle":
                return Response(
                    status=429,
                    body=b'{"error": "Too Many Requests"}',
                    headers={"Retry-After": str(int(fault.seconds))},
                )
            if fault.kind == "garbage":
                return Response(status=200, body=GARBAGE, content_type="text/html; charset=utf-8")
            if fault.kind == "redirect" and not moved:
                location = f"{self.base_url}/{MOVED}/{source}{target}"
                return Response(
                    status=301, headers={"Location": location}, content_type="text/html"
                )
            drop = fault.kind == "missing_fields"
        with self.lock:
            response = self._route(source, segments, query, drop)
        if response.status == 200:
            etag = response.etag
            response.headers["ETag"] = etag
            wanted = next((v for k, v in headers.items() if k.lower() == "if-none-match"), "")
            if etag in {c.strip().removeprefix("W/") for c in wanted.split(",")}:
                return Response(status=304, headers={"ETag": etag})
        return response

    def _route(
        self, source: str, segments: list[str], query: dict[str, str], drop: bool
    ) -> Response:
        path = "/".join(s for s in segments if s)
        if source == "wikidata" and path == "w/api.php":
            return answers.wikidata_api(self.seed, query, drop=drop)
        if source == "commons":
            return answers.commons(self.seed, [s for s in segments if s], self.base_url)
        if source == "comptoir" and path == "public/export/comptoir-du-libre_export_v1.json":
            return answers.comptoir_export(self.seed, drop=drop)
        if source == "cnll" and path == "api/prestataires-sill.json":
            return answers.cnll_providers(self.seed, drop=drop)
        if source == "hal" and path == "search":
            return answers.hal_search(self.seed, query, drop=drop)
        return answers.not_found()
