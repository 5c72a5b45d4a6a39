"""Fixtures for the web interface's view tests: a catalog, agents and signed-in clients."""

import pytest
from django.test import Client

from tests.conftest import inventory_refresh
from tests.inventory.catalog import factories


@pytest.fixture
def organisation(db):
    return factories.organisation_create(
        name="Direction interministérielle du numérique", slug="dinum"
    )


@pytest.fixture
def agent(organisation):
    return factories.agent_create(
        organisation=organisation,
        email="alice.martin@numerique.gouv.fr",
        first_name="Alice",
        last_name="Martin",
    )


@pytest.fixture
def other_agent(db):
    return factories.agent_create(
        email="bob.durand@interieur.gouv.fr", first_name="Bob", last_name="Durand"
    )


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


@pytest.fixture
def repository(organisation):
    from django.utils import timezone

    from inventory.forges.models import Account, Forge, Repository

    forge = Forge.objects.create(host="github.com", kind="github", api_url="https://api.github.com")
    account = Account.objects.create(
        forge=forge,
        login="etalab",
        kind="org",
        organisation=organisation,
        html_url="https://github.com/etalab",
    )
    now = timezone.now()
    repository = Repository.objects.create(
        forge=forge,
        remote_id="1",
        account=account,
        owner="etalab",
        name="udata",
        full_name="etalab/udata",
        html_url="https://github.com/etalab/udata",
        stars=100,
        first_seen_at=now,
        last_seen_at=now,
    )
    inventory_refresh()
    repository.refresh_from_db()
    return repository
