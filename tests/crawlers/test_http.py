"""The shared transport adapter against a tiny scripted HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crawlers.base import AuthenticationFailed, ForgeUnavailable, InvalidResponse
from crawlers.http import (
    ForgeAdapter,
    MemoryHttpCache,
    forge_session,
    next_link,
    pack,
    retry_after_seconds,
    unpack,
)


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"[]"
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})


class ScriptedServer:
    """Answers each request with the next scripted Answer (the last one repeats)."""

    def __init__(self) -> None:
        self.script: list[Answer] = []
        self.received: list[dict[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.received.append(dict(self.headers.items()))
                answer = server.script.pop(0) if len(server.script) > 1 else server.script[0]
                self.send_response(answer.status)
                for key, value in answer.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api/items"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as scripted:
        yield scripted


@pytest.fixture
def sleeps() -> list[float]:
    return []


def session_for(sleeps: list[float], **options) -> tuple[ForgeAdapter, object]:
    adapter = ForgeAdapter(sleep=sleeps.append, timeout=2, **options)
    return adapter, forge_session(adapter)


def json_answer(data, status=200, **headers) -> Answer:
    return Answer(status, json.dumps(data).encode(), {"Content-Type": "application/json"} | headers)


def test_not_modified_answer_is_handed_back_as_the_stored_200_with_its_paging(server, sleeps):
    link = f'<{server.url}?page=2>; rel="next"'
    server.script = [
        json_answer([1, 2], ETag='"v1"', Link=link, **{"X-Total": "4"}),
        Answer(304, b"", {"ETag": '"v1"', "X-RateLimit-Remaining": "4999"}),
    ]
    adapter, session = session_for(sleeps, cache=MemoryHttpCache())

    first = session.get(server.url)
    second = session.get(server.url)

    assert "If-None-Match" not in server.received[0]
    assert server.received[1]["If-None-Match"] == '"v1"'
    assert second.status_code == 200
    assert second.json() == [1, 2] == first.json()
    assert second.headers["Link"] == link
    assert second.headers["X-Total"] == "4"
    assert second.headers["X-RateLimit-Remaining"] == "4999"
    assert adapter.stats.requests == 2
    assert adapter.stats.not_modified == 1


def test_answers_without_etag_or_without_cache_are_not_conditional(server, sleeps):
    server.script = [json_answer([1])]
    cache = MemoryHttpCache()
    _, session = session_for(sleeps, cache=cache)

    session.get(server.url)
    session.get(server.url)

    assert len(cache) == 0
    assert all("If-None-Match" not in headers for headers in server.received)


def test_unreadable_cache_entry_is_ignored(server, sleeps):
    server.script = [json_answer([3], ETag='"v2"')]
    cache = MemoryHttpCache()
    cache.set(server.url, '"v1"', b"no header line")
    _, session = session_for(sleeps, cache=cache)

    response = session.get(server.url)

    assert response.json() == [3]
    assert "If-None-Match" not in server.received[0]
    assert unpack(cache.get(server.url)[1])[1] == b"[3]"


def test_server_errors_are_retried_with_growing_jittered_backoff(server, sleeps):
    server.script = [Answer(500), Answer(502), Answer(503), json_answer({"ok": True})]
    adapter, session = session_for(sleeps, max_retries=4)

    response = session.get(server.url)

    assert response.json() == {"ok": True}
    assert adapter.stats.retries == 3
    assert adapter.stats.requests == 4
    assert 1 <= sleeps[0] < 2 and 2 <= sleeps[1] < 3 and 4 <= sleeps[2] < 5


def test_persistent_server_error_raises_forge_unavailable_after_bounded_retries(server, sleeps):
    server.script = [Answer(503, b"busy", {"Content-Type": "text/plain"})]
    adapter, session = session_for(sleeps, max_retries=2)

    with pytest.raises(ForgeUnavailable) as caught:
        session.get(server.url)

    assert caught.value.status == 503
    assert len(server.received) == 3
    assert adapter.stats.retries == 2


def test_connection_refused_is_forge_unavailable(sleeps):
    _, session = session_for(sleeps, max_retries=1)

    with pytest.raises(ForgeUnavailable):
        session.get("http://127.0.0.1:9/api/items")
    assert len(sleeps) == 1


def test_truncated_json_is_retried_then_invalid_response(server, sleeps):
    server.script = [Answer(200, b'[{"id": 1}, {"id"', {"Content-Type": "application/json"})]
    _, session = session_for(sleeps, max_retries=1)

    with pytest.raises(InvalidResponse, match="JSON"):
        session.get(server.url)
    assert len(server.received) == 2


def test_plain_text_files_are_not_parsed_as_json(server, sleeps):
    server.script = [Answer(200, b"name: [x", {"Content-Type": "text/plain"})]
    _, session = session_for(sleeps)

    assert session.get(server.url).content == b"name: [x"


def test_unauthorized_raises_at_once(server, sleeps):
    server.script = [json_answer({"message": "Bad credentials"}, status=401)]
    _, session = session_for(sleeps)

    with pytest.raises(AuthenticationFailed):
        session.get(server.url)
    assert len(server.received) == 1


def test_forbidden_without_rate_limit_is_handed_to_the_client(server, sleeps):
    server.script = [json_answer({"message": "Forbidden"}, status=403)]
    _, session = session_for(sleeps)

    assert session.get(server.url).status_code == 403
    assert sleeps == []


def test_exhausted_rate_limit_waits_until_reset(server, sleeps):
    reset = str(int(time.time()) + 300)
    server.script = [
        json_answer({}, 403, **{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}),
        json_answer({"ok": True}),
    ]
    adapter, session = session_for(sleeps)

    assert session.get(server.url).json() == {"ok": True}
    assert 290 <= sleeps[0] <= 302
    assert adapter.stats.rate_limit_waits == 1
    assert adapter.stats.rate_limit_wait_seconds == sleeps[0]


def test_throttled_without_headers_waits_a_minute(server, sleeps):
    server.script = [Answer(429, b"slow down", {"Content-Type": "text/plain"}), json_answer([])]
    _, session = session_for(sleeps)

    session.get(server.url)

    assert sleeps == [60.0]


def test_low_remaining_budget_slows_requests_down(server, sleeps):
    reset = str(int(time.time()) + 100)
    low = {"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "3", "X-RateLimit-Reset": reset}
    plenty = low | {"X-RateLimit-Remaining": "4000"}
    server.script = [json_answer([], **plenty), json_answer([], **low)]
    _, session = session_for(sleeps)

    session.get(server.url)
    assert sleeps == []
    session.get(server.url)
    assert 20 <= sleeps[0] <= 25  # 100 s left for 3 requests: one every 25 s


def test_gitlab_rate_limit_headers_are_understood(server, sleeps):
    reset = str(int(time.time()) + 50)
    server.script = [
        Answer(429, b"Retry later", {"RateLimit-Remaining": "0", "RateLimit-Reset": reset}),
        json_answer([]),
    ]
    _, session = session_for(sleeps)

    session.get(server.url)

    assert 40 <= sleeps[0] <= 52


def test_retry_after_accepts_seconds_and_http_dates():
    now = time.time()
    assert retry_after_seconds("12", now) == 12
    assert 58 <= retry_after_seconds(formatdate(now + 60, usegmt=True), now) <= 60
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


def test_cached_form_keeps_paging_headers_only():
    stored = pack({"Link": "<x>", "Set-Cookie": "a=b", "X-Total": "3"}, b'{"a": 1}')

    assert unpack(stored) == ({"link": "<x>", "x-total": "3"}, b'{"a": 1}')
    assert unpack(b"garbage") is None
    assert unpack(b"[1]\nbody") is None


def test_next_link_is_read_from_the_link_header():
    header = '<https://h/x?page=1>; rel="prev", <https://h/x?page=3>; rel="next"'

    assert next_link(header) == "https://h/x?page=3"
    assert next_link('<https://h/x?page=1>; rel="first"') == ""
    assert next_link(None) == ""
