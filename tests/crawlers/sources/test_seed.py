"""The demo seed holds only facts read from the real SILL files or listed as general knowledge."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from crawlers.http import MemoryHttpCache
from crawlers.sources.comptoir import ComptoirClient
from crawlers.sources.fakes import FakeSources
from crawlers.sources.fakes.seed import KNOWN, LICENSE_ITEMS, REFERENCED, demo_seed, shared_data_dir
from crawlers.sources.logos import fetch_logo
from crawlers.sources.wikidata import WikidataClient

SILL = shared_data_dir() / "sill"
pytestmark = pytest.mark.skipif(not SILL.is_dir(), reason="the shared SILL data is not here")


def sill_entries() -> list[dict]:
    return json.loads((SILL / "sill.json").read_text(encoding="utf-8"))


def csv_ids() -> set[str]:
    with (SILL / "sill-2020.csv").open(encoding="utf-8") as rows:
        return {r["wikidata_entity"].strip() for r in csv.DictReader(rows) if r["wikidata_entity"]}


def test_wikidata_items_are_the_csv_ids_and_the_items_they_point_to():
    seed = demo_seed(Path(SILL))
    linked = csv_ids()

    assert len(linked) == 60
    assert set(seed["wikidata"]) == linked | set(LICENSE_ITEMS) | set(REFERENCED)
    assert set(KNOWN) <= linked
    # No version is claimed anywhere: none is known for certain.
    assert not any("P348" in item["claims"] for item in seed["wikidata"].values())


def test_item_facts_come_from_the_sill_entry_of_the_same_name():
    seed = demo_seed()
    libreoffice = next(e for e in sill_entries() if e["i"] == "LibreOffice")
    item = seed["wikidata"]["Q10135"]

    assert item["descriptions"]["fr"]["value"] == libreoffice["fr-desc"]
    assert item["claims"]["P856"][0]["mainsnak"]["datavalue"]["value"] == libreoffice["website"]
    logo = item["claims"]["P154"][0]["mainsnak"]["datavalue"]["value"]
    assert f"/{logo}/" in libreoffice["logo"] and logo in seed["commons"]


def test_comptoir_lists_the_sill_entries_with_an_id_and_no_invented_provider():
    seed = demo_seed()
    with_id = [e for e in sill_entries() if e["co"].strip().isdigit()]

    assert len(seed["comptoir"]["softwares"]) == len(with_id) == 227
    assert all(s["providers"] == [] and s["users"] == [] for s in seed["comptoir"]["softwares"])
    assert seed["cnll"] == [] and seed["hal"] == []


def test_the_demo_sources_enrich_through_the_real_clients_and_rerun_with_304s():
    cache = MemoryHttpCache()
    with FakeSources.from_demo_seed() as sources:
        wikidata = WikidataClient(
            sources.base_urls["wikidata"], commons_url=sources.base_urls["commons"], cache=cache
        )
        fetched = wikidata.fetch(sorted(csv_ids()))
        comptoir = ComptoirClient(sources.base_urls["comptoir"], cache=cache).fetch(["33"])
        libreoffice = next(r for r in fetched.records if r.external_id == "Q10135")
        logo = fetch_logo(libreoffice.logo_url)
        again = wikidata.fetch(sorted(csv_ids()))

    assert len(fetched.records) == 60
    assert libreoffice.licenses == ("MPL-2.0",)
    assert libreoffice.operating_systems == ("Linux", "Microsoft Windows", "macOS")
    assert logo.content_type == "image/png"
    assert comptoir.records[0].label == "LibreOffice"
    assert again.not_modified
