"""Enrichment runs through the real clients against the fake sources, on a real database
(issue #14's "Done when")."""

import pytest

from inventory.catalog.models import Software
from inventory.enrichment.models import EnrichmentRecord, SoftwareLogo, SourceStatus
from inventory.enrichment.selectors import software_enrichment
from inventory.enrichment.services.run import enrichment_run
from tests.crawlers.sources.conftest import LIBREOFFICE
from tests.inventory.catalog import factories
from tests.inventory.enrichment.conftest import GIMP_REPOSITORY

pytestmark = pytest.mark.django_db


def libreoffice(**fields) -> Software:
    return factories.software_create(
        **{
            "name": "LibreOffice",
            "description": "",
            "license": "MPL-2.0",
            "external_id": LIBREOFFICE,
            "external_data_origin": "wikidata",
            "comptoir_du_libre_id": 33,
            "sill_id": 117,
            **fields,
        }
    )


def stored() -> list[tuple]:
    return list(
        EnrichmentRecord.objects.order_by("pk").values_list(
            "source", "external_id", "status", "fields", "raw", "fetched_at", "error"
        )
    )


def test_entry_gains_description_logo_version_developers_providers_and_users(fake_sources):
    software = libreoffice()

    report = enrichment_run(match_names=False)

    assert all(result.ok for result in report.refreshes), report.refreshes
    enrichment = software_enrichment(software=software)
    facts = enrichment.facts
    assert (facts["description"].value, facts["description"].source) == (
        "suite bureautique libre",
        "wikidata",
    )
    assert facts["latest_version"].value == {"number": "7.6.0", "published": "2023-08-21"}
    assert facts["developers"].value == ["Fondation Mozilla"]
    assert facts["documentation"].value == "https://help.libreoffice.org/"
    assert facts["users"].value == [
        {"name": "Ville de Exemple", "url": "https://comptoir-du-libre.org/fr/users/10"}
    ]
    providers = {(p.name, p.siren) for p in enrichment.providers}
    assert ("Prestataire Un", "") in providers
    assert ("Société A", "123456789") in providers
    assert len([p for p in providers if p[1] == "123456789"]) == 1
    logo = SoftwareLogo.objects.get(software=software)
    assert logo.content_type in ("image/png", "image/svg+xml")
    assert SourceStatus.objects.get(source="wikidata").last_success_at is not None


def test_forge_release_gives_the_latest_version(fake_sources):
    software = factories.software_create(name="GIMP", source_url=GIMP_REPOSITORY)

    [result] = enrichment_run(sources=["forge"]).refreshes

    assert result.ok and result.updated == 1
    fact = software_enrichment(software=software).facts["latest_version"]
    assert (fact.value["number"], fact.source) == ("GIMP_3_0_4", "forge")


def test_curator_value_is_never_overwritten_by_a_run(fake_sources):
    software = libreoffice(
        description="La suite bureautique (texte du curateur)",
        homepage_url="https://fr.libreoffice.org/",
        latest_version="7.5.9",
    )

    enrichment_run(match_names=False)

    software.refresh_from_db()
    assert software.description == "La suite bureautique (texte du curateur)"
    assert software.homepage_url == "https://fr.libreoffice.org/"
    assert software.latest_version == "7.5.9"
    assert software.license == "MPL-2.0"
    facts = software_enrichment(software=software).facts
    assert facts["description"].source == "curator"
    assert facts["latest_version"].value["number"] == "7.5.9"


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("server_error", "HTTP 500"), ("throttle", "429"), ("garbage", "HTML page")],
)
def test_a_failing_source_changes_nothing_and_its_status_says_why(fake_sources, kind, expected):
    software = libreoffice()
    enrichment_run(match_names=False, logos=False)
    before = stored()
    fake_sources.update("wikidata", {})
    fake_sources.update("comptoir", {"softwares": []})
    fake_sources.update("cnll", [])
    for source in ("wikidata", "comptoir", "cnll"):
        fake_sources.fault(source, kind, seconds=3600)

    report = enrichment_run(sources=["wikidata", "comptoir", "cnll"], match_names=False)

    assert [result.ok for result in report.refreshes] == [False, False, False]
    assert stored() == before
    software.refresh_from_db()
    assert software.description == ""
    for source in ("wikidata", "comptoir", "cnll"):
        status = SourceStatus.objects.get(source=source)
        assert expected in status.last_error, status.last_error
        assert status.failures == 1 and not status.ok
        assert status.last_success_at < status.last_error_at
    assert software_enrichment(software=software).facts["description"].source == "wikidata"


