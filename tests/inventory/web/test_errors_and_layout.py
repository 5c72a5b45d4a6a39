"""Error pages in the State design system's style, and the layout's landmarks and navigation."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


def test_server_error_page_renders_without_request_context_or_database():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Erreur 500" in html and "fr-header" in html
    assert 'lang="fr"' in html


def test_not_found_page_keeps_the_layout_and_offers_a_way_back(client):
    html = client.get("/nulle-part/").content.decode()
    assert 'href="/logiciels/"' in html
    assert 'id="content"' in html and 'role="main"' in html


def test_every_page_has_skip_links_landmarks_and_the_language_switch(client):
    html = client.get("/").content.decode()
    assert 'href="#content"' in html and 'href="#main-navigation"' in html
    assert 'role="banner"' in html and 'role="contentinfo"' in html
    assert 'id="main-navigation"' in html
    assert 'name="language" value="en"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_current_section_is_marked_in_the_menu(client):
    html = client.get("/logiciels/").content.decode()
    assert 'href="/logiciels/" aria-current="page"' in html


def test_signed_in_agent_gets_their_space_and_sign_out_in_the_header(agent_client):
    html = agent_client.get("/").content.decode()
    assert 'href="/mon-espace/"' in html
    assert 'action="/agents/logout/"' in html


def test_required_fields_are_explained_on_forms_that_have_them(agent_client):
    html = agent_client.get("/logiciels/proposer/", {"name": "Outil"}).content.decode()
    assert "Les champs marqués d’un astérisque (*) sont obligatoires." in html


def test_software_page_queries_do_not_grow_with_declarations(
    client, agent_client, django_assert_max_num_queries
):
    software = factories.software_create(name="Nextcloud")
    for _ in range(15):
        declarant = factories.agent_create()
        factories.referent_create(software=software, agent=declarant)
        factories.user_create(software=software, agent=declarant)
        factories.comment_create(software=software, author=declarant)
        factories.instance_create(software=software, organisation=declarant.organisation)
    with django_assert_max_num_queries(15):
        assert client.get(f"/logiciels/{software.slug}/").status_code == 200
    with django_assert_max_num_queries(18):
        assert agent_client.get(f"/logiciels/{software.slug}/").status_code == 200


def test_organisation_page_queries_do_not_grow_with_its_software(
    client, organisation, django_assert_max_num_queries
):
    for number in range(15):
        software = factories.software_create(name=f"Outil {number}")
        factories.referent_create(
            software=software, agent=factories.agent_create(organisation=organisation)
        )
        factories.instance_create(software=software, organisation=organisation)
    with django_assert_max_num_queries(12):
        assert client.get(f"/organisations/{organisation.slug}/").status_code == 200


def test_a_form_sent_without_its_csrf_token_gets_an_explanation_not_a_bare_403(agent):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    response = client.post("/logiciels/proposer/", {"name": "Grist"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "fr-header" in html and "Erreur 403" in html
