"""The software download carries what the entry page shows from the sources, source named."""

import csv
import json

import pytest

from crawlers.sources.records import Provider, SourceRecord, Version
from inventory.catalog.models import SoftwareStatus
from inventory.opendata.services import exports_generate
from tests.inventory.catalog import factories
from tests.inventory.enrichment.conftest import record_store

pytestmark = pytest.mark.django_db


def test_software_files_carry_latest_version_providers_and_sources():
    enriched = factories.software_create(name="GIMP", status=SoftwareStatus.RECOMMENDED)
    curated = factories.software_create(
        name="Inkscape", status=SoftwareStatus.RECOMMENDED, latest_version="1.4"
    )
    record_store(
        enriched,
        SourceRecord(
            source="wikidata",
            external_id="Q8038",
            latest_version=Version("3.0.4", None),
        ),
    )
    record_store(
        enriched,
        SourceRecord(
            source="comptoir",
            external_id="42",
            providers=(Provider(name='=HYPERLINK("x")', siren="123456789"),),
        ),
    )
    record_store(
        curated,
        SourceRecord(source="wikidata", external_id="Q8041", latest_version=Version("1.3")),
    )

    folder = exports_generate().folder

    rows = {row["name"]: row for row in json.loads((folder / "software.json").read_text())}
    assert rows["GIMP"]["latest_version"] == "3.0.4"
    assert rows["GIMP"]["latest_version_source"] == "wikidata"
    assert rows["GIMP"]["service_providers"] == ['=HYPERLINK("x")']
    assert rows["GIMP"]["enrichment_sources"] == ["comptoir", "wikidata"]
    # A curator's version wins over the source's, and says so.
    assert rows["Inkscape"]["latest_version"] == "1.4"
    assert rows["Inkscape"]["latest_version_source"] == "curator"
    with (folder / "software.csv").open(encoding="utf-8", newline="") as handle:
        gimp = next(row for row in csv.DictReader(handle) if row["name"] == "GIMP")
    assert gimp["latest_version"] == "3.0.4"
    assert not gimp["service_providers"].startswith("=")  # the CSV writer neutralises formulas
