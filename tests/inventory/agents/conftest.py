"""Fixtures for the agents' tests: the real allow-list, a clean throttle cache, English pages."""

import pytest
from django.core.cache import cache
from django.utils import translation

from inventory.agents.models import Agent
from inventory.agents.services import email_domains_import
from inventory.organisations.models import Organisation


@pytest.fixture(autouse=True)
def _english_and_fresh_cache(settings):
    # Pages are asserted on their English source strings, whatever translations exist.
    settings.LANGUAGE_CODE = "en"
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()


@pytest.fixture
def allow_list(db):
    """The real allow-list shipped in inventory/agents/data."""
    return email_domains_import()


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(
        name="Direction interministérielle du numérique", slug="dinum"
    )


@pytest.fixture
def agent(allow_list):
    return Agent.objects.create_user(email="jean.dupont@dinum.gouv.fr")
