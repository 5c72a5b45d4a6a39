"""Links between entries and sources: from the catalog's own ids, confirmed or rejected by curators."""

import pytest

from crawlers.sources.records import SourceRecord
from inventory.core.exceptions import ApplicationError, PermissionDenied
from inventory.enrichment.models import EnrichmentRecord, Match, RecordStatus
from inventory.enrichment.services.links import (
    enrichment_match_confirm,
    enrichment_match_reject,
    links_from_catalog,
)
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


def links() -> set[tuple[str, str, str]]:
    return set(EnrichmentRecord.objects.values_list("software__name", "source", "external_id"))


def test_catalog_ids_link_each_source():
    factories.software_create(
        name="GIMP",
        external_id="Q8038",
        external_data_origin="wikidata",
        comptoir_du_libre_id=63,
        sill_id=12,
        source_url="https://gitlab.gnome.org/GNOME/gimp",
    )
    factories.software_create(name="Thèse", external_id="hal-01234567", external_data_origin="HAL")
    factories.software_create(name="Sans id")

    report = links_from_catalog()

    assert report.created == 5
    assert links() == {
        ("GIMP", "wikidata", "Q8038"),
        ("GIMP", "comptoir", "63"),
        ("GIMP", "cnll", "12"),
        ("GIMP", "forge", "https://gitlab.gnome.org/GNOME/gimp"),
        ("Thèse", "hal", "hal-01234567"),
    }
    assert not EnrichmentRecord.objects.exclude(match=Match.IDENTIFIER, confirmed=True).exists()
    assert links_from_catalog().created == 0


def test_an_id_removed_from_the_entry_drops_its_link():
    software = factories.software_create(name="GIMP", comptoir_du_libre_id=63)
    links_from_catalog()
    software.comptoir_du_libre_id = 64
    software.save()

    report = links_from_catalog()

    assert (report.created, report.removed) == (1, 1)
    assert links() == {("GIMP", "comptoir", "64")}


def proposed(store, software):
    return store(
        software,
        SourceRecord(source="wikidata", external_id="Q8038", label="GIMP"),
        match=Match.UNCERTAIN,
        confirmed=False,
    )


def test_curator_confirms_an_uncertain_match_and_fills_the_empty_wikidata_id(store):
    software = factories.software_create(name="GIMP")
    record = proposed(store, software)

    enrichment_match_confirm(actor=factories.curator_create(), record_id=record.pk)

    record.refresh_from_db()
    software.refresh_from_db()
    assert record.confirmed
    assert (software.external_id, software.external_data_origin) == ("Q8038", "wikidata")


def test_confirmation_never_replaces_an_id_the_entry_has(store):
    software = factories.software_create(
        name="GIMP", external_id="hal-1", external_data_origin="HAL"
    )
    record = proposed(store, software)

    enrichment_match_confirm(actor=factories.curator_create(), record_id=record.pk)

    software.refresh_from_db()
    assert (software.external_id, software.external_data_origin) == ("hal-1", "HAL")


def test_rejected_match_is_kept_hidden_and_cannot_be_confirmed(store):
    software = factories.software_create(name="GIMP")
    record = proposed(store, software)
    curator = factories.curator_create()

    enrichment_match_reject(actor=curator, record_id=record.pk)

    record.refresh_from_db()
    assert (record.status, record.confirmed) == (RecordStatus.REJECTED, False)
    with pytest.raises(ApplicationError):
        enrichment_match_confirm(actor=curator, record_id=record.pk)


def test_only_curators_confirm(store):
    record = proposed(store, factories.software_create(name="GIMP"))

    with pytest.raises(PermissionDenied):
        enrichment_match_confirm(actor=factories.agent_create(), record_id=record.pk)

    record.refresh_from_db()
    assert not record.confirmed
