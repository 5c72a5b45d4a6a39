"""Every source client meets failures the same way: through the shared transport."""

from __future__ import annotations

import pytest

from crawlers.sources.base import Source, SourceError
from crawlers.sources.cnll import CnllClient
from crawlers.sources.comptoir import ComptoirClient
from crawlers.sources.forge_releases import ForgeReleases
from crawlers.sources.hal import HalClient
from crawlers.sources.wikidata import WikidataClient
from tests.crawlers.sources.conftest import BARE, HAL_ID

CLIENTS = {
    "wikidata": (WikidataClient, [BARE]),
    "comptoir": (ComptoirClient, ["33"]),
    "cnll": (CnllClient, ["117"]),
    "hal": (HalClient, [HAL_ID]),
}


def fetch(sources, session_for, source: str, **options):
    factory, ids = CLIENTS[source]
    return factory(sources.base_urls[source], session=session_for(**options)).fetch(ids)


@pytest.mark.parametrize("source", CLIENTS)
def test_a_throttle_is_waited_out_then_the_answer_used(sources, session_for, sleeps, source):
    sources.fault(source, "throttle", times=1, seconds=4)

    fetched = fetch(sources, session_for, source)

    assert len(fetched.records) == 1 and sleeps == [4.0]
    assert [r.status for r in sources.requests] == [429, 200]
    assert fetched.requests == 2


@pytest.mark.parametrize("source", CLIENTS)
def test_a_throttle_longer_than_allowed_fails_at_once(sources, session_for, sleeps, source):
    sources.fault(source, "throttle", seconds=3600)

    with pytest.raises(SourceError) as caught:
        fetch(sources, session_for, source)

    assert (caught.value.source, caught.value.status, sleeps) == (source, 429, [])


@pytest.mark.parametrize("source", CLIENTS)
def test_a_server_error_that_lasts_fails_with_its_status(sources, session_for, sleeps, source):
    sources.fault(source, "server_error")

    with pytest.raises(SourceError) as caught:
        fetch(sources, session_for, source, max_retries=3)

    assert (caught.value.source, caught.value.status, caught.value.requests) == (source, 500, 4)
    assert len(sleeps) == 3 and sleeps == sorted(sleeps)  # backoff grows


@pytest.mark.parametrize("source", CLIENTS)
def test_a_passing_server_error_is_retried(sources, session_for, source):
    sources.fault(source, "server_error", times=1)
    assert len(fetch(sources, session_for, source).records) == 1


@pytest.mark.parametrize("source", CLIENTS)
def test_garbage_fails(sources, session_for, source):
    sources.fault(source, "garbage")
    with pytest.raises(SourceError) as caught:
        fetch(sources, session_for, source, max_retries=1)
    assert caught.value.source == source


@pytest.mark.parametrize("source", CLIENTS)
def test_a_redirect_is_followed(sources, session_for, source):
    sources.fault(source, "redirect")

    assert len(fetch(sources, session_for, source).records) == 1
    assert [r.status for r in sources.requests][:2] == [301, 200]


def test_every_client_is_a_source(sources):
    clients = [factory(sources.base_urls[name]) for name, (factory, _ids) in CLIENTS.items()]
    for client in [*clients, ForgeReleases()]:
        assert isinstance(client, Source)
    assert {c.name for c in clients} == set(CLIENTS)
