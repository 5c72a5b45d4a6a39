"""Fixtures for the attack tests: agents and curators signed in through the real session."""

import re

import pytest
from django.test import Client

from tests.inventory.catalog import factories

SCRIPT = "<img src=x onerror=alert(1)>"
# An href or src whose value is not an http(s) URL, a path on this site, an anchor or a query.
FOREIGN_SCHEME_LINK = re.compile(
    r"""(?:href|src)=["']?\s*(?!https?://|/|#|\?)[a-z][\w+.-]*:""", re.I
)


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


@pytest.fixture
def hostile_crawl(db, settings):
    """The hostile seed crawled through the real clients into the registry: the accounts."""
    from crawlers.fakeforge import FakeForge
    from crawlers.fakeforge.hostile import HOSTILE_ACCOUNTS, hostile_seed
    from inventory.forges.models import Account, CrawlStatus, Forge
    from inventory.forges.services.crawl import account_crawl

    settings.CRAWL_TIMEOUT, settings.CRAWL_MAX_RETRIES, settings.GITHUB_TOKEN = 2.0, 1, ""
    organisation = factories.organisation_create(name="Ville hostile", slug="ville-hostile")
    accounts = []
    with FakeForge(hostile_seed()) as forge:
        for host, forge_kind, login, kind in HOSTILE_ACCOUNTS:
            forge_row = Forge.objects.create(
                host=host, kind=forge_kind, api_url=forge.api_url(host), whole_instance=not login
            )
            account = Account.objects.create(
                forge=forge_row, login=login, kind=kind, organisation=organisation
            )
            result = account_crawl(account_id=account.pk)
            assert result.status == CrawlStatus.SUCCESS, result.error
            account.refresh_from_db()
            accounts.append(account)
    return accounts
