"""The source session: polite User-Agent, conditional requests, retries and bounded throttling."""

from __future__ import annotations

import socket

import pytest

from crawlers.http import MemoryHttpCache
from crawlers.sources.base import SourceClient, SourceError, default_user_agent, source_session
from crawlers.sources.cnll import CnllClient
from crawlers.sources.records import Fetched


class Probe(SourceClient):
    name = "probe"


def probe(sources, session) -> Probe:
    return Probe(sources.base_urls["cnll"], session=session)


def test_every_request_carries_a_polite_user_agent(sources, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://logitheque.example.gouv.fr")
    agent = default_user_agent()
    assert agent.startswith("Logitheque/") and "(+https://logitheque.example.gouv.fr;" in agent

    probe(sources, source_session(user_agent=agent)).get_json(
        f"{sources.base_urls['cnll']}/api/prestataires-sill.json"
    )

    assert sources.requests[0].headers["User-Agent"] == agent


def test_a_cached_answer_is_asked_for_conditionally_and_replayed(sources, session_for):
    client = probe(sources, session_for(cache=MemoryHttpCache()))
    url = f"{sources.base_urls['cnll']}/api/prestataires-sill.json"
    first = client.get_json(url)
    since = client.snapshot()

    assert client.get_json(url) == first
    assert client.fetched([], since=since) == Fetched(records=(), not_modified=True, requests=1)
    assert sources.requests[-1].status == 304


def test_retry_after_is_honoured_up_to_the_bound(sources, session_for, sleeps):
    sources.fault("cnll", "throttle", times=1, seconds=5)
    url = f"{sources.base_urls['cnll']}/api/prestataires-sill.json"

    assert isinstance(probe(sources, session_for()).get_json(url), list)
    assert sleeps == [5.0]

    sources.fault("cnll", "throttle", seconds=121)
    with pytest.raises(SourceError, match="rate limited") as caught:
        probe(sources, session_for()).get_json(url)
    assert caught.value.status == 429 and sleeps == [5.0]


def test_a_source_that_keeps_throttling_is_given_up(sources, session_for, sleeps):
    sources.fault("cnll", "throttle", seconds=1)
    with pytest.raises(SourceError) as caught:
        probe(sources, session_for()).get_json(
            f"{sources.base_urls['cnll']}/api/prestataires-sill.json"
        )
    assert caught.value.status == 429 and len(sleeps) == 5


def test_connection_errors_are_retried_then_raised(session_for, sleeps, unused_port):
    client = Probe(f"http://127.0.0.1:{unused_port}", session=session_for(max_retries=2))
    with pytest.raises(SourceError, match="ConnectionError") as caught:
        client.get_json(f"{client.base_url}/x")
    assert caught.value.status is None and caught.value.requests == 3 and len(sleeps) == 2


def test_a_body_that_is_not_json_is_a_source_error(sources, session_for):
    with pytest.raises(SourceError, match="not JSON"):
        probe(sources, session_for()).get_json(
            f"{sources.base_urls['commons']}/wiki/Special:FilePath/LibreOffice_Logo_Flat.svg"
        )


@pytest.fixture
def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_failure_counts_the_requests_of_its_own_fetch_only(sources, session_for):
    cnll = CnllClient(sources.base_urls["cnll"], session=session_for(max_retries=1))
    cnll.fetch(["117"])
    cnll.fetch(["117"])
    sources.fault("cnll", "server_error")

    with pytest.raises(SourceError) as caught:
        cnll.fetch(["117"])

    assert caught.value.requests == 2
