"""The agent's profile page and ``agent_update_profile``."""

import pytest
from django.urls import reverse

from inventory.agents.models import Agent
from inventory.agents.services import agent_update_profile

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("agents:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("agents:login") + "?next=/agents/profile/")


def test_an_agent_edits_their_profile_but_no_organisation_through_it(client, agent, organisation):
    client.force_login(agent)
    page = client.get(reverse("agents:profile"))
    assert page.status_code == 200
    assert b"only signed-in public agents see your name and address" in page.content
    assert agent.email.encode() in page.content

    response = client.post(
        reverse("agents:profile"),
        {
            "first_name": "Jean",
            "last_name": "Dupont",
            "organisation": organisation.pk,
            "about": "Référent Nextcloud",
            "contact_public": "on",
            "email": "pirate@evil.example",
        },
    )

    assert response.status_code == 302
    agent.refresh_from_db()
    assert (agent.first_name, agent.last_name, agent.organisation, agent.about) == (
        "Jean",
        "Dupont",
        None,
        "Référent Nextcloud",
    )
    assert not agent.memberships.exists()
    assert agent.contact_public
    assert agent.email == "jean.dupont@dinum.gouv.fr"


def test_a_name_too_long_is_refused_and_nothing_changes(client, agent):
    client.force_login(agent)
    response = client.post(reverse("agents:profile"), {"first_name": "J" * 151})
    assert response.status_code == 200
    assert b"Ensure this value has at most 150 characters" in response.content
    agent.refresh_from_db()
    assert agent.first_name == ""


def test_unchecking_contact_public_makes_the_contact_private_again(agent):
    agent.contact_public = True
    agent.save()

    agent_update_profile(agent=agent, first_name="", last_name="", about="", contact_public=False)

    assert not Agent.objects.get(pk=agent.pk).contact_public
