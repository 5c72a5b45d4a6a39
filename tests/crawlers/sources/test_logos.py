"""Logo downloads: Commons' redirect followed, only images of a bounded size taken."""

from __future__ import annotations

import pytest

from crawlers.sources.base import SourceError
from crawlers.sources.fakes.png import generated_png
from crawlers.sources.logos import fetch_logo
from crawlers.sources.wikidata import WikidataClient
from tests.crawlers.sources.conftest import LIBREOFFICE


def test_a_wikidata_logo_is_downloaded_through_commons_redirect(sources, session_for):
    wikidata = WikidataClient(
        sources.base_urls["wikidata"],
        commons_url=sources.base_urls["commons"],
        session=session_for(),
    )
    (record,) = wikidata.fetch([LIBREOFFICE]).records
    sources.reset_log()

    logo = fetch_logo(record.logo_url, session=session_for())

    assert logo.content_type == "image/png"
    assert logo.content == generated_png("LibreOffice_Logo_Flat.svg")
    assert logo.source_url == record.logo_url
    assert [(r.path, r.status) for r in sources.requests] == [
        ("/wiki/Special:FilePath/LibreOffice_Logo_Flat.svg", 302),
        ("/upload/wikipedia/commons/0/02/LibreOffice_Logo_Flat.svg", 200),
    ]


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "file:///etc/passwd", "ftp://example.org/logo.png", "/logo.png"]
)
def test_only_http_urls_are_fetched(url, session_for):
    with pytest.raises(SourceError, match="not an http"):
        fetch_logo(url, session=session_for())


def test_a_missing_file_raises_with_its_status(sources, session_for):
    url = f"{sources.base_urls['commons']}/wiki/Special:FilePath/Nope.png"
    with pytest.raises(SourceError) as caught:
        fetch_logo(url, session=session_for())
    assert caught.value.status == 404


def test_something_that_is_not_an_image_is_refused(sources, session_for):
    with pytest.raises(SourceError, match="not an image"):
        fetch_logo(f"{sources.base_urls['cnll']}/api/prestataires-sill.json", session=session_for())


def test_a_logo_over_the_size_bound_is_refused(sources, session_for):
    url = f"{sources.base_urls['commons']}/wiki/Special:FilePath/LibreOffice_Logo_Flat.svg"
    with pytest.raises(SourceError, match="over 50 bytes"):
        fetch_logo(url, max_bytes=50, session=session_for())
    assert len(fetch_logo(url, max_bytes=1000, session=session_for()).content) < 1000
