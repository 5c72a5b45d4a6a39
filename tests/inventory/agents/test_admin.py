"""Curators' admin: agents searchable and filterable, the allow-list editable."""

import pytest
from django.urls import reverse

from inventory.agents.models import Agent, EmailDomain
from inventory.agents.services import membership_derive

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client, allow_list):
    curator = Agent.objects.create_superuser(email="curatrice@dinum.gouv.fr", password="x" * 20)
    client.force_login(curator, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_agents_are_searched_by_address_and_name_and_filtered(curator_client, organisation):
    Agent.objects.create_user(email="jean.dupont@dinum.gouv.fr", last_name="Dupont")
    Agent.objects.create_user(
        email="marie@ac-paris.fr", organisation=organisation, contact_public=True
    )
    url = reverse("admin:agents_agent_changelist")

    found = curator_client.get(url, {"q": "dupont"})
    assert found.status_code == 200
    assert [agent.email for agent in found.context["cl"].result_list] == [
        "jean.dupont@dinum.gouv.fr"
    ]
    public = curator_client.get(url, {"contact_public__exact": "1"})
    assert [agent.email for agent in public.context["cl"].result_list] == ["marie@ac-paris.fr"]
    by_org = curator_client.get(url, {"organisation__id__exact": organisation.pk})
    assert [agent.email for agent in by_org.context["cl"].result_list] == ["marie@ac-paris.fr"]
    staff = curator_client.get(url, {"is_staff__exact": "1"})
    assert [agent.email for agent in staff.context["cl"].result_list] == ["curatrice@dinum.gouv.fr"]


def test_a_curator_adds_and_edits_an_agent(curator_client):
    response = curator_client.post(
        reverse("admin:agents_agent_add"),
        {"email": "nouvel.agent@dinum.gouv.fr", "usable_password": "false"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    agent = Agent.objects.get(email="nouvel.agent@dinum.gouv.fr")
    assert not agent.has_usable_password()
    assert (
        curator_client.get(reverse("admin:agents_agent_change", args=[agent.pk])).status_code == 200
    )


def test_domains_are_deactivated_and_activated_in_bulk(curator_client):
    url = reverse("admin:agents_emaildomain_changelist")
    ids = list(
        EmailDomain.objects.filter(domain__in=["aphp.fr", "insee.fr"]).values_list("pk", flat=True)
    )

    response = curator_client.post(url, {"action": "deactivate", "_selected_action": ids})

    assert response.status_code == 302
    assert not EmailDomain.objects.filter(pk__in=ids, active=True).exists()
    refused = curator_client.get(url, {"active__exact": "0"})
    assert sorted(domain.domain for domain in refused.context["cl"].result_list) == [
        "aphp.fr",
        "insee.fr",
    ]

    curator_client.post(url, {"action": "activate", "_selected_action": ids})
    assert EmailDomain.objects.filter(pk__in=ids, active=True).count() == 2


def test_domains_are_searched_and_filtered_by_source(curator_client):
    url = reverse("admin:agents_emaildomain_changelist")
    found = curator_client.get(url, {"q": "ac-versailles"})
    assert [domain.domain for domain in found.context["cl"].result_list] == ["ac-versailles.fr"]
    academies = curator_client.get(url, {"source__exact": "academies"})
    assert (
        academies.context["cl"].result_count
        == EmailDomain.objects.filter(source="academies").count()
    )


def test_a_curator_adds_a_domain_normalised_and_cannot_add_a_malformed_one(curator_client):
    url = reverse("admin:agents_emaildomain_add")

    response = curator_client.post(url, {"domain": "  Mairie-Exemple.FR ", "active": "on"})

    assert response.status_code == 302
    assert EmailDomain.objects.filter(domain="mairie-exemple.fr", active=True).exists()
    for bad in ["gouv.fr.", "agent@gouv.fr", "not a domain"]:
        refused = curator_client.post(url, {"domain": bad, "active": "on"})
        assert refused.status_code == 200
        assert "domain" in refused.context["adminform"].form.errors
    assert not EmailDomain.objects.filter(domain__contains="@").exists()


def test_a_curator_maps_a_domain_to_its_organisation_and_its_agents_become_members(
    curator_client, organisation
):
    domain = EmailDomain.objects.create(domain="dinum.gouv.fr", source="tests")
    response = curator_client.post(
        reverse("admin:agents_emaildomain_change", args=[domain.pk]),
        {"domain": "dinum.gouv.fr", "source": domain.source, "active": "on",
         "organisation": organisation.pk, "note": ""},
    )  # fmt: skip
    assert response.status_code == 302
    assert EmailDomain.objects.get(pk=domain.pk).organisation == organisation

    agent = Agent.objects.create_user(email="agent@dinum.gouv.fr")
    membership = membership_derive(agent=agent)
    assert (membership.organisation, membership.status, membership.source) == (
        organisation,
        "approved",
        "domain",
    )
    agent.refresh_from_db()
    assert agent.organisation == organisation
