"""Similar software becomes a pre-filled proposal in one click; the proposal form's auto-fill."""

import re

import pytest

from crawlers.sources.records import SourceRecord
from inventory.catalog.models import Software
from inventory.enrichment.services.links import links_from_catalog
from inventory.enrichment.services.refresh import source_refresh
from tests.crawlers.sources.conftest import FIREFOX, LIBREOFFICE
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_client(client):
    client.force_login(factories.agent_create())
    return client


def field_value(html: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    return found.group(1) if found else ""


def test_similar_software_not_in_the_catalog_becomes_a_prefilled_proposal_in_one_click(
    fake_sources, agent_client, store
):
    software = factories.software_create(name="Navigateur du catalogue")
    store(software, SourceRecord(source="wikidata", external_id="Q1", similar=(FIREFOX,)))

    detail = agent_client.get(f"/logiciels/{software.slug}/").content.decode()
    link = f"/logiciels/proposer/?source=wikidata&amp;id={FIREFOX}"
    assert link in detail
    assert "proposer ce logiciel" in detail

    form = agent_client.get(link.replace("&amp;", "&")).content.decode()

    assert field_value(form, "name") == "Firefox"
    assert field_value(form, "function") == "web browser"
    assert Software.objects.filter(name="Firefox").count() == 0


def test_prefill_takes_website_repository_and_only_a_free_license(fake_sources, agent_client):
    form = agent_client.get(
        f"/logiciels/proposer/?source=wikidata&id={LIBREOFFICE}"
    ).content.decode()

    assert field_value(form, "name") == "LibreOffice"
    assert field_value(form, "homepage_url") == "https://www.libreoffice.org/"
    assert field_value(form, "source_url") == "https://git.libreoffice.org/core"
    assert field_value(form, "logo_url").endswith(
        "/wiki/Special:FilePath/LibreOffice_Logo_Flat.svg"
    )
    # Its second license is no SPDX license: no license is offered, the agent types it.
    assert field_value(form, "license") == ""


@pytest.mark.parametrize("query", ["?source=wikidata&id=not-an-id", "?source=evil&id=Q1"])
def test_a_bad_prefill_request_gives_the_empty_form(fake_sources, agent_client, query):
    response = agent_client.get(f"/logiciels/proposer/{query}")

    assert response.status_code == 200
    assert field_value(response.content.decode(), "name") == ""


def test_autofill_search_answers_json_with_prefilled_form_links(fake_sources, agent_client):
    data = agent_client.get("/logiciels/proposer/sources/?format=json&q=LibreOffice").json()

    hit = next(r for r in data["results"] if r["id"] == LIBREOFFICE)
    assert hit["source"] == "wikidata" and hit["label"] == "LibreOffice"
    assert hit["propose_url"] == f"/logiciels/proposer/?source=wikidata&id={LIBREOFFICE}"


def test_autofill_search_works_without_javascript(fake_sources, agent_client):
    html = agent_client.get("/logiciels/proposer/sources/?q=LibreOffice").content.decode()

    assert f'href="/logiciels/proposer/?source=wikidata&amp;id={LIBREOFFICE}"' in html


def test_autofill_search_refuses_bad_input_and_reports_failing_sources(fake_sources, agent_client):
    assert agent_client.get("/logiciels/proposer/sources/?format=json&q=x").status_code == 400
    for source in ("wikidata", "hal"):
        fake_sources.fault(source, "throttle", seconds=3600)

    response = agent_client.get("/logiciels/proposer/sources/?format=json&q=Inconnu")

    assert response.status_code == 502 and response.json()["results"] == []


def test_proposal_form_offers_the_autofill_with_a_local_script(agent_client):
    html = agent_client.get("/logiciels/proposer/?name=Outil").content.decode()

    assert 'id="enrichment-autofill"' in html
    assert "enrichment/proposal-autofill" in html
    assert "<script>" not in html


def test_similar_software_already_in_the_catalog_is_not_offered(fake_sources, store):
    firefox = factories.software_create(
        name="Firefox", external_id=FIREFOX, external_data_origin="wikidata"
    )
    links_from_catalog()
    source_refresh(source="wikidata")
    software = factories.software_create(name="Autre")
    store(software, SourceRecord(source="wikidata", external_id="Q2", similar=(FIREFOX, "Firefox")))

    from inventory.enrichment.selectors import software_enrichment

    assert software_enrichment(software=software).similar == []
    assert firefox.enrichment_records.get().status == "fetched"
