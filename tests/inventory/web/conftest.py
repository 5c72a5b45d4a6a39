"""Fixtures for the web interface's view tests: a catalog, agents and signed-in clients."""

import pytest
from django.test import Client

from tests.inventory.catalog import factories


@pytest.fixture
def organisation(db):
    return factories.organisation_create(name="Direction interministérielle du numérique", slug="dinum")


@pytest.fixture
def agent(organisation):
    return factories.agent_create(
        organisation=organisation, email="alice.martin@numerique.gouv.fr", first_name="Alice", last_name="Martin"
    )


@pytest.fixture
def other_agent(db):
    return factories.agent_create(email="bob.durand@interieur.gouv.fr", first_name="Bob", last_name="Durand")


@pytest.fixture
def curator(db):
    return factories.curator_create(email="curator@numerique.gouv.fr")


@pytest.fixture
def agent_client(agent) -> Client:
    client = Client()
    client.force_login(agent)
    return client


@pytest.fixture
def other_client(other_agent) -> Client:
    client = Client()
    client.force_login(other_agent)
    return client


@pytest.fixture
def curator_client(curator) -> Client:
    client = Client()
    client.force_login(curator)
    return client
