"""Proposing searches first: the name alone, then the entries it looks like and the form; a
script lists them as the name is typed (the steps work without it)."""

import json

import pytest

from inventory.catalog.models import Software, SoftwareStatus
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def libreoffice(db):
    return factories.software_create(
        name="LibreOffice", slug="libreoffice", function="Suite bureautique"
    )


def test_the_first_step_asks_for_the_name_alone_with_a_local_script(agent_client):
    html = agent_client.get("/logiciels/proposer/").content.decode()
    assert 'id="propose-name"' in html and 'name="name"' in html
    assert 'method="get"' in html
    assert 'name="license"' not in html  # the whole form comes at the next step
    assert '<script src="/static/web/propose.js' in html
    assert "<script>" not in html  # no inline script (CSP)


def test_a_name_already_listed_is_pointed_out_before_anything_else_is_typed(
    agent_client, libreoffice
):
    html = agent_client.get("/logiciels/proposer/", {"name": "Libre Office"}).content.decode()
    assert "Déjà au catalogue" in html
    assert '<a href="/logiciels/libreoffice/">Voir la fiche existante</a>' in html
    assert 'name="license"' in html  # the form is still there for a distinct software


def test_a_near_name_is_pointed_out_and_refused_on_submit(agent_client, libreoffice):
    html = agent_client.get("/logiciels/proposer/", {"name": "LibreOfice"}).content.decode()
    assert "sous un nom très proche" in html
    response = agent_client.post(
        "/logiciels/proposer/",
        {"name": "LibreOfice", "function": "Bureautique", "license": "MPL-2.0"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="duplicate-notice"' in html and 'href="/logiciels/libreoffice/"' in html
    assert Software.objects.count() == 1


def test_the_second_step_lists_the_entries_the_name_looks_like(agent_client, libreoffice):
    factories.software_create(name="Thunderbird", slug="thunderbird")
    html = agent_client.get("/logiciels/proposer/", {"name": "libre"}).content.decode()
    assert 'id="name-matches"' in html
    assert '<a href="/logiciels/libreoffice/">LibreOffice</a> — Suite bureautique' in html
    assert "Thunderbird" not in html
    assert 'value="libre"' in html  # the name carried into the form


def test_a_new_name_goes_straight_to_the_form(agent_client, libreoffice):
    html = agent_client.get("/logiciels/proposer/", {"name": "Grist"}).content.decode()
    assert 'id="name-matches"' not in html and "Déjà au catalogue" not in html
    assert 'value="Grist"' in html


def test_suggestions_as_json_for_the_script(client, agent, libreoffice):
    factories.software_create(
        name="Libre Proposé", slug="libre-propose", status=SoftwareStatus.PROPOSED,
        added_by=factories.agent_create(email="other@numerique.gouv.fr"),
    )  # fmt: skip
    response = client.get("/logiciels/proposer/suggestions/", {"name": "libr"})
    assert response["Content-Type"] == "application/json"
    results = response.json()["results"]
    assert [result["name"] for result in results] == ["LibreOffice"]  # no one else's proposal
    assert results[0]["url"] == "/logiciels/libreoffice/"
    assert client.get("/logiciels/proposer/suggestions/").json() == {"results": []}


def test_hostile_names_are_escaped_and_never_a_server_error(agent_client, libreoffice):
    hostile = '"><script>alert(1)</script>'
    html = agent_client.get("/logiciels/proposer/", {"name": hostile}).content.decode()
    assert "<script>alert(1)" not in html
    for name in (hostile, "\x00", "x" * 5000, "%%%"):
        response = agent_client.get("/logiciels/proposer/suggestions/", {"name": name})
        assert response.status_code == 200
        json.loads(response.content)


def test_the_proposal_keeps_its_logo_address_and_refuses_a_script_one(agent_client):
    fields = {"name": "Grist", "function": "Tableur collaboratif", "license": "Apache-2.0"}
    hostile = agent_client.post(
        "/logiciels/proposer/", fields | {"logo_url": "javascript:alert(1)"}
    )
    assert hostile.status_code == 200 and not Software.objects.filter(name="Grist").exists()
    response = agent_client.post(
        "/logiciels/proposer/", fields | {"logo_url": "https://www.getgrist.com/logo.png"}
    )
    assert response.status_code == 302
    assert Software.objects.get(name="Grist").logo_url == "https://www.getgrist.com/logo.png"
