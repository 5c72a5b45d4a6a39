"""The fake forge's HTTP server: one ThreadingHTTPServer on 127.0.0.1 serving every seeded host."""

from __future__ import annotations

import contextlib
import json
import math
import socket
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol
from urllib.parse import parse_qsl, unquote

from crawlers.fakeforge import gitea, github, github_graphql, gitlab, gitlab_graphql
from crawlers.fakeforge.common import Request, Response
from crawlers.fakeforge.graphql_common import GraphQLSettings, is_graphql
from crawlers.fakeforge.state import Fault, ForgeState, RateWindow

DIALECTS: dict[str, ModuleType] = {
    "github": github,
    "gitlab": gitlab,
    "gitea": gitea,
    "gogs": gitea,
}
GRAPHQL: dict[str, ModuleType] = {"github": github_graphql, "gitlab": gitlab_graphql}
# Requests that real forges do not count against the rate limit.
UNCOUNTED_PATHS = {("api", "v3", "rate_limit")}
TIMEOUT_MARGIN = 0.25  # seconds
GARBAGE = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n"


@dataclass(frozen=True)
class RequestLog:
    """One request as the server saw it. ``path`` starts after the host (``/api/v3/orgs/x``);
    ``headers`` are the request's; ``status`` is 0 when the server held the connection and
    closed it without answering (the "timeout" fault)."""

    method: str
    host: str
    path: str
    query: dict[str, str]
    status: int
    headers: dict[str, str]


class Served(Protocol):
    """What a LocalServer serves: the fake forge, the fake sources."""

    def serve_request(self, handler: BaseHTTPRequestHandler) -> None: ...


