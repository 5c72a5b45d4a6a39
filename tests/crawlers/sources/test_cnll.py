"""The CNLL directory client against the fake directory over real HTTP."""

from __future__ import annotations

import pytest

from crawlers.http import MemoryHttpCache
from crawlers.sources.base import SourceError
from crawlers.sources.cnll import CnllClient
from crawlers.sources.records import Provider


def client(sources, session_for, **options) -> CnllClient:
    return CnllClient(sources.base_urls["cnll"], session=session_for(**options))


def test_providers_of_a_sill_entry_are_deduplicated_by_siren(sources, session_for):
    fetched = client(sources, session_for).fetch(["117", "118", "404"])

    libreoffice, other = fetched.records
    assert (libreoffice.source, libreoffice.external_id, libreoffice.label) == (
        "cnll",
        "117",
        "LibreOffice",
    )
    assert libreoffice.providers == (
        Provider(
            name="Société A",
            siren="123456789",
            url="https://annuaire.cnll.fr/societes/123456789",
        ),
        # A malformed SIREN and a javascript: link are dropped, the provider is kept.
        Provider(name="Société B"),
    )
    # A sill_id given as text is read; a providers field that is not a list gives none.
    assert (other.external_id, other.providers) == ("118", ())


def test_missing_fields_are_tolerated(sources, session_for):
    sources.fault("cnll", "missing_fields")

    (record,) = client(sources, session_for).fetch(["117"]).records

    assert [(p.name, p.siren, p.url) for p in record.providers] == [
        ("Société A", "", ""),
        ("Société A (doublon)", "", ""),
        ("Société B", "", ""),
    ]


def test_a_rerun_with_nothing_changed_sends_only_a_conditional_request(sources, session_for):
    cnll = client(sources, session_for, cache=MemoryHttpCache())
    cnll.fetch(["117"])
    sources.reset_log()

    again = cnll.fetch(["117"])

    assert again.not_modified and len(again.records) == 1
    assert [(r.status, r.conditional) for r in sources.requests] == [(304, True)]


def test_a_server_error_raises_with_its_status(sources, session_for):
    sources.fault("cnll", "server_error")
    with pytest.raises(SourceError) as caught:
        client(sources, session_for, max_retries=0).fetch(["117"])
    assert (caught.value.source, caught.value.status, caught.value.requests) == ("cnll", 500, 1)


def test_an_answer_that_is_not_a_list_raises(sources, session_for):
    sources.update("cnll", {"error": "maintenance"})
    with pytest.raises(SourceError, match="not a list"):
        client(sources, session_for).fetch(["117"])


def test_the_directory_has_no_search(sources, session_for):
    assert client(sources, session_for).search("LibreOffice") == []
    assert sources.requests == []
