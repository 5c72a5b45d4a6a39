"""Item 1: a software name is shown escaped in every flash message (stored XSS)."""

import pytest

from inventory.catalog.models import Software
from tests.inventory.catalog import factories
from tests.security.conftest import SCRIPT

pytestmark = pytest.mark.django_db

ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


def test_proposal_named_with_markup_is_escaped_in_the_thank_you_message(agent_client):
    response = agent_client.post(
        "/logiciels/proposer/",
        {"name": SCRIPT, "function": "Outil", "license": "MIT"},
        follow=True,
    )
    html = response.content.decode()
    assert Software.objects.filter(name=SCRIPT).exists()
    assert SCRIPT not in html
    assert ESCAPED in html


def test_withdraw_link_of_a_hostile_name_shows_the_name_escaped(agent_client, curator_client):
    software = factories.software_create(name=SCRIPT, slug="hostile")
    for client in (agent_client, curator_client):
        html = client.get(f"/logiciels/{software.slug}/referent/retirer/", follow=True)
        html = html.content.decode()
        assert SCRIPT not in html
        assert ESCAPED in html


def test_declaring_and_withdrawing_escape_the_name(agent_client):
    software = factories.software_create(name=SCRIPT, slug="hostile")
    for response in (
        agent_client.post(f"/logiciels/{software.slug}/utilisateur/", {}, follow=True),
        agent_client.post(f"/logiciels/{software.slug}/utilisateur/retirer/", {}, follow=True),
    ):
        html = response.content.decode()
        assert SCRIPT not in html and ESCAPED in html