class LocalServer(ThreadingHTTPServer):
    """A threaded HTTP server handing every request to ``app.serve_request``; it remembers its
    open connections so that stopping it can cut held ones short."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], app: Served) -> None:
        self.app = app
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        self.thread: threading.Thread | None = None
        super().__init__(address, LocalHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self.connections_lock:
            connections = list(self.connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def serve_in_thread(self, name: str) -> None:
        """Serve in a daemon thread until :meth:`stop` (a second call does nothing more)."""
        if self.thread is None:
            self.thread = threading.Thread(
                target=self.serve_forever, kwargs={"poll_interval": 0.01}, name=name, daemon=True
            )
            self.thread.start()

    def stop(self) -> None:
        """Stop serving, cut the connections still open and free the port."""
        if self.thread is not None:
            self.shutdown()
            self.thread.join()
            self.thread = None
        self.close_connections()
        self.server_close()


class LocalHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: LocalServer
    timeout = 120  # an idle keep-alive connection frees its thread eventually

    def setup(self) -> None:
        super().setup()
        # Headers and body leave in two writes: without this, Nagle plus delayed ACKs add 40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self.server.app.serve_request(self)

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """The request log replaces stderr noise."""


def _presented_token(headers: dict[str, str], query: dict[str, str]) -> str:
    lowered = {k.lower(): v for k, v in headers.items()}
    for name in ("private-token", "job-token"):
        if lowered.get(name):
            return lowered[name]
    scheme, _, credentials = lowered.get("authorization", "").partition(" ")
    if scheme.lower() in ("token", "bearer") and credentials:
        return credentials.strip()
    for name in ("access_token", "private_token", "token"):
        if query.get(name):
            return query[name]
    return ""


class FakeForge:
    """GitHub, GitLab and Gitea hosts served from a seed on one local port; see the package docstring."""

    def __init__(self, seed: dict[str, Any], port: int = 0, *, rate_limit: int = 100_000) -> None:
        self.state = ForgeState(seed, rate_limit=rate_limit)
        self.tokens: dict[str, str] = {}
        self.graphql = GraphQLSettings()
        self._log: list[RequestLog] = []
        self._log_lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = LocalServer(("127.0.0.1", port or 0), self)
        self.port: int = self._server.server_address[1]

    @classmethod
    def from_file(cls, path: str | Path, **kwargs: Any) -> FakeForge:
        return cls(json.loads(Path(path).read_text(encoding="utf-8")), **kwargs)

    # -- life cycle -----------------------------------------------------------------------------

    def start(self) -> FakeForge:
        self._server.serve_in_thread(f"fakeforge:{self.port}")
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.stop()

    def __enter__(self) -> FakeForge:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- addresses ------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api_url(self, host: str) -> str:
        """The base URL a client of ``host`` takes (PyGithub base_url, python-gitlab url, Gitea API)."""
        kind = self.state.forge(host).kind
        suffix = {"github": "/api/v3", "gitlab": "", "gitea": "/api/v1", "gogs": "/api/v1"}[kind]
        return f"{self.base_url}/{host}{suffix}"

    # -- log, faults, mutations -----------------------------------------------------------------

    @property
    def requests(self) -> list[RequestLog]:
        with self._log_lock:
            return list(self._log)

    def reset_log(self) -> None:
        with self._log_lock:
            self._log.clear()

    def fault(
        self,
        host: str,
        kind: str,
        *,
        path_contains: str | None = None,
        times: int | None = None,
        seconds: float = 1,
    ) -> None:
        self.state.add_fault(
            Fault(host=host, kind=kind, path_contains=path_contains, times=times, seconds=seconds)
        )

    def clear_faults(self) -> None:
        with self.state.lock:
            self.state.faults.clear()

    def add_repository(self, host: str, repo: dict[str, Any]) -> None:
        self.state.add_repository(host, repo)

    def update_repository(self, host: str, repo_id: int, **changes: Any) -> None:
        self.state.update_repository(host, repo_id, **changes)

    def remove_repository(self, host: str, repo_id: int) -> None:
        self.state.remove_repository(host, repo_id)

    def rename_repository(
        self, host: str, repo_id: int, new_name: str, new_owner: str | None = None
    ) -> None:
        self.state.rename_repository(host, repo_id, new_name, new_owner)

    def remove_account(self, host: str, login: str) -> None:
        self.state.remove_account(host, login)

    # -- serving --------------------------------------------------------------------------------

    def serve_request(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        raw_path, _, query_string = handler.path.partition("?")
        query = dict(parse_qsl(query_string, keep_blank_values=True))
        parts = raw_path.split("/")[1:]
        host = unquote(parts[0]) if parts else ""
        headers = dict(handler.headers.items())
        forge = self.state.forges.get(host)
        try:
            if forge is None:
                response: Response | None = github.not_found()
            else:
                request = Request(
                    state=self.state,
                    forge=forge,
                    segments=[unquote(p) for p in parts[1:]],
                    query=query,
                    origin=self.base_url,
                    raw_path=raw_path,
                    body=body,
                )
                target = handler.path[len(parts[0]) + 1 :]
                response = self._answer(handler.command, request, headers, target)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            response = Response(status=500, body=b'{"message": "fake forge failure"}')
        status = response.status if response else 0
        path = raw_path[len(parts[0]) + 1 :] if parts else raw_path
        entry = RequestLog(handler.command, host, path, query, status, headers)
        with self._log_lock:
            self._log.append(entry)
        if response is None:
            handler.close_connection = True
            return
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
        self, method: str, request: Request, headers: dict[str, str], target: str
    ) -> Response | None:
        """The answer to one request, or None to drop the connection unanswered."""
        dialect = DIALECTS[request.forge.kind]
        host = request.host
        window = self.state.window(host)
        expected = self.tokens.get(host)
        if expected and _presented_token(headers, request.query) != expected:
            return self._with_rate_headers(dialect, dialect.unauthorized(), window)
        fault = self.state.take_fault(host, target)
        if fault is not None and fault.kind == "slow":
            self._stopping.wait(fault.seconds)
            fault = None
        if fault is not None and fault.kind != "truncated_json":
            return self._fault_response(dialect, fault, window)
        if method == "POST" and is_graphql(request) and request.forge.kind in GRAPHQL:
            return GRAPHQL[request.forge.kind].answer(request, headers, self.graphql)
        if window.remaining <= 0:
            return dialect.rate_limited(window, window.reset)
        response = None
        if method in ("GET", "HEAD"):
            with self.state.lock:
                response = dialect.router.dispatch(request)
        if response is None:
            response = dialect.not_found()
        if fault is not None:
            response.body = response.body[: len(response.body) // 2]
        elif response.status == 200:
            etag = response.etag
            response.headers["ETag"] = etag
            if _matches(headers, etag):
                response = Response(status=304, headers={"ETag": etag})
        if response.status != 304 and tuple(request.segments) not in UNCOUNTED_PATHS:
            self.state.consume(host)
        return self._with_rate_headers(dialect, response, window)

    @staticmethod
    def _with_rate_headers(dialect: ModuleType, response: Response, window: RateWindow) -> Response:
        response.headers.update(dialect.rate_headers(window))
        return response

    def _fault_response(
        self, dialect: ModuleType, fault: Fault, window: RateWindow
    ) -> Response | None:
        if fault.kind == "timeout":
            # A little longer than ``seconds``, so a client whose timeout is ``seconds`` times out
            # first instead of racing the close; stop() cuts the wait short.
            self._stopping.wait(fault.seconds + TIMEOUT_MARGIN)
            return None
        if fault.kind == "server_error":
            if fault.hits % 2:
                response = Response(status=500, body=b'{"message": "Server Error"}')
            else:
                response = Response(status=502, body=GARBAGE, content_type="text/html")
            return self._with_rate_headers(dialect, response, window)
        if fault.kind == "garbage":
            response = Response(status=200, body=GARBAGE, content_type="text/html; charset=utf-8")
            return self._with_rate_headers(dialect, response, window)
        if fault.kind == "unauthorized":
            return self._with_rate_headers(dialect, dialect.unauthorized(), window)
        if fault.kind == "rate_limit":
            return dialect.rate_limited(window, math.ceil(time.time() + fault.seconds))
        return dialect.secondary_rate_limited(window, math.ceil(fault.seconds))


def _matches(headers: dict[str, str], etag: str) -> bool:
    wanted = next((v for k, v in headers.items() if k.lower() == "if-none-match"), "")
    candidates = {c.strip().removeprefix("W/") for c in wanted.split(",")}
    return etag in candidates or "*" in candidates
