"""Item 5: Atom feeds send forge and agent text as text, never as HTML for readers to render."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from inventory.forges.models import Account, Forge, Repository
from tests.inventory.catalog import factories
from tests.security.conftest import SCRIPT

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _summaries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = ET.fromstring(response.content)  # noqa: S314 (our own feed, in a test)
    return [entry.find(f"{ATOM}summary") for entry in feed.iter(f"{ATOM}entry")]


def test_repository_description_with_markup_is_a_text_summary(client):
    forge = Forge.objects.create(host="gitlab.hostile.fr", kind="gitlab", api_url="https://x.fr")
    account = Account.objects.create(forge=forge, login="", kind="instance")
    now = timezone.now()
    Repository.objects.create(
        forge=forge, account=account, remote_id="1", owner="o", name="n", full_name="o/n",
        html_url="https://gitlab.hostile.fr/o/n", first_seen_at=now, last_seen_at=now,
        description=f"{SCRIPT} <b>gras</b>\x01\x0b fin",
    )  # fmt: skip
    [summary] = _summaries(client, "/data/feeds/repositories.atom")
    assert summary.get("type") == "text"
    assert summary.text == f"{SCRIPT} <b>gras</b> fin"


def test_software_function_with_markup_is_a_text_summary(client):
    factories.software_create(name="Outil", function=f"{SCRIPT}\x02")
    [summary] = _summaries(client, "/data/feeds/catalog.atom")
    assert summary.get("type") == "text" and summary.text == SCRIPT
