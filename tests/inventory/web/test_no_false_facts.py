"""No placeholders, no false facts: unknown is "non renseigné", a filter nobody could match is
not offered, placeholder organisations stay out of filters and charts, and the home page shows
no row of zeros."""

import re

import pytest

from inventory.catalog.models import SoftwareStatus
from inventory.organisations.services import organisation_get_or_create
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


def fact(html: str, term: str) -> str:
    match = re.search(rf"<dt>{re.escape(term)}</dt>\s*<dd>(.*?)</dd>", html, re.DOTALL)
    assert match, term
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_unknown_facts_say_not_stated_never_no(client):
    software = factories.software_create(name="Inconnu")
    html = client.get(f"/logiciels/{software.slug}/").content.decode()
    assert fact(html, "Développé par le secteur public") == "non renseigné"
    assert fact(html, "Couvert par le marché de support") == "non renseigné"
    assert fact(html, "Respecte le RGAA (accessibilité)") == "non renseigné"
    assert fact(html, "Type de logiciel") == "non renseigné"


def test_a_stated_no_is_shown_as_no(client):
    software = factories.software_create(
        name="Connu", is_from_french_public_service=False, is_in_support_contract=True
    )
    html = client.get(f"/logiciels/{software.slug}/").content.decode()
    assert fact(html, "Développé par le secteur public") == "non"
    assert fact(html, "Couvert par le marché de support") == "oui"


def test_filters_nobody_could_match_are_not_offered(client):
    factories.software_create(name="Sans rien", status=SoftwareStatus.RECOMMENDED, license="")
    html = client.get("/logiciels/").content.decode()
    for absent in ('id="filter-type"', 'id="filter-os"', 'id="filter-organisation"',
                   'id="filter-public-sector"', 'id="filter-license"'):  # fmt: skip
        assert absent not in html, absent
    factories.software_create(
        name="Complet", status=SoftwareStatus.RECOMMENDED, is_desktop=True, os_linux=True,
        is_from_french_public_service=True, license="MIT",
    )  # fmt: skip
    html = client.get("/logiciels/").content.decode()
    for present in ('id="filter-type"', 'id="filter-os"', 'id="filter-public-sector"',
                    'id="filter-license"'):  # fmt: skip
        assert present in html, present


def test_placeholder_organisations_stay_out_of_the_filters(client):
    unnamed, _ = organisation_get_or_create(pso_id="c21fa08e-1111-4222-8333-444455556666")
    named, _ = organisation_get_or_create(
        pso_id="d31fa08e-1111-4222-8333-444455556666", name="Mairie de Lyon"
    )
    software = factories.software_create(name="Outil", status=SoftwareStatus.RECOMMENDED)
    for organisation in (unnamed, named):
        factories.referent_create(
            software=software, agent=factories.agent_create(organisation=organisation)
        )
    html = client.get("/logiciels/").content.decode()
    assert ">Mairie de Lyon</option>" in html
    assert "Organisation c21fa08e" not in html


def test_home_page_shows_no_row_of_zeros_and_recent_entries(client):
    html = client.get("/").content.decode()
    assert "<strong" not in html  # no figure at all on an empty site
    factories.software_create(name="Premier", status=SoftwareStatus.RECOMMENDED)
    html = client.get("/").content.decode()
    assert re.search(r"<strong[^>]*>1</strong>", html)
    card = html[html.index('id="recent-title"') :]
    assert "0 référent" not in card and "0 utilisateur" not in card  # zero counts not shown
    assert 'id="recent-title"' in html and ">Premier</a>" in html
    assert 'id="most-declared-title"' not in html  # nobody declared anything yet


def test_home_page_shows_the_most_declared_once_declarations_exist(client):
    quiet = factories.software_create(name="Calme", status=SoftwareStatus.RECOMMENDED)
    busy = factories.software_create(name="Populaire", status=SoftwareStatus.OBSERVATION)
    factories.referent_create(software=busy)
    factories.user_create(software=busy)
    html = client.get("/").content.decode()
    section = html[html.index('id="most-declared-title"') : html.index('id="recent-title"')]
    assert ">Populaire</a>" in section and quiet.name not in section
    assert "1 référent · 1 utilisateur" in re.sub(r"\s+", " ", section)


def test_entry_page_counts_people_only_once_someone_declared(client):
    software = factories.software_create(name="Outil", status=SoftwareStatus.RECOMMENDED)
    html = client.get(f"/logiciels/{software.slug}/").content.decode()
    assert "0 référent" not in html and "0 utilisateur" not in html
    assert "Personne n’a encore déclaré l’utiliser." in html or "Personne n'a encore" in html
    factories.referent_create(software=software)
    html = re.sub(r"\s+", " ", client.get(f"/logiciels/{software.slug}/").content.decode())
    assert "1 référent · 0 utilisateur" in html
