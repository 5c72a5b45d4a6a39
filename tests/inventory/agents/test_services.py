"""The agents' services called directly: what the views and the ProConnect backend rely on."""

import pytest
from django.core import mail

from inventory.agents.models import Agent
from inventory.agents.services import (
    agent_sign_in_with_proconnect,
    signin_link_send,
    signin_link_use,
)
from inventory.core.exceptions import ApplicationError

from .helpers import last_link

pytestmark = pytest.mark.django_db


def token_of(link: str) -> str:
    return link.split("/")[3]


def test_signin_link_send_refuses_an_address_off_the_list_with_a_message_for_people(allow_list):
    with pytest.raises(ApplicationError, match="Only addresses of the French public sector"):
        signin_link_send(email="agent@xgouv.fr", base_url="http://testserver/")
    with pytest.raises(ApplicationError, match="Enter a valid e-mail address"):
        signin_link_send(email="agent@gouv.fr@evil.com", base_url="http://testserver/")
    assert mail.outbox == []


def test_signin_link_send_mails_the_normalised_address(allow_list):
    signin_link_send(email=" Marie@AC-Paris.FR ", base_url="http://testserver/", next_url="/x/")
    link = last_link("marie@ac-paris.fr")
    assert link.endswith("/?next=%2Fx%2F")


def test_signin_link_use_creates_the_agent_once(allow_list):
    signin_link_send(email="marie@ac-paris.fr", base_url="http://testserver/")
    token = token_of(last_link("marie@ac-paris.fr"))

    agent = signin_link_use(token=token)

    assert agent.email == "marie@ac-paris.fr"
    assert agent.last_login is not None
    assert signin_link_use(token=token) is None
    assert Agent.objects.count() == 1


def test_signin_link_use_refuses_a_deactivated_agent(allow_list):
    agent = Agent.objects.create_user(email="marie@ac-paris.fr")
    signin_link_send(email=agent.email, base_url="http://testserver/")
    token = token_of(last_link(agent.email))
    Agent.objects.filter(pk=agent.pk).update(is_active=False)

    assert signin_link_use(token=token) is None


def test_proconnect_claims_are_cleaned_before_they_are_stored(allow_list):
    agent = agent_sign_in_with_proconnect(
        email="Marie@AC-Paris.fr",
        given_name="M" * 400,
        usual_name="Curie",
        siret="130 025 265 00013",
    )
    assert agent.email == "marie@ac-paris.fr"
    assert len(agent.first_name) == 150
    assert agent.siret == "13002526500013"
    assert not agent.has_usable_password()


def test_proconnect_sign_in_refuses_an_address_off_the_list(allow_list):
    with pytest.raises(ApplicationError, match="Only addresses of the French public sector"):
        agent_sign_in_with_proconnect(email="agent@gouv.fr.example.com")
    with pytest.raises(ApplicationError, match="no valid e-mail"):
        agent_sign_in_with_proconnect(email="")
    assert not Agent.objects.exists()
