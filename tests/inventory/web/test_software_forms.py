"""Proposing a software and editing the entries one added."""

import re

import pytest
from django.test import Client

from inventory.catalog.models import Category, Software, SoftwareStatus
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Grist",
    "function": "Tableur collaboratif",
    "description": "Des tableurs reliés comme une base de données.",
    "license": "Apache-2.0",
    "homepage_url": "https://www.getgrist.com",
    "source_url": "https://github.com/gristlabs/grist-core",
}


def test_proposing_creates_a_proposal_added_by_the_agent(agent_client, agent):
    response = agent_client.post("/logiciels/proposer/", VALID)
    software = Software.objects.get(name="Grist")
    assert response.status_code == 302 and response["Location"] == f"/logiciels/{software.slug}/"
    assert software.status == SoftwareStatus.PROPOSED and software.added_by == agent
    page = agent_client.get(response["Location"]).content.decode()
    assert "Merci : Grist est proposé" in page
    assert "attend l’examen d’un curateur" in page


def test_proposal_form_reports_missing_fields_on_each_field(agent_client):
    response = agent_client.post(
        "/logiciels/proposer/", {"name": "", "function": "", "license": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("fr-input-group--error") == 3
    assert 'id="id_name-desc-error"' in html
    assert not Software.objects.exists()


def test_non_free_license_is_refused_on_the_license_field(agent_client):
    response = agent_client.post("/logiciels/proposer/", VALID | {"license": "Proprietary"})
    html = response.content.decode()
    assert 'id="id_license-desc-error"' in html
    assert not Software.objects.exists()


def test_duplicate_proposal_points_to_the_existing_entry(agent_client):
    existing = factories.software_create(name="Grist")
    response = agent_client.post("/logiciels/proposer/", VALID | {"name": "grist"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Déjà au catalogue" in html
    assert f'href="/logiciels/{existing.slug}/"' in html
    assert Software.objects.count() == 1


def test_duplicate_by_source_repository_is_pointed_out_too(agent_client):
    existing = factories.software_create(
        name="Grist Core", source_url="https://github.com/gristlabs/grist-core"
    )
    html = agent_client.post(
        "/logiciels/proposer/",
        VALID | {"source_url": "https://github.com/gristlabs/grist-core.git"},
    ).content.decode()
    assert f'href="/logiciels/{existing.slug}/"' in html


def test_proposing_requires_signing_in(client):
    response = client.post("/logiciels/proposer/", VALID)
    assert response.status_code == 302 and "/agents/login/" in response["Location"]
    assert not Software.objects.exists()


def test_author_edits_their_entry(agent_client, agent):
    software = factories.software_create(
        name="Grist", added_by=agent, license="Apache-2.0", function="Tableur"
    )
    page = agent_client.get(f"/logiciels/{software.slug}/").content.decode()
    assert f'href="/logiciels/{software.slug}/modifier/"' in page
    form = agent_client.get(f"/logiciels/{software.slug}/modifier/").content.decode()
    assert 'value="Tableur"' in form
    response = agent_client.post(
        f"/logiciels/{software.slug}/modifier/",
        {"name": "Grist", "function": "Tableur relationnel", "license": "Apache-2.0"},
    )
    assert response.status_code == 302
    software.refresh_from_db()
    assert software.function == "Tableur relationnel"


def test_another_agent_cannot_edit_an_entry_they_did_not_add(other_client, agent):
    software = factories.software_create(name="Grist", added_by=agent, function="Tableur")
    assert (
        f"/logiciels/{software.slug}/modifier/"
        not in other_client.get(f"/logiciels/{software.slug}/").content.decode()
    )
    assert other_client.get(f"/logiciels/{software.slug}/modifier/").status_code == 403
    response = other_client.post(
        f"/logiciels/{software.slug}/modifier/",
        {"name": "Pirate", "function": "x", "license": "MIT"},
    )
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
    software.refresh_from_db()
    assert software.name == "Grist"


def test_curator_edits_any_entry(curator_client):
    software = factories.software_create(name="Grist", function="Tableur", license="Apache-2.0")
    curator_client.post(
        f"/logiciels/{software.slug}/modifier/",
        {"name": "Grist", "function": "Base", "license": "Apache-2.0"},
    )
    software.refresh_from_db()
    assert software.function == "Base"


def test_proposal_requires_the_csrf_token(agent):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    assert client.post("/logiciels/proposer/", VALID).status_code == 403
    assert not Software.objects.exists()


def test_proposal_records_the_kind_of_software_and_its_categories(agent_client):
    office = Category.objects.create(name="Bureautique", slug="bureautique")
    agent_client.post(
        "/logiciels/proposer/",
        VALID | {"types": ["is_cloud", "is_stack"], "categories": [office.pk]},
    )
    software = Software.objects.get(name="Grist")
    assert software.is_cloud and software.is_stack and not software.is_desktop
    assert list(software.categories.all()) == [office]


def test_editing_changes_only_what_was_changed(agent_client, agent):
    software = factories.software_create(
        name="Grist",
        added_by=agent,
        license="Apache-2.0",
        function="Tableur",
        is_cloud=True,
        keywords=["tableur"],
    )
    form = agent_client.get(f"/logiciels/{software.slug}/modifier/").content.decode()
    assert re.search(r'<input[^>]*value="is_cloud"[^>]*checked', form)
    assert not re.search(r'<input[^>]*value="is_desktop"[^>]*checked', form)
    agent_client.post(
        f"/logiciels/{software.slug}/modifier/",
        {
            "name": "Grist",
            "function": "Tableur",
            "license": "Apache-2.0",
            "types": ["is_cloud", "is_desktop"],
        },
    )
    software.refresh_from_db()
    assert software.is_cloud and software.is_desktop
    assert software.keywords == ["tableur"]


def test_errors_are_announced_in_the_title_and_focus_the_first_field(agent_client):
    html = agent_client.post("/logiciels/proposer/", {"name": "Grist"}).content.decode()
    assert "<title>Erreur : Proposer un logiciel — Logithèque</title>" in html
    assert 'role="alert"' in html
    assert re.search(r'<input[^>]*name="function"[^>]*autofocus', html)


def test_curators_find_the_admin_from_the_software_page(curator_client, agent_client):
    software = factories.software_create(name="Grist")
    admin_link = f'href="/admin/catalog/software/{software.pk}/change/"'
    assert admin_link in curator_client.get(f"/logiciels/{software.slug}/").content.decode()
    assert admin_link not in agent_client.get(f"/logiciels/{software.slug}/").content.decode()
