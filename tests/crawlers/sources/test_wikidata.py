"""The Wikidata client against the fake Wikidata over real HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from crawlers.http import MemoryHttpCache
from crawlers.sources.base import SourceError
from crawlers.sources.records import Version
from crawlers.sources.wikidata import WikidataClient
from tests.crawlers.sources.conftest import BARE, EVIL, FIREFOX, LIBREOFFICE


def client(sources, session_for, **options) -> WikidataClient:
    return WikidataClient(
        sources.base_urls["wikidata"],
        commons_url=sources.base_urls["commons"],
        session=session_for(**options),
    )


def test_an_item_gives_label_description_logo_links_license_version_and_names(sources, session_for):
    fetched = client(sources, session_for).fetch([LIBREOFFICE])

    (record,) = fetched.records
    assert record.source == "wikidata"
    assert record.external_id == LIBREOFFICE
    assert record.url == f"{sources.base_urls['wikidata']}/wiki/{LIBREOFFICE}"
    assert (record.label, record.description, record.language) == (
        "LibreOffice",
        "suite bureautique libre",
        "fr",
    )
    assert record.aliases == ("LO", "LibO")
    assert record.logo_url == (
        f"{sources.base_urls['commons']}/wiki/Special:FilePath/LibreOffice_Logo_Flat.svg"
    )
    assert record.website == "https://www.libreoffice.org/"
    assert record.repository == "https://git.libreoffice.org/core"
    assert record.documentation == "https://help.libreoffice.org/"
    # P2479 of the fetched license item, else the item's label.
    assert record.licenses == ("MPL-2.0", "Some Custom License")
    # Preferred rank first; the preferred beta is a pre-release; the deprecated one is ignored.
    assert record.latest_version == Version("7.6.0", dt.date(2023, 8, 21))
    assert record.developers == ("Fondation Mozilla",)
    assert record.programming_languages == ("C++", "Java")
    assert record.operating_systems == ("Linux", "Microsoft Windows", "macOS")
    assert record.raw["id"] == LIBREOFFICE and "P348" in record.raw["claims"]
    # The item, then one batched labels call and one license call.
    calls = [r.query["props"] for r in sources.requests]
    assert calls == ["labels|descriptions|aliases|claims", "labels", "labels|claims"]
    assert fetched.requests == 3 and not fetched.not_modified


def test_english_is_used_when_there_is_no_french_and_undated_versions_lose_to_dated(
    sources, session_for
):
    (record,) = client(sources, session_for).fetch([FIREFOX]).records

    assert (record.label, record.description, record.language) == ("Firefox", "web browser", "en")
    assert record.latest_version == Version("121.0", dt.date(2023, 12, 19))


def test_missing_fields_are_tolerated(sources, session_for):
    (record,) = client(sources, session_for).fetch([BARE]).records
    assert record.label == "Nu" and record.description == "" and record.latest_version is None
    assert record.licenses == () and record.logo_url == "" and record.developers == ()

    sources.fault("wikidata", "missing_fields")
    (record,) = client(sources, session_for).fetch([LIBREOFFICE]).records
    assert record.label == "LibreOffice"
    assert (record.description, record.website, record.latest_version) == ("", "", None)


def test_unknown_and_malformed_ids_are_skipped(sources, session_for):
    fetched = client(sources, session_for).fetch(["Q1", "not-an-id", "q10135", "Q10135 ", ""])

    assert [r.external_id for r in fetched.records] == [LIBREOFFICE]
    assert sources.requests[0].query["ids"] == "Q1|Q10135"


def test_ids_are_asked_for_in_batches_of_fifty(sources, session_for):
    ids = [f"Q{n}" for n in range(1_000_000, 1_000_120)]
    fetched = client(sources, session_for).fetch(ids)

    assert fetched.records == ()
    assert [len(r.query["ids"].split("|")) for r in sources.requests] == [50, 50, 20]


def test_hostile_values_are_neutralised(sources, session_for):
    (record,) = client(sources, session_for).fetch([EVIL]).records

    assert record.label == "Evil[31m Label"
    assert len(record.description) == 2000 and record.description.endswith("…")
    assert record.website == "" and record.documentation == "" and record.repository == ""
    # A logo is a Commons file name: whatever it says stays inside Special:FilePath.
    assert record.logo_url.startswith(f"{sources.base_urls['commons']}/wiki/Special:FilePath/")
    assert "/../" not in record.logo_url


def test_a_rerun_with_nothing_changed_sends_only_conditional_requests(sources, session_for):
    wikidata = client(sources, session_for, cache=MemoryHttpCache())
    wikidata.fetch([LIBREOFFICE, FIREFOX])
    sources.reset_log()

    again = wikidata.fetch([LIBREOFFICE, FIREFOX])

    assert again.not_modified and again.requests == 3
    assert [(r.status, r.conditional) for r in sources.requests] == [(304, True)] * 3
    assert {r.external_id for r in again.records} == {LIBREOFFICE, FIREFOX}


def test_a_server_error_is_retried_then_raised_with_its_status(sources, session_for, sleeps):
    sources.fault("wikidata", "server_error")

    with pytest.raises(SourceError) as caught:
        client(sources, session_for, max_retries=2).fetch([LIBREOFFICE])

    assert caught.value.source == "wikidata" and caught.value.status == 500
    assert caught.value.requests == 3 and len(sleeps) == 2


def test_throttling_is_waited_out_then_the_answer_used(sources, session_for, sleeps):
    sources.fault("wikidata", "throttle", times=2, seconds=3)

    (record,) = client(sources, session_for).fetch([BARE]).records

    assert record.label == "Nu" and sleeps == [3.0, 3.0]
    assert [r.status for r in sources.requests] == [429, 429, 200]


def test_garbage_raises_a_source_error(sources, session_for):
    sources.fault("wikidata", "garbage")
    with pytest.raises(SourceError, match="HTML"):
        client(sources, session_for, max_retries=0).fetch([LIBREOFFICE])


def test_an_api_error_raises_a_source_error(sources, session_for):
    sources.update("wikidata", {})
    wikidata = client(sources, session_for)
    with pytest.raises(SourceError, match="toomanyvalues"):
        wikidata._entities([f"Q{n}" for n in range(1, 60)], "labels")


def test_a_redirect_is_followed(sources, session_for):
    sources.fault("wikidata", "redirect", times=1)

    (record,) = client(sources, session_for).fetch([BARE]).records

    assert record.label == "Nu"
    assert [r.status for r in sources.requests] == [301, 200]


def test_search_asks_in_french_then_english_and_merges_hits(sources, session_for):
    hits = client(sources, session_for).search("lo", limit=5)

    assert [(h.external_id, h.label) for h in hits] == [(LIBREOFFICE, "LibreOffice")]
    assert hits[0].description == "suite bureautique libre"
    assert hits[0].url == f"{sources.base_urls['wikidata']}/wiki/{LIBREOFFICE}"
    assert [r.query["language"] for r in sources.requests] == ["fr", "en"]

    hits = client(sources, session_for).search("fire")
    assert [(h.external_id, h.description) for h in hits] == [(FIREFOX, "web browser")]


def test_search_of_nothing_sends_nothing(sources, session_for):
    assert client(sources, session_for).search(" \x00 ") == []
    assert sources.requests == []


def test_a_merged_item_is_returned_under_the_id_it_was_asked_as(sources, session_for):
    sources.seed["wikidata"]["Q77777777"] = {"redirect": BARE}

    (record,) = client(sources, session_for).fetch(["Q77777777"]).records

    assert (record.external_id, record.label) == ("Q77777777", "Nu")
    assert record.raw["redirects"] == {"from": "Q77777777", "to": BARE}


def test_malformed_statements_are_dropped_not_raised(sources, session_for):
    sources.seed["wikidata"]["Q55555555"] = {
        "labels": ["not", "a", "mapping"],
        "descriptions": {"fr": {"value": 12}},
        "aliases": {"fr": "not a list"},
        "claims": {
            "P348": [
                "not a statement",
                {
                    "rank": "normal",
                    "mainsnak": {"snaktype": "value", "datavalue": {"value": ["x"]}},
                },
                {
                    "rank": "preferred",
                    "mainsnak": {"snaktype": "value", "datavalue": {"value": "1.0"}},
                    "qualifiers": {
                        "P548": [{"datavalue": {"value": {"id": ["unhashable"]}}}],
                        "P577": [{"datavalue": {"value": {"time": "+2023-02-31T00:00:00Z"}}}],
                    },
                },
            ],
            "P154": [{"rank": "normal", "mainsnak": {"snaktype": "novalue"}}],
            "P275": [
                {
                    "rank": "weird",
                    "mainsnak": {"snaktype": "value", "datavalue": {"value": {"id": "Q1"}}},
                }
            ],
            "P178": {"not": "a list"},
            "P856": [
                {"rank": "normal", "mainsnak": {"snaktype": "value", "datavalue": {"value": 3}}}
            ],
        },
    }

    (record,) = client(sources, session_for).fetch(["Q55555555"]).records

    assert (record.label, record.description, record.aliases) == ("", "", ())
    assert record.latest_version == Version("1.0", None)
    assert (record.logo_url, record.website, record.licenses, record.developers) == ("", "", (), ())


def test_the_raw_answer_keeps_only_the_statements_read(sources, session_for):
    sources.seed["wikidata"][BARE]["claims"]["P31"] = [{"rank": "normal", "mainsnak": {}}]
    sources.seed["wikidata"][BARE]["labels"]["fr"]["value"] = "N\x00u"

    (record,) = client(sources, session_for).fetch([BARE]).records

    assert "P31" not in record.raw["claims"]
    assert record.raw["labels"]["fr"]["value"] == "Nu" and record.label == "Nu"
