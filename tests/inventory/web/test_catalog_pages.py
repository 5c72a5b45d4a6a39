"""The catalog's public pages: home, search with filters and sorting, software and organisation pages."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from inventory.catalog.models import Category, Software, SoftwareStatus
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


def names_in(response) -> list[str]:
    """Software names in result order, read from the result cards' titles."""
    html = response.content.decode()
    return re.findall(r'<h3 class="fr-card__title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def catalog(organisation):
    office = Category.objects.create(name="Bureautique", slug="bureautique")
    web = Category.objects.create(name="Web", slug="web")
    writer = factories.software_create(
        name="LibreOffice",
        function="Suite bureautique",
        description="Traitement de texte et tableur.",
        license="MPL-2.0",
        status=SoftwareStatus.RECOMMENDED,
        is_desktop=True,
        os_windows=True,
        os_linux=True,
    )
    writer.categories.add(office)
    editor = factories.software_create(
        name="Vim",
        function="Éditeur de texte",
        keywords=["édition", "terminal"],
        license="Vim",
        is_desktop=True,
        os_linux=True,
    )
    portal = factories.software_create(
        name="udata",
        function="Portail de données ouvertes",
        license="AGPL-3.0-only",
        is_cloud=True,
        is_from_french_public_service=True,
    )
    portal.categories.add(web)
    ended = factories.software_create(
        name="Ancien", function="Ancien outil", status=SoftwareStatus.DEREFERENCED, is_stack=True
    )
    proposed = factories.software_create(name="Nouveau", status=SoftwareStatus.PROPOSED)
    for _ in range(3):
        factories.referent_create(software=writer)
    factories.referent_create(
        software=portal, agent=factories.agent_create(organisation=organisation)
    )
    factories.user_create(software=editor)
    return {
        "writer": writer,
        "editor": editor,
        "portal": portal,
        "ended": ended,
        "proposed": proposed,
    }


def test_home_says_what_the_catalog_is_invites_agents_and_shows_figures(client, catalog):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="q"' in html and 'action="/logiciels/"' in html
    assert "/agents/login/" in html
    # Four listed software (the proposal waits), one recommended.
    assert re.search(r"<strong[^>]*>4</strong>", html)
    assert re.search(r"<strong[^>]*>1</strong>", html)


def test_home_does_not_invite_a_signed_in_agent_to_sign_in(agent_client, catalog):
    html = agent_client.get("/").content.decode()
    assert "web-language-form" in html
    assert 'href="/agents/login/"' not in html


def test_search_page_lists_accepted_software_by_most_referents_by_default(client, catalog):
    response = client.get("/logiciels/")
    assert response.status_code == 200
    names = names_in(response)
    assert names[0] == "LibreOffice" and names[1] == "udata"
    assert set(names) == {"LibreOffice", "udata", "Vim", "Ancien"}
    assert "4 logiciels trouvés" in response.content.decode()


def test_search_ignores_accents_and_case_in_function_and_keywords(client, catalog):
    assert names_in(client.get("/logiciels/", {"q": "editeur"})) == ["Vim"]
    assert names_in(client.get("/logiciels/", {"q": "EDITION"})) == ["Vim"]
    assert names_in(client.get("/logiciels/", {"q": "données"})) == ["udata"]
    assert names_in(client.get("/logiciels/", {"q": "donnees ouvertes"})) == ["udata"]


def test_search_matches_the_beginning_of_a_name(client, catalog):
    assert names_in(client.get("/logiciels/", {"q": "libre"})) == ["LibreOffice"]


def test_search_finds_words_of_the_description(client, catalog):
    assert names_in(client.get("/logiciels/", {"q": "tableur"})) == ["LibreOffice"]


def test_search_with_no_match_says_so(client, catalog):
    html = client.get("/logiciels/", {"q": "zzzz-introuvable"}).content.decode()
    assert "0 logiciel trouvé" in html
    assert "Aucun logiciel ne correspond" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "bureautique"}, {"LibreOffice"}),
        ({"type": "cloud"}, {"udata"}),
        ({"type": "desktop"}, {"LibreOffice", "Vim"}),
        ({"type": "stack"}, {"Ancien"}),
        ({"os": "windows"}, {"LibreOffice"}),
        ({"os": "linux"}, {"LibreOffice", "Vim"}),
        ({"organisation": "dinum"}, {"udata"}),
        ({"license": "MPL-2.0"}, {"LibreOffice"}),
        ({"status": "recommended"}, {"LibreOffice"}),
        ({"status": "dereferenced"}, {"Ancien"}),
        ({"status": "proposed"}, set()),  # proposals are seen by their authors and curators
        ({"public_sector": "1"}, {"udata"}),
        ({"type": "desktop", "os": "windows"}, {"LibreOffice"}),
    ],
)
def test_each_filter_narrows_the_results(client, catalog, params, expected):
    assert set(names_in(client.get("/logiciels/", params))) == expected


def test_unknown_filter_values_are_ignored_not_an_error(client, catalog):
    response = client.get(
        "/logiciels/",
        {"type": "<script>", "os": "beos", "status": "x", "sort": "evil", "page": "abc"},
    )
    assert response.status_code == 200
    assert len(names_in(response)) == 4
    assert "<script>" not in response.content.decode()


def test_filter_choices_offer_categories_licenses_and_organisations_with_referents(client, catalog):
    html = client.get("/logiciels/").content.decode()
    assert '<option value="bureautique"' in html
    assert '<option value="MPL-2.0"' in html
    assert '<option value="dinum"' in html


