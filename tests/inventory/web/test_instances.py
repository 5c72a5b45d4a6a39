"""Adding, editing and removing an organisation's instances of a software."""

import pytest

from inventory.catalog.models import Instance
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def software(db):
    return factories.software_create(name="BigBlueButton")


def test_agent_adds_an_instance_for_their_organisation(agent_client, agent, software):
    response = agent_client.post(
        f"/logiciels/{software.slug}/instances/ajouter/",
        {"public_url": "https://webconf.numerique.gouv.fr", "target_audience": "Tous les agents"},
    )
    assert response.status_code == 302
    instance = Instance.objects.get()
    assert instance.organisation == agent.organisation and instance.added_by == agent
    page = agent_client.get(f"/logiciels/{software.slug}/").content.decode()
    assert "https://webconf.numerique.gouv.fr" in page


def test_invalid_address_is_refused_with_a_field_error(agent_client, software):
    response = agent_client.post(
        f"/logiciels/{software.slug}/instances/ajouter/", {"public_url": "javascript:alert(1)"}
    )
    assert response.status_code == 200
    assert 'id="id_public_url-desc-error"' in response.content.decode()
    assert not Instance.objects.exists()


def test_colleague_edits_and_removes_the_organisation_instance(agent_client, agent, software):
    instance = factories.instance_create(software=software, organisation=agent.organisation)
    response = agent_client.post(
        f"/instances/{instance.pk}/modifier/",
        {"public_url": "https://nouvelle.gouv.fr", "target_audience": ""},
    )
    assert response.status_code == 302
    instance.refresh_from_db()
    assert instance.public_url == "https://nouvelle.gouv.fr"
    assert (
        "Supprimer l’instance"
        in agent_client.get(f"/instances/{instance.pk}/supprimer/").content.decode()
    )
    agent_client.post(f"/instances/{instance.pk}/supprimer/")
    assert not Instance.objects.exists()


def test_agent_of_another_organisation_cannot_change_it(other_client, organisation, software):
    instance = factories.instance_create(software=software, organisation=organisation)
    response = other_client.post(
        f"/instances/{instance.pk}/modifier/", {"public_url": "https://pirate.example"}
    )
    assert response.status_code == 403
    assert other_client.post(f"/instances/{instance.pk}/supprimer/").status_code == 403
    instance.refresh_from_db()
    assert instance.public_url == "https://instance.example.gouv.fr"


def test_unknown_instance_is_404(agent_client, db):
    assert agent_client.get("/instances/999/modifier/").status_code == 404


def test_edit_link_shows_only_where_the_edit_would_be_accepted(client, organisation, software):
    """An agent who only asked to join the organisation sees no edit link; an approved member does."""
    instance = factories.instance_create(
        software=software, organisation=organisation, public_url="https://visio.exemple.gouv.fr"
    )
    edit = f"/instances/{instance.pk}/modifier/"
    pending = factories.agent_create(organisation=organisation, member=False)
    client.force_login(pending)
    assert edit not in client.get(f"/logiciels/{software.slug}/").content.decode()
    assert client.get(edit).status_code == 403
    member = factories.agent_create(organisation=organisation)
    client.force_login(member)
    assert edit in client.get(f"/logiciels/{software.slug}/").content.decode()
