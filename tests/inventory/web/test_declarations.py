"""Declaring oneself referent or user from a software page, editing and withdrawing it."""

import pytest
from django.test import Client

from inventory.catalog.models import ReferentDeclaration, SoftwareStatus, UserDeclaration
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def software(db):
    return factories.software_create(name="Thunderbird", status=SoftwareStatus.RECOMMENDED)


def test_anonymous_visitor_is_sent_to_sign_in_and_back(client, software):
    response = client.get(f"/logiciels/{software.slug}/referent/")
    assert response.status_code == 302
    assert response["Location"] == f"/agents/login/?next=/logiciels/{software.slug}/referent/"
    assert client.post(f"/logiciels/{software.slug}/referent/", {}).status_code == 302
    assert not ReferentDeclaration.objects.exists()


def test_software_page_offers_declaring_in_one_click(agent_client, software):
    html = agent_client.get(f"/logiciels/{software.slug}/").content.decode()
    assert f'href="/logiciels/{software.slug}/referent/"' in html
    assert f'href="/logiciels/{software.slug}/utilisateur/"' in html


def test_referent_form_says_what_being_a_referent_means_and_needs_nothing_filled(
    agent_client, agent, software
):
    page = agent_client.get(f"/logiciels/{software.slug}/referent/").content.decode()
    assert "Ce qu’être référent veut dire" in page
    assert "ne vous rend pas responsable" in page
    assert "Au nom de Direction interministérielle du numérique" in page
    response = agent_client.post(f"/logiciels/{software.slug}/referent/", {})
    assert response.status_code == 302 and response["Location"] == f"/logiciels/{software.slug}/"
    declaration = ReferentDeclaration.objects.get()
    assert declaration.agent == agent and declaration.organisation == agent.organisation
    assert (
        "Vous êtes désormais référent de Thunderbird"
        in agent_client.get(response["Location"]).content.decode()
    )


def test_referent_declaration_keeps_the_details_given(agent_client, software):
    agent_client.post(
        f"/logiciels/{software.slug}/referent/",
        {"use_case": "Messagerie des agents", "is_technical_expert": "on", "version": "115"},
    )
    declaration = ReferentDeclaration.objects.get()
    assert declaration.use_case == "Messagerie des agents"
    assert declaration.is_technical_expert and declaration.version == "115"


def test_editing_a_declaration_updates_it_in_place(agent_client, agent, software):
    factories.referent_create(software=software, agent=agent, use_case="Avant")
    page = agent_client.get(f"/logiciels/{software.slug}/referent/").content.decode()
    assert "Avant" in page and "Retirer ma déclaration" in page
    agent_client.post(f"/logiciels/{software.slug}/referent/", {"use_case": "Après"})
    assert ReferentDeclaration.objects.get().use_case == "Après"


def test_invalid_service_address_is_shown_on_the_field(agent_client, software):
    response = agent_client.post(
        f"/logiciels/{software.slug}/referent/", {"service_url": "pas une adresse"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "fr-input-group--error" in html
    assert not ReferentDeclaration.objects.exists()


def test_agent_without_organisation_is_asked_it_in_the_form(software):
    agent = factories.agent_create()
    agent.organisation = None
    agent.save()
    client = Client()
    client.force_login(agent)
    page = client.get(f"/logiciels/{software.slug}/referent/").content.decode()
    assert 'name="organisation_name"' in page
    assert 'list="organisation-suggestions"' in page
    response = client.post(f"/logiciels/{software.slug}/referent/", {})
    assert response.status_code == 200
    assert "organisation_name" in response.context["form"].errors
    assert not ReferentDeclaration.objects.exists()


def test_curator_may_declare_for_another_organisation(
    curator_client, curator, software, organisation
):
    page = curator_client.get(f"/logiciels/{software.slug}/referent/").content.decode()
    assert 'name="organisation"' in page
    curator_client.post(f"/logiciels/{software.slug}/referent/", {"organisation": organisation.pk})
    assert ReferentDeclaration.objects.get().organisation == organisation


def test_agents_cannot_pick_another_organisation(agent_client, agent, software):
    elsewhere = factories.organisation_create(name="Ailleurs")
    agent_client.post(f"/logiciels/{software.slug}/referent/", {"organisation": elsewhere.pk})
    assert ReferentDeclaration.objects.get().organisation == agent.organisation


def test_withdrawing_asks_for_confirmation_then_removes_the_declaration(
    agent_client, agent, software
):
    factories.referent_create(software=software, agent=agent)
    confirm = agent_client.get(f"/logiciels/{software.slug}/referent/retirer/")
    assert "Vous ne serez plus référent de Thunderbird" in confirm.content.decode()
    assert ReferentDeclaration.objects.exists()
    response = agent_client.post(f"/logiciels/{software.slug}/referent/retirer/")
    assert response.status_code == 302
    assert not ReferentDeclaration.objects.exists()


def test_withdrawing_without_a_declaration_changes_nothing(agent_client, other_agent, software):
    factories.referent_create(software=software, agent=other_agent)
    response = agent_client.post(f"/logiciels/{software.slug}/referent/retirer/", follow=True)
    assert response.status_code == 200
    assert ReferentDeclaration.objects.count() == 1


def test_user_declaration_and_withdrawal(agent_client, software):
    response = agent_client.post(f"/logiciels/{software.slug}/utilisateur/", {"os": "Linux"})
    assert response.status_code == 302
    assert UserDeclaration.objects.get().os == "Linux"
    agent_client.post(f"/logiciels/{software.slug}/utilisateur/retirer/")
    assert not UserDeclaration.objects.exists()


def test_declaring_on_an_unknown_software_is_404(agent_client, db):
    assert agent_client.post("/logiciels/inconnu/referent/", {}).status_code == 404


def test_declaring_requires_the_csrf_token(agent, software):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    assert client.post(f"/logiciels/{software.slug}/referent/", {}).status_code == 403
    assert not ReferentDeclaration.objects.exists()


def test_my_space_lists_my_declarations_with_edit_and_withdraw_links(agent_client, agent, software):
    factories.referent_create(software=software, agent=agent)
    other = factories.software_create(name="Firefox")
    factories.user_create(software=other, agent=agent)
    html = agent_client.get("/mon-espace/").content.decode()
    assert "Thunderbird" in html and "Firefox" in html
    assert f'href="/logiciels/{software.slug}/referent/retirer/"' in html
    assert f'href="/logiciels/{other.slug}/utilisateur/"' in html


def test_my_space_requires_signing_in(client, db):
    response = client.get("/mon-espace/")
    assert response.status_code == 302 and "/agents/login/" in response["Location"]


def test_my_space_queries_do_not_grow_with_declarations(
    agent_client, agent, django_assert_max_num_queries
):
    for number in range(12):
        software = factories.software_create(name=f"Outil {number}", added_by=agent)
        factories.referent_create(software=software, agent=agent)
        factories.user_create(software=software, agent=agent)
        factories.instance_create(
            software=software, organisation=agent.organisation, added_by=agent
        )
        factories.comment_create(software=software, author=agent)
    with django_assert_max_num_queries(12):
        response = agent_client.get("/mon-espace/")
    html = response.content.decode()
    # Each software appears in the five lists: referent, user, instance, proposed, comment.
    assert html.count(">Outil 11</a>") == 5
