"""The fake sources are a tool of their own: formats, validators, faults."""

from __future__ import annotations

import pytest
import requests

from crawlers.sources.fakes import FakeSources
from crawlers.sources.fakes.answers import commons_upload_path
from crawlers.sources.hal import HalClient
from crawlers.sources.wikidata import WikidataClient
from tests.crawlers.sources.conftest import LIBREOFFICE


def api(sources: FakeSources, **params: str) -> requests.Response:
    return requests.get(f"{sources.base_urls['wikidata']}/w/api.php", params=params, timeout=5)


def test_wbgetentities_filters_props_and_languages_and_marks_missing_items(sources):
    answer = api(
        sources,
        action="wbgetentities",
        ids=f"{LIBREOFFICE}|Q1",
        props="labels",
        languages="en",
        format="json",
    ).json()

    assert answer["entities"][LIBREOFFICE] == {
        "type": "item",
        "id": LIBREOFFICE,
        "labels": {"en": {"language": "en", "value": "LibreOffice"}},
    }
    assert answer["entities"]["Q1"] == {"id": "Q1", "missing": ""}


@pytest.mark.parametrize(
    ("ids", "code"),
    [("|".join(f"Q{n}" for n in range(1, 52)), "toomanyvalues"), ("Q1|x", "no-such-entity")],
)
def test_wbgetentities_refuses_what_mediawiki_refuses(sources, ids, code):
    assert (
        api(sources, action="wbgetentities", ids=ids, format="json").json()["error"]["code"] == code
    )


def test_commons_file_path_redirects_to_the_upload_path_rule():
    # Commons' rule (md5 of the name): the SILL's own logo URL has /0/02/ for this file.
    assert commons_upload_path("LibreOffice Logo Flat.svg") == (
        "/wikipedia/commons/0/02/LibreOffice_Logo_Flat.svg"
    )


def test_every_answer_has_an_etag_and_a_matching_if_none_match_gets_304(sources):
    url = f"{sources.base_urls['comptoir']}/public/export/comptoir-du-libre_export_v1.json"
    first = requests.get(url, timeout=5)
    again = requests.get(url, headers={"If-None-Match": first.headers["ETag"]}, timeout=5)

    assert first.status_code == 200 and again.status_code == 304 and again.content == b""
    sources.update("comptoir", {"softwares": []})
    assert (
        requests.get(url, headers={"If-None-Match": first.headers["ETag"]}, timeout=5).status_code
        == 200
    )


def test_faults_apply_to_their_source_and_path_and_run_out(sources):
    sources.fault("cnll", "server_error", times=1)
    sources.fault("hal", "throttle", path_contains="rows=1", seconds=7)
    cnll = f"{sources.base_urls['cnll']}/api/prestataires-sill.json"
    hal = f"{sources.base_urls['hal']}/search/"

    assert requests.get(cnll, timeout=5).status_code == 500
    assert requests.get(cnll, timeout=5).status_code == 200
    throttled = requests.get(hal, params={"q": "x", "rows": "1"}, timeout=5)
    assert (throttled.status_code, throttled.headers["Retry-After"]) == (429, "7")
    assert requests.get(hal, params={"q": "x", "rows": "2"}, timeout=5).status_code == 200
    with pytest.raises(ValueError, match="fault kind"):
        sources.fault("cnll", "explode")
    with pytest.raises(ValueError, match="source"):
        sources.fault("nowhere", "server_error")


def test_a_redirect_points_to_the_same_request_elsewhere(sources):
    sources.fault("hal", "redirect")
    answer = requests.get(
        f"{sources.base_urls['hal']}/search/",
        params={"q": "scikit"},
        allow_redirects=False,
        timeout=5,
    )
    assert answer.status_code == 301
    assert answer.headers["Location"] == f"{sources.base_url}/moved/hal/search/?q=scikit"
    assert requests.get(answer.headers["Location"], timeout=5).json()["response"]["numFound"] == 1


def test_unknown_paths_get_404(sources):
    assert requests.get(f"{sources.base_url}/nowhere", timeout=5).status_code == 404
    assert requests.get(f"{sources.base_urls['cnll']}/api/other.json", timeout=5).status_code == 404


def test_the_demo_sources_run_in_a_thread_until_stopped():
    demo = FakeSources.from_demo_seed().start()
    try:
        assert demo.start() is demo
        url = f"{demo.base_urls['cnll']}/api/prestataires-sill.json"
        assert requests.get(url, timeout=5).json() == []
    finally:
        demo.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=5)


def test_search_limits_stay_within_what_the_services_accept(sources, session_for):
    WikidataClient(sources.base_urls["wikidata"], session=session_for()).search("lo", limit=500)
    HalClient(sources.base_urls["hal"], session=session_for()).search("scikit", limit=0)

    assert [r.query.get("limit") or r.query.get("rows") for r in sources.requests] == [
        "50",
        "50",
        "1",
    ]
