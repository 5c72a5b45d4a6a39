"""The HAL client against the fake HAL search API over real HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from crawlers.http import MemoryHttpCache
from crawlers.sources.base import SourceError
from crawlers.sources.hal import HalClient
from crawlers.sources.records import Author, Version
from tests.crawlers.sources.conftest import HAL_ID, SWHID


def client(sources, session_for, **options) -> HalClient:
    return HalClient(sources.base_urls["hal"], session=session_for(**options))


def test_a_software_deposit_gives_title_authors_repository_and_archive_id(sources, session_for):
    fetched = client(sources, session_for).fetch([HAL_ID, "hal-00000001", "not an id"])

    (record,) = fetched.records  # hal-00000001 is an article: only software is asked for
    assert (record.source, record.external_id, record.url) == (
        "hal",
        HAL_ID,
        f"https://hal.science/{HAL_ID}",
    )
    assert record.label == "Scikit-Fake: apprentissage"
    assert record.description == "Une bibliothèque d'apprentissage automatique."
    assert record.language == "fr"
    assert record.authors == (
        Author("Jeanne Dupont", "Inria"),
        Author("John Smith", "CNRS"),
    )
    assert record.repository == "https://github.com/example/scikit-fake"
    assert record.swh_id == SWHID
    assert record.licenses == ("BSD-3-Clause",)
    assert record.latest_version == Version("2.1", dt.date(2023, 5, 4))
    assert (record.programming_languages, record.operating_systems) == (("Python",), ("Linux",))
    (request,) = sources.requests
    assert request.query["q"] == f'halId_s:("{HAL_ID}" OR "hal-00000001")'
    assert request.query["fq"] == "docType_s:SOFTWARE" and request.query["wt"] == "json"


def test_hostile_values_are_neutralised(sources, session_for):
    (record,) = client(sources, session_for).fetch(["hal-07654321"]).records

    assert record.url == "" and record.swh_id == ""
    assert record.repository == "https://example.org/ok"
    assert record.authors == (Author("Lone Author", "Université Exemple"),)


def test_missing_fields_are_tolerated(sources, session_for):
    sources.fault("hal", "missing_fields")

    (record,) = client(sources, session_for).fetch([HAL_ID]).records

    assert record.label == "Scikit-Fake: apprentissage"
    assert (record.authors, record.swh_id, record.latest_version) == ((), "", None)


def test_search_escapes_the_query_and_finds_software_only(sources, session_for):
    hits = client(sources, session_for).search("scikit-fake")

    assert [(h.external_id, h.label, h.url) for h in hits] == [
        (HAL_ID, "Scikit-Fake: apprentissage", f"https://hal.science/{HAL_ID}")
    ]
    assert sources.requests[0].query["q"] == r"scikit\-fake"
    assert client(sources, session_for).search("article") == []


def test_a_rerun_with_nothing_changed_sends_only_a_conditional_request(sources, session_for):
    hal = client(sources, session_for, cache=MemoryHttpCache())
    hal.fetch([HAL_ID])
    sources.reset_log()

    again = hal.fetch([HAL_ID])

    assert again.not_modified and len(again.records) == 1
    assert [(r.status, r.conditional) for r in sources.requests] == [(304, True)]


def test_failures_raise_a_source_error(sources, session_for, sleeps):
    sources.fault("hal", "server_error")
    with pytest.raises(SourceError) as caught:
        client(sources, session_for, max_retries=1).fetch([HAL_ID])
    assert (caught.value.status, caught.value.requests, len(sleeps)) == (500, 2, 1)

    sources.clear_faults()
    sources.update("hal", None)
    sources.fault("hal", "garbage")
    with pytest.raises(SourceError, match="HTML"):
        client(sources, session_for, max_retries=0).fetch([HAL_ID])


def test_a_redirect_is_followed_and_a_404_raises(sources, session_for):
    sources.fault("hal", "redirect")
    assert len(client(sources, session_for).fetch([HAL_ID]).records) == 1

    with pytest.raises(SourceError) as caught:
        HalClient(sources.base_urls["cnll"], session=session_for()).fetch([HAL_ID])
    assert caught.value.status == 404


def test_a_deposit_can_be_asked_by_its_document_id_as_the_sill_does(sources, session_for):
    fetched = client(sources, session_for).fetch(["1234567", "hal-07654321", "12345678901234"])

    assert sorted(r.external_id for r in fetched.records) == ["1234567", "hal-07654321"]
    assert sources.requests[0].query["q"] == 'halId_s:("hal-07654321") OR docid:(1234567)'