def test_a_rerun_with_nothing_changed_sends_only_conditional_requests(fake_sources):
    libreoffice()
    enrichment_run(match_names=False)
    fake_sources.reset_log()

    report = enrichment_run(sources=["wikidata", "comptoir", "cnll"], match_names=False)

    assert all(result.ok and result.updated == 0 for result in report.refreshes)
    assert fake_sources.requests
    assert all(r.conditional and r.status == 304 for r in fake_sources.requests), [
        (r.source, r.path, r.status) for r in fake_sources.requests
    ]
    assert SourceStatus.objects.get(source="comptoir").last_not_modified


def test_name_match_links_when_name_and_website_agree_and_fills_the_wikidata_id(fake_sources):
    software = factories.software_create(
        name="LibreOffice", homepage_url="https://www.libreoffice.org"
    )

    report = enrichment_run(sources=["wikidata"], logos=False)

    assert (report.matches.certain, report.matches.uncertain) == (1, 0)
    software.refresh_from_db()
    assert (software.external_id, software.external_data_origin) == (LIBREOFFICE, "wikidata")
    assert software_enrichment(software=software).facts["description"].source == "wikidata"


def test_name_match_without_the_website_is_proposed_to_curators(fake_sources):
    software = factories.software_create(name="Firefox")

    report = enrichment_run(sources=["wikidata"], logos=False)

    assert (report.matches.certain, report.matches.uncertain) == (0, 1)
    record = EnrichmentRecord.objects.get(software=software)
    assert not record.confirmed
    software.refresh_from_db()
    assert software.external_id == ""
    assert "description" not in software_enrichment(software=software).facts


def test_the_catalog_search_finds_an_entry_by_what_its_sources_say(fake_sources, client):
    libreoffice(function="Outil")
    factories.software_create(name="Autre", function="Gestion de parc")
    search = "/api/v1/software/?q=bureautique"
    # (another URL than the one asked after: anonymous API answers are kept a few seconds)
    assert client.get(search + "&page=1").json()["results"] == []

    enrichment_run(sources=["wikidata"], match_names=False, logos=False)

    names = [item["name"] for item in client.get(search).json()["results"]]
    assert names == ["LibreOffice"]


def test_forge_rerun_is_conditional_and_a_gone_repository_is_unknown(fake_sources):
    factories.software_create(name="GIMP", source_url=GIMP_REPOSITORY)
    factories.software_create(name="Disparu", source_url="https://github.com/GNOME/gone")
    enrichment_run(sources=["forge"])

    [result] = enrichment_run(sources=["forge"]).refreshes

    assert result.ok and result.updated == 0 and result.missing == 1
    assert result.not_modified is False  # the gone one answers 404, not 304
    statuses = dict(EnrichmentRecord.objects.values_list("software__name", "status"))
    assert statuses == {"GIMP": "fetched", "Disparu": "missing"}


def test_logo_falls_back_to_the_source_and_is_stored_as_a_small_png_once(fake_sources, settings):
    import io

    from PIL import Image

    settings.LOGO_THUMBNAIL_SIZE = 16
    software = libreoffice(
        logo_url=f"{fake_sources.base_urls['commons']}/wiki/Special:FilePath/Absent.png"
    )

    first = enrichment_run(sources=["wikidata"], match_names=False).logos
    again = enrichment_run(sources=["wikidata"], match_names=False).logos

    assert (first.fetched, first.failed) == (1, 0) and "Absent.png" in first.errors[0]
    assert (again.fetched, again.unchanged) == (0, 1)
    logo = SoftwareLogo.objects.get(software=software)
    assert "LibreOffice" in logo.source_url
    assert logo.content_type == "image/png"
    with Image.open(io.BytesIO(bytes(logo.content))) as image:
        assert max(image.size) <= 16
