"""Who sees referents' and users' names: signed-in agents always, the public only when made public."""

import re

import pytest

from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def software_with_people(organisation):
    software = factories.software_create(name="Nextcloud")
    private = factories.agent_create(
        organisation=organisation,
        email="prive@numerique.gouv.fr",
        first_name="Paul",
        last_name="Privé",
    )
    public = factories.agent_create(
        organisation=organisation,
        email="public@numerique.gouv.fr",
        first_name="Claire",
        last_name="Publique",
        contact_public=True,
    )
    user = factories.agent_create(
        email="usager@interieur.gouv.fr", first_name="Ugo", last_name="Usager"
    )
    factories.referent_create(software=software, agent=private, is_technical_expert=True)
    factories.referent_create(software=software, agent=public)
    factories.user_create(software=software, agent=user)
    return software


def test_public_sees_only_agents_who_made_their_contact_public(client, software_with_people):
    html = client.get(f"/logiciels/{software_with_people.slug}/").content.decode()
    assert "Claire Publique" in html and "public@numerique.gouv.fr" in html
    assert "Paul Privé" not in html and "prive@numerique.gouv.fr" not in html
    assert "Ugo Usager" not in html and "usager@interieur.gouv.fr" not in html
    assert "Un agent" in html
    assert "2 référents" in html and "1 utilisateur" in html


def test_signed_in_agents_see_every_referent_and_user(other_client, software_with_people):
    html = other_client.get(f"/logiciels/{software_with_people.slug}/").content.decode()
    for text in [
        "Paul Privé",
        "prive@numerique.gouv.fr",
        "Claire Publique",
        "Ugo Usager",
        "usager@interieur.gouv.fr",
    ]:
        assert text in html
    assert "expert technique" in html


def test_declarations_are_grouped_by_organisation(client, software_with_people, organisation):
    html = client.get(f"/logiciels/{software_with_people.slug}/").content.decode()
    assert html.count(f'href="/organisations/{organisation.slug}/"') == 1


def test_comment_authors_follow_the_same_rule(client, other_client, software_with_people, agent):
    factories.comment_create(software=software_with_people, author=agent, body="Bien.")
    assert (
        "Alice Martin"
        not in client.get(f"/logiciels/{software_with_people.slug}/").content.decode()
    )
    assert (
        "Alice Martin"
        in other_client.get(f"/logiciels/{software_with_people.slug}/").content.decode()
    )


def test_hostile_text_is_inert_everywhere_it_is_shown(client, agent, organisation):
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    software = factories.software_create(
        name=f"Evil {hostile}", function=hostile, description=hostile, keywords=[hostile]
    )
    factories.referent_create(software=software, agent=agent, use_case=hostile)
    agent.first_name = hostile
    agent.contact_public = True
    agent.save()
    factories.comment_create(
        software=software, author=agent, body=f"{hostile} [x](javascript:alert(3))"
    )
    factories.instance_create(software=software, organisation=organisation, target_audience=hostile)
    for url in [
        f"/logiciels/{software.slug}/",
        "/logiciels/",
        f"/logiciels/?q={hostile}",
        f"/organisations/{organisation.slug}/",
    ]:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert not re.search(r"<img[^>]*onerror", html), url
        assert 'href="javascript:' not in html, url
