"""Item 8: a proposal before review is seen by its author and curators only, on the site and in
the API alike; once accepted everyone sees it."""

import pytest
from django.test import Client

from inventory.catalog.models import SoftwareStatus
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(agent):
    return factories.software_create(
        name="Logiciel proposé", slug="propose", status=SoftwareStatus.PROPOSED, added_by=agent
    )


@pytest.fixture
def stranger_client(db) -> Client:
    client = Client()
    client.force_login(factories.agent_create(email="bob@interieur.gouv.fr"))
    return client


def test_anonymous_visitors_and_other_agents_do_not_see_a_proposal(
    client, stranger_client, proposal
):
    for visitor in (client, stranger_client):
        assert visitor.get("/logiciels/propose/").status_code == 404
        assert visitor.get("/api/v1/software/propose/").status_code == 404
        assert visitor.get("/api/v1/comments/?software=propose").status_code == 404
        assert "Logiciel proposé" not in visitor.get("/logiciels/?status=proposed").content.decode()
    assert stranger_client.get("/logiciels/propose/referent/").status_code == 404
    assert stranger_client.post("/logiciels/propose/utilisateur/", {}).status_code == 404
    assert not proposal.users.exists()


def test_the_author_and_curators_see_the_proposal_on_the_site_and_in_the_api(
    agent_client, curator_client, proposal
):
    for visitor in (agent_client, curator_client):
        assert visitor.get("/logiciels/propose/").status_code == 200
        answer = visitor.get("/api/v1/software/propose/")
        assert answer.status_code == 200 and answer.json()["status"] == "proposed"


def test_an_accepted_proposal_is_public(client, proposal):
    proposal.status = SoftwareStatus.OBSERVATION
    proposal.save()
    assert client.get("/logiciels/propose/").status_code == 200
    assert client.get("/api/v1/software/propose/").status_code == 200


def test_the_proposed_filter_lists_only_what_the_visitor_may_see(
    client, stranger_client, agent_client, curator_client, proposal
):
    for visitor, sees in (
        (client, False),
        (stranger_client, False),
        (agent_client, True),
        (curator_client, True),
    ):
        html = visitor.get("/logiciels/", {"status": "proposed"}).content.decode()
        assert ("Logiciel proposé" in html) is sees
