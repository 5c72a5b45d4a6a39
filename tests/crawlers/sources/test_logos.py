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


@pytest.mark.parametrize(
    ("content_type", "body", "message"),
    [
        ("image/png", "<script>alert(1)</script>", "not the image/png it claims"),
        ("image/svg+xml", "<html><body>hello</body></html>", "not the image/svg\\+xml it claims"),
        ("application/octet-stream", "\x89PNG", "not an image we show"),
        ("text/html", "<html></html>", "HTML"),
    ],
)
def test_a_file_whose_bytes_or_type_are_not_an_image_is_refused(
    sources, session_for, content_type, body, message
):
    sources.seed["commons_served"] = {"Odd.png": {"content_type": content_type, "body": body}}
    url = f"{sources.base_urls['commons']}/wiki/Special:FilePath/Odd.png"

    with pytest.raises(SourceError, match=message):
        fetch_logo(url, session=session_for(max_retries=0))


def test_an_svg_logo_is_taken(sources, session_for):
    svg = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'
    sources.seed["commons_served"] = {"Logo.svg": {"content_type": "image/svg+xml", "body": svg}}

    logo = fetch_logo(
        f"{sources.base_urls['commons']}/wiki/Special:FilePath/Logo.svg", session=session_for()
    )

    assert (logo.content_type, logo.content) == ("image/svg+xml", svg.encode())


@pytest.mark.parametrize(
    "svg",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        '<svg><a href="javascript:alert(1)"><rect/></a></svg>',
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>',
    ],
)
def test_an_svg_that_could_run_or_load_something_is_refused(sources, session_for, svg):
    sources.seed["commons_served"] = {"Evil.svg": {"content_type": "image/svg+xml", "body": svg}}
    with pytest.raises(SourceError, match="not the image/svg"):
        fetch_logo(
            f"{sources.base_urls['commons']}/wiki/Special:FilePath/Evil.svg", session=session_for()
        )


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/logo.png",
        "http://192.168.1.1/logo.png",
        "http://[fe80::1]/logo.png",
        "http://0.0.0.0/logo.png",
    ],
)
def test_an_internal_address_is_never_requested(url, session_for):
    with pytest.raises(SourceError, match="internal address"):
        fetch_logo(url, session=session_for())


def test_a_redirect_to_an_internal_address_is_not_followed(sources, session_for):
    sources.seed["commons_served"] = {"Away.png": {"location": "http://10.0.0.1/x.png"}}
    url = f"{sources.base_urls['commons']}/wiki/Special:FilePath/Away.png"

    with pytest.raises(SourceError, match="internal address"):
        fetch_logo(url, session=session_for())
    assert [r.status for r in sources.requests] == [302]


def test_a_redirect_to_another_scheme_is_refused(sources, session_for):
    sources.seed["commons_served"] = {"Away.png": {"location": "file:///etc/passwd"}}
    with pytest.raises(SourceError, match="not an http"):
        fetch_logo(
            f"{sources.base_urls['commons']}/wiki/Special:FilePath/Away.png", session=session_for()
        )


def test_endless_redirects_are_cut(sources, session_for):
    url = f"{sources.base_urls['commons']}/wiki/Special:FilePath/Loop.png"
    sources.seed["commons_served"] = {"Loop.png": {"location": url}}
    with pytest.raises(SourceError, match="more than 5 redirects"):
        fetch_logo(url, session=session_for())
    assert len(sources.requests) == 6
