"""Fixtures for the attack tests: agents and curators signed in through the real session."""

import pytest
from django.test import Client

from tests.inventory.catalog import factories

SCRIPT = "<img src=x onerror=alert(1)>"


@pytest.fixture
def agent(db):
    return factories.agent_create(email="alice.martin@numerique.gouv.fr")


@pytest.fixture
def agent_client(agent) -> Client:
    client = Client()
    client.force_login(agent)
    return client


@pytest.fixture
def curator(db):
    return factories.curator_create(email="curator@numerique.gouv.fr")


@pytest.fixture
def curator_client(curator) -> Client:
    client = Client()
    client.force_login(curator)
    return client