def test_sort_by_name_and_by_recently_added(client, catalog):
    assert names_in(client.get("/logiciels/", {"sort": "name"})) == [
        "Ancien",
        "LibreOffice",
        "udata",
        "Vim",
    ]
    Software.objects.filter(pk=catalog["ended"].pk).update(
        created_at=timezone.now() + timedelta(days=1)
    )
    assert names_in(client.get("/logiciels/", {"sort": "recent"}))[0] == "Ancien"


def test_search_sorts_name_matches_first(client, catalog):
    factories.software_create(name="Writer helper", function="Aide pour LibreOffice")
    names = names_in(client.get("/logiciels/", {"q": "libreoffice"}))
    assert names == ["LibreOffice", "Writer helper"]


def test_results_are_paginated_twenty_per_page_keeping_the_filters(client, db):
    for number in range(45):
        factories.software_create(name=f"Outil {number:02d}", function="Outil de test")
    first = client.get("/logiciels/", {"q": "outil", "sort": "name"})
    html = first.content.decode()
    assert len(names_in(first)) == 20
    assert "45 logiciels trouvés" in html
    next_link = re.search(r'fr-pagination__link--next[^"]*" href="([^"]+)"', html).group(1)
    assert next_link == "?q=outil&amp;sort=name&amp;page=2"
    second = client.get("/logiciels/" + next_link.replace("&amp;", "&"))
    assert names_in(second) == [f"Outil {n}" for n in range(20, 40)]
    last = client.get("/logiciels/", {"q": "outil", "sort": "name", "page": 3})
    assert names_in(last) == [f"Outil {n}" for n in range(40, 45)]
    beyond = client.get("/logiciels/", {"q": "outil", "sort": "name", "page": 99})
    assert names_in(beyond) == names_in(last)


def test_search_page_queries_do_not_grow_with_results(client, django_assert_max_num_queries, db):
    category = Category.objects.create(name="Outils", slug="outils")
    for number in range(20):
        software = factories.software_create(name=f"Outil {number:02d}")
        software.categories.add(category)
        factories.referent_create(software=software)
        factories.user_create(software=software)
    with django_assert_max_num_queries(12):
        response = client.get("/logiciels/")
    assert len(names_in(response)) == 20


def test_software_page_shows_metadata_and_counts(client, catalog):
    html = client.get(f"/logiciels/{catalog['writer'].slug}/").content.decode()
    assert "<h1>LibreOffice</h1>" in html
    assert "MPL-2.0" in html
    assert "Bureautique" in html
    assert "3 référents" in html
    assert "Recommandé" in html


def test_unknown_software_is_a_dsfr_404(client, db):
    response = client.get("/logiciels/inexistant/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page non trouvée" in html
    assert "fr-header" in html


def test_proposed_software_page_says_it_awaits_review(curator_client, catalog):
    html = curator_client.get(f"/logiciels/{catalog['proposed'].slug}/").content.decode()
    assert "attend l’examen" in html or "attend l'examen" in html


def test_similar_software_and_inventory_repositories_are_linked(client, catalog, repository):
    writer = catalog["writer"]
    writer.similar.add(catalog["editor"])
    writer.source_url = repository.html_url + ".git"
    writer.save()
    html = client.get(f"/logiciels/{writer.slug}/").content.decode()
    assert f'href="/logiciels/{catalog["editor"].slug}/"' in html
    assert repository.html_url in html


def test_organisation_page_lists_declared_software_instances_accounts_and_repositories(
    client, catalog, organisation, repository
):
    factories.instance_create(software=catalog["portal"], organisation=organisation)
    html = client.get("/organisations/dinum/").content.decode()
    assert "Direction interministérielle du numérique" in html
    assert "udata" in html
    assert "https://instance.example.gouv.fr" in html
    assert "github.com/etalab" in html
    assert repository.full_name in html


def test_organisation_page_does_not_reveal_agents(client, catalog, organisation):
    html = client.get("/organisations/dinum/").content.decode()
    assert "@" not in re.sub(r"<footer.*</footer>", "", html, flags=re.S)


def test_unknown_organisation_is_404(client, db):
    assert client.get("/organisations/inconnue/").status_code == 404


def test_english_is_one_click_away(client, catalog):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/logiciels/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Software catalog" in html
    assert "4 software found" in html


def test_similar_software_is_shown_from_both_sides(client, catalog):
    catalog["writer"].similar.add(catalog["editor"])
    html = client.get(f"/logiciels/{catalog['editor'].slug}/").content.decode()
    assert f'href="/logiciels/{catalog["writer"].slug}/"' in html


def test_long_description_is_rendered_from_markdown_and_sanitised(client, catalog):
    writer = catalog["writer"]
    writer.long_description = (
        "Une **suite** complète.\n\n<script>alert(1)</script>[x](javascript:alert(2))"
    )
    writer.save()
    html = client.get(f"/logiciels/{writer.slug}/").content.decode()
    assert "<strong>suite</strong>" in html
    assert "<script>alert(1)" not in html and "javascript:alert" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "\x00"},
        {"q": "a\x00b", "organisation": "\x00", "license": "\x00", "category": "\x00"},
        {"q": "x" * 5000},
        {"q": '"unbalanced & | ! (( :*'},
        {"q": "%_\\a"},
        {"page": "-1"},
        {"page": "99999999999999999999"},
    ],
)
def test_hostile_search_input_never_fails(client, catalog, params):
    assert client.get("/logiciels/", params).status_code == 200


def test_search_matches_word_beginnings_in_descriptions(client, catalog):
    factories.software_create(name="BigBlueButton", function="Visioconférence")
    assert names_in(client.get("/logiciels/", {"q": "visio"})) == ["BigBlueButton"]
