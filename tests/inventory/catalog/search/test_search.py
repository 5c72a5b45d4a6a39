"""Searching the catalog by need, through the page /logiciels/ and the API, on the database
the tests run on (SQLite by default, PostgreSQL in CI): ranking, typos, stop words, the needs
vocabulary curators edit, refused queries and the empty result."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from inventory.catalog.importers import sill_import_file
from inventory.catalog.models import SearchSynonym, SoftwareStatus
from inventory.core.paths import shared_data_dir
from tests.conftest import english
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


def found(client, q: str, **params) -> list[str]:
    """Names of the results in order, as the page shows them."""
    response = client.get("/logiciels/", {"q": q, **params})
    assert response.status_code == 200
    return re.findall(
        r'<h3 class="fr-card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )


def api_found(q: str) -> list[str]:
    response = APIClient().get("/api/v1/software/", {"q": q})
    assert response.status_code == 200
    return [item["name"] for item in response.json()["results"]]


@pytest.fixture(autouse=True)
def _api_unthrottled(settings):
    settings.API_CACHE_SECONDS = 0
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "off"},
    }


def test_entries_with_every_word_come_first_then_those_with_most(client):
    for number in range(10):
        factories.software_create(name=f"Autre {number}", function="Gestion de parc")
    factories.software_create(name="Scribus", function="Publication assistée par ordinateur")
    factories.software_create(name="Notepad++", function="Éditeur de textes")
    factories.software_create(name="Emacs", description="Éditeur de texte et environnement")
    factories.software_create(name="Pandoc", function="Conversion de texte")
    assert found(client, "éditeur de texte") == ["Notepad++", "Emacs", "Pandoc"]
    assert api_found("éditeur de texte") == ["Notepad++", "Emacs", "Pandoc"]


def test_a_rare_word_outweighs_a_common_one(client):
    for number in range(6):
        factories.software_create(name=f"Visionneuse {number}", function="Lecture de documents")
    factories.software_create(name="NAPS2", function="Numérisation de PDF")
    assert found(client, "numérisation de documents")[0] == "NAPS2"


def test_a_word_in_the_function_outweighs_the_same_word_in_a_description(client):
    factories.software_create(name="Zimbra", description="Inclut un agenda")
    factories.software_create(name="Agendav", function="Agenda en ligne")
    assert found(client, "agenda") == ["Agendav", "Zimbra"]


def test_stems_and_word_beginnings_find_other_forms_of_a_word(client):
    factories.software_create(name="BigBlueButton", function="Visioconférence")
    factories.software_create(name="Firefox", description_en="Web browser")
    assert found(client, "visio") == ["BigBlueButton"]
    assert found(client, "browsers") == ["Firefox"]
    assert found(client, "VISIOCONFERENCES") == ["BigBlueButton"]


def test_typos_in_names_and_words_are_tolerated(client):
    factories.software_create(name="Thunderbird", function="Courrielleur")
    factories.software_create(name="LibreOffice", function="Suite bureautique")
    factories.software_create(name="KeePass", function="Gestionnaire de mots de passe")
    assert found(client, "thunderbrid") == ["Thunderbird"]
    assert found(client, "libreofice") == ["LibreOffice"]
    assert found(client, "keepas") == ["KeePass"]
    assert found(client, "bureautiqe") == ["LibreOffice"]


def test_stop_words_alone_do_not_return_everything(client):
    for number in range(5):
        factories.software_create(
            name=f"Outil {number}", function="Gestion de la paie et des congés"
        )
    assert found(client, "de") == []
    assert found(client, "de la") == []
    assert found(client, "paie de") == [f"Outil {number}" for number in range(5)]


def test_words_every_entry_could_claim_search_names_only(client):
    factories.software_create(name="Outil de test", function="Tests")
    factories.software_create(name="Jenkins", function="Outil d'intégration continue")
    assert found(client, "outil") == ["Outil de test"]
    assert found(client, "outil intégration") == ["Jenkins"]


def test_the_seeded_vocabulary_of_needs_expands_a_query(client):
    factories.software_create(name="LibreOffice", function="Suite bureautique")
    factories.software_create(name="Jitsi", function="Outil de conférence en ligne")
    factories.software_create(name="Vim", function="Éditeur de texte")
    assert found(client, "tableur") == ["LibreOffice"]
    assert found(client, "traitement de texte")[0] == "LibreOffice"
    assert found(client, "webconférence") == ["Jitsi"]


def test_a_synonym_added_then_changed_in_the_admin_takes_effect(client, curator_client):
    factories.software_create(name="GLPI", function="Gestion de parc")
    assert found(client, "gmao") == []
    response = curator_client.post(
        reverse("admin:catalog_searchsynonym_add"),
        {"terms": "GMAO, maintenance assistée par ordinateur", "related": "gestion de parc"},
    )
    assert response.status_code == 302
    assert found(client, "gmao") == ["GLPI"]
    assert found(client, "maintenance assistée par ordinateur") == ["GLPI"]
    synonym = SearchSynonym.objects.get(terms__startswith="GMAO")
    response = curator_client.post(
        reverse("admin:catalog_searchsynonym_change", args=[synonym.pk]),
        {"terms": "GMAO", "related": "gestion des licences"},
    )
    assert response.status_code == 302
    assert found(client, "gmao") == []


def test_the_admin_refuses_an_expression_the_search_would_ignore(curator_client):
    response = english(curator_client).post(
        reverse("admin:catalog_searchsynonym_add"), {"terms": "de, le logiciel", "related": "!"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The search ignores these expressions" in html
    assert "« de »" in html and "« le logiciel »" in html and "« ! »" in html
    assert not SearchSynonym.objects.filter(terms__startswith="de,").exists()


def test_the_home_page_example_finds_the_word_processors_of_the_real_catalog(client):
    sill_import_file(shared_data_dir() / "sill" / "sill.json")
    names = found(client, "traitement de texte")
    assert names[:2] == ["LibreOffice", "LibreOffice (Collabora) online"]
    assert "LibreOffice" in found(client, "tableur")[:2]


@pytest.mark.parametrize("q", ["'", "!", "…", "´", "-- ;"])
def test_a_query_without_letter_or_digit_is_refused_on_the_page(client, q):
    factories.software_create(name="LibreOffice")
    response = client.get("/logiciels/", {"q": q})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tapez au moins une lettre ou un chiffre pour chercher." in html
    assert 'name="q"' in html  # the search form is there to try again


@pytest.mark.parametrize("q", ["'", "!", "…", "´", "-- ;"])
def test_a_query_without_letter_or_digit_is_refused_by_the_api_naming_q(q):
    response = APIClient().get("/api/v1/software/", {"q": q})
    assert response.status_code == 400
    assert response.json() == {"q": ["Type at least one letter or digit to search."]}


@pytest.mark.parametrize("q", ["'libre' & !office", "office:*", "a\\b", "(((libre", "x" * 200])
def test_symbols_around_words_are_searched_as_words(client, q):
    factories.software_create(name="LibreOffice")
    assert client.get("/logiciels/", {"q": q}).status_code == 200
    assert APIClient().get("/api/v1/software/", {"q": q}).status_code == 200


def test_an_empty_result_offers_what_other_filters_hid(client):
    factories.software_create(name="LibreOffice", function="Suite bureautique", is_desktop=True)
    response = client.get("/logiciels/", {"q": "bureautique", "type": "cloud"})
    html = response.content.decode()
    assert "0 logiciel trouvé" in html
    assert re.search(r'id="search-suggestions".*LibreOffice', html, re.S)


def test_an_empty_result_offers_the_nearest_names_and_to_propose_the_software(client):
    factories.software_create(name="Krita Legacy", status=SoftwareStatus.PROPOSED)
    factories.software_create(name="Kdenlive", function="Montage vidéo")
    response = client.get("/logiciels/", {"q": "Kritta"})
    html = response.content.decode()
    assert "0 logiciel trouvé" in html
    assert re.search(r'id="search-suggestions".*Kdenlive', html, re.S)
    assert "Krita Legacy" not in html  # proposals stay out of the suggestions
    propose = re.search(r'id="search-propose" href="([^"]+)"', html).group(1)
    assert propose == "/logiciels/proposer/?name=Kritta"
    assert "Proposer « Kritta » au catalogue" in html


def test_the_proposal_form_is_prefilled_with_the_name_searched(client):
    client.force_login(factories.agent_create())
    html = client.get("/logiciels/proposer/", {"name": "Kritta"}).content.decode()
    assert re.search(r'<input[^>]+name="name"[^>]+value="Kritta"', html)


def test_a_search_costs_the_same_few_queries_however_many_entries_match(
    client, django_assert_max_num_queries
):
    for number in range(30):
        factories.software_create(name=f"Wiki {number:02d}", function="Moteur de wiki")
    found(client, "wiki")  # documents built, vocabulary read: what a warm process has
    # 14 on SQLite; PostgreSQL counts the entries. One is the page cache's content-change read,
    # one the ids of the entries with a logo (the cards' logos, whatever the number of cards).
    with django_assert_max_num_queries(15):
        assert len(found(client, "wiki moteur")) == 20
