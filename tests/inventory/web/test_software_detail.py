"""The software page: relative links of the SILL's texts dropped, its own similar software
first, then entries of the same categories still recommended, and no fact shown twice."""

import re

import pytest

from inventory.catalog.models import Category, SoftwareStatus
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


def section(html: str, title_id: str) -> str:
    match = re.search(rf'<h2 id="{title_id}">.*?</section>', html, re.DOTALL)
    return match.group(0) if match else ""


def test_relative_links_of_the_sill_texts_are_dropped_their_words_kept(client):
    software = factories.software_create(
        name="LibreOffice",
        use_context="**Nous [contacter](/fr/contact) pour connaître les versions**",
        long_description="Voir [la doc](https://help.libreoffice.org) et [ici](fr/aide).",
    )
    html = client.get(f"/logiciels/{software.slug}/").content.decode()
    assert "/fr/contact" not in html and 'href="fr/aide"' not in html
    assert "Nous contacter pour connaître les versions" in html
    assert 'href="https://help.libreoffice.org"' in html


@pytest.fixture
def office(db):
    category, _ = Category.objects.get_or_create(
        slug="outil-de-productivite", defaults={"name": "Outil de productivité", "group": 1}
    )
    return category


def test_own_similar_software_first_then_recommended_entries_of_the_same_categories(client, office):
    other = Category.objects.create(name="Autre outil", slug="autre-outil")
    entry = factories.software_create(name="LibreOffice", status=SoftwareStatus.RECOMMENDED)
    entry.categories.add(office, other)
    own = factories.software_create(name="OnlyOffice", status=SoftwareStatus.OBSERVATION)
    entry.similar.add(own)
    both = factories.software_create(name="Calligra", status=SoftwareStatus.OBSERVATION)
    both.categories.add(office, other)
    one = factories.software_create(name="AbiWord", status=SoftwareStatus.RECOMMENDED)
    one.categories.add(office)
    ended = factories.software_create(name="OpenOffice", status=SoftwareStatus.DEREFERENCED)
    ended.categories.add(office)
    proposed = factories.software_create(name="Proposé", status=SoftwareStatus.PROPOSED)
    proposed.categories.add(office)
    own.categories.add(office)

    html = client.get(f"/logiciels/{entry.slug}/").content.decode()

    similar = section(html, "similar-title")
    same = section(html, "same-categories-title")
    assert ">OnlyOffice<" in similar
    assert re.findall(r'class="fr-tag" href="[^"]+">([^<]+)<', same) == ["Calligra", "AbiWord"]
    assert "OpenOffice" not in html and "Proposé" not in html


def test_the_same_categories_section_is_there_without_own_similar_software(client, office):
    entry = factories.software_create(name="LibreOffice")
    entry.categories.add(office)
    neighbour = factories.software_create(name="AbiWord", status=SoftwareStatus.RECOMMENDED)
    neighbour.categories.add(office)
    html = client.get(f"/logiciels/{entry.slug}/").content.decode()
    assert section(html, "similar-title") == ""
    assert ">AbiWord<" in section(html, "same-categories-title")


@pytest.mark.parametrize("component", ["Outil de productivité", "Outil de productivite"])
def test_a_component_that_is_one_of_the_categories_is_not_shown_twice(client, office, component):
    entry = factories.software_create(name="LibreOffice", component=component)
    entry.categories.add(office)
    html = client.get(f"/logiciels/{entry.slug}/").content.decode()
    assert "<dt>Composant</dt>" not in html
    assert html.count(">Outil de productivité</a>") == 1


def test_a_component_merged_into_a_category_is_not_shown_twice(client):
    merged, _ = Category.objects.get_or_create(
        slug="test-et-integration", defaults={"name": "Test et intégration", "group": 3}
    )
    entry = factories.software_create(name="Jenkins", component="Test & Intégration")
    entry.categories.add(merged)
    html = client.get(f"/logiciels/{entry.slug}/").content.decode()
    assert "<dt>Composant</dt>" not in html


def test_a_component_saying_something_else_is_shown(client, office):
    entry = factories.software_create(name="LibreOffice", component="Traitement de texte")
    entry.categories.add(office)
    html = client.get(f"/logiciels/{entry.slug}/").content.decode()
    assert "<dt>Composant</dt><dd>Traitement de texte</dd>" in html
