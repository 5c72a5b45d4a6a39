"""The Comptoir du Libre client against the fake export over real HTTP."""

from __future__ import annotations

import pytest

from crawlers.http import MemoryHttpCache
from crawlers.sources.base import SourceError
from crawlers.sources.comptoir import ComptoirClient
from crawlers.sources.records import Provider, PublicUser


def client(sources, session_for, **options) -> ComptoirClient:
    return ComptoirClient(sources.base_urls["comptoir"], session=session_for(**options))


def test_a_software_gives_its_links_license_providers_and_public_users(sources, session_for):
    fetched = client(sources, session_for).fetch(["33", "72", "999", "abc"])

    libreoffice, seven_zip = fetched.records
    assert (libreoffice.source, libreoffice.external_id, libreoffice.label) == (
        "comptoir",
        "33",
        "LibreOffice",
    )
    assert libreoffice.url == "https://comptoir-du-libre.org/fr/softwares/33"
    assert libreoffice.website == "https://www.libreoffice.org/"
    assert libreoffice.repository == "https://git.libreoffice.org/core"
    assert libreoffice.licenses == ("MPL-2.0",)
    # The hostile provider keeps its name, loses its javascript: link; the nameless one is dropped.
    assert libreoffice.providers == (
        Provider(
            name="Prestataire Un",
            website="https://un.example.fr/",
            url="https://comptoir-du-libre.org/fr/users/1",
        ),
        Provider(name="Prestataire Deux"),
    )
    assert libreoffice.users == (
        PublicUser(name="Ville de Exemple", url="https://comptoir-du-libre.org/fr/users/10"),
    )
    assert libreoffice.raw["id"] == 33
    # A license text that maps to no SPDX id is kept as the source wrote it.
    assert seven_zip.licenses == ("GNU LGPL v2.1",)
    assert (seven_zip.website, seven_zip.providers) == ("", ())
    # One export read for the whole fetch.
    assert fetched.requests == 1 and len(sources.requests) == 1


def test_missing_fields_are_tolerated(sources, session_for):
    sources.fault("comptoir", "missing_fields")

    (record,) = client(sources, session_for).fetch(["33"]).records

    assert record.label == "LibreOffice"
    assert (record.providers, record.users, record.website, record.licenses) == ((), (), "", ())


def test_a_rerun_with_nothing_changed_sends_only_a_conditional_request(sources, session_for):
    comptoir = client(sources, session_for, cache=MemoryHttpCache())
    comptoir.fetch(["33"])
    sources.reset_log()

    again = comptoir.fetch(["33"])

    assert again.not_modified and again.requests == 1 and len(again.records) == 1
    assert [(r.status, r.conditional) for r in sources.requests] == [(304, True)]


def test_a_changed_export_is_read_again(sources, session_for):
    comptoir = client(sources, session_for, cache=MemoryHttpCache())
    comptoir.fetch(["33"])
    sources.update("comptoir", {"softwares": [{"id": 33, "name": "LibreOffice 2"}]})

    again = comptoir.fetch(["33"])

    assert not again.not_modified and again.records[0].label == "LibreOffice 2"


@pytest.mark.parametrize(
    ("kind", "status", "message"),
    [("server_error", 500, "HTTP 500"), ("garbage", 200, "HTML")],
)
def test_failures_raise_a_source_error(sources, session_for, kind, status, message):
    sources.fault("comptoir", kind)

    with pytest.raises(SourceError, match=message) as caught:
        client(sources, session_for, max_retries=1).fetch(["33"])

    assert caught.value.source == "comptoir" and caught.value.status == status


def test_an_export_of_another_shape_raises_a_source_error(sources, session_for):
    sources.update("comptoir", ["not", "an", "export"])
    with pytest.raises(SourceError, match="not a Comptoir du Libre export"):
        client(sources, session_for).fetch(["33"])


def test_throttling_is_waited_out(sources, session_for, sleeps):
    sources.fault("comptoir", "throttle", times=1, seconds=2)

    assert len(client(sources, session_for).fetch(["33"]).records) == 1
    assert sleeps == [2.0]


def test_a_throttle_beyond_the_bound_raises(sources, session_for, sleeps):
    sources.fault("comptoir", "throttle", seconds=600)

    with pytest.raises(SourceError, match="rate limited") as caught:
        client(sources, session_for, max_throttle_wait=60).fetch(["33"])

    assert caught.value.status == 429 and sleeps == []


def test_a_redirect_is_followed(sources, session_for):
    sources.fault("comptoir", "redirect", times=1)
    assert len(client(sources, session_for).fetch(["33"]).records) == 1


def test_search_matches_names_prefix_first(sources, session_for):
    hits = client(sources, session_for).search("o")
    assert [h.external_id for h in hits] == ["33"]
    hits = client(sources, session_for).search("7-z")
    assert [(h.external_id, h.label, h.url) for h in hits] == [
        ("72", "7-Zip", "https://comptoir-du-libre.org/fr/softwares/72")
    ]


def test_the_raw_answer_kept_is_storable_in_postgresql(sources, session_for):
    sources.update(
        "comptoir", {"softwares": [{"id": 33, "name": "Nul\x00", "licence": {"a\x00": ["b\x00"]}}]}
    )

    (record,) = client(sources, session_for).fetch(["33"]).records

    assert record.label == "Nul"
    assert record.raw == {"id": 33, "name": "Nul", "licence": {"a": ["b"]}}


def test_huge_and_control_laden_text_is_bounded_and_cleaned(sources, session_for):
    sources.update(
        "comptoir",
        {
            "softwares": [
                {"id": 33, "name": "\u202eA" * 5000, "providers": [{"name": "B\r\n\tC"}] * 500}
            ]
        },
    )

    (record,) = client(sources, session_for).fetch(["33"]).records

    assert len(record.label) == 200 and "\u202e" not in record.label
    assert len(record.providers) == 50 and record.providers[0].name == "B C"
