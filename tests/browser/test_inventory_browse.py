"""Browsing the code inventory in a real browser: search, filter, show forks, open an account,
read the statistics; and axe-core finds no serious or critical violation on those pages."""

import re

import pytest
from playwright.sync_api import expect

from inventory.catalog.models import Category
from tests.browser.conftest import serious_accessibility_violations, sign_in
from tests.inventory.catalog import factories
from tests.inventory.web.test_inventory_pages import inventory_create

pytestmark = pytest.mark.browser


@pytest.fixture
def inventory(transactional_db):
    inventory = inventory_create()
    category = Category.objects.create(name="Bureautique", slug="bureautique")
    software = factories.software_create(name="LibreOffice")
    software.categories.add(category)
    factories.referent_create(software=software)
    return inventory


def result_titles(page) -> list[str]:
    return page.locator("#results h3.fr-card__title").all_inner_texts()


def test_visitor_filters_repositories_shows_forks_and_opens_an_account(page, inventory):
    page.goto("/code/")
    expect(page.locator("#result-count")).to_contain_text("3")
    assert sorted(result_titles(page)) == [
        "etalab/udata",
        "interieur/dnum/legacy",
        "interieur/dnum/outil",
    ]

    page.select_option("#filter-language", "Python")
    page.locator("#filters-legend ~ div button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"language=Python"))
    assert result_titles(page) == ["etalab/udata"]

    page.locator("#show-forks").click()
    expect(page).to_have_url(re.compile(r"forks=1"))
    assert sorted(result_titles(page)) == ["etalab/forked-lib", "etalab/udata"]
    expect(page.locator("#filter-forks")).to_be_checked()
    expect(page.locator("#filter-language")).to_have_value("Python")

    page.locator("#results .inventory-account-link", has_text="github.com/etalab").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("github.com/etalab")
    expect(page.locator("#last-crawl")).to_be_visible()
    assert sorted(page.locator("h3.fr-card__title").all_inner_texts()) == [
        "etalab/forked-lib",
        "etalab/old-site",
        "etalab/udata",
    ]


def test_statistics_draw_a_chart_over_each_table(page, inventory):
    page.goto("/statistiques/")
    charts = page.locator("[data-chart] canvas")
    expect(charts).to_have_count(6)
    expect(page.locator("#chart-languages-table")).to_contain_text("Python")


def test_inventory_pages_have_no_serious_violation(page, inventory):
    for path in [
        "/code/",
        "/code/?language=Python&forks=1&sort=stars",
        "/code/organisations/",
        f"/code/comptes/{inventory.dnum.pk}/",
        "/code/referencement/",
        "/statistiques/",
    ]:
        page.goto(path)
        if path == "/statistiques/":
            expect(page.locator("[data-chart] canvas")).to_have_count(6)
        assert serious_accessibility_violations(page) == [], path


def test_agent_proposes_an_account_in_the_browser(page, inventory, allowed_domains):
    factories.agent_create(
        organisation=inventory.dinum, email="alice.martin@numerique.gouv.fr", first_name="Alice"
    )
    sign_in(page, "alice.martin@numerique.gouv.fr", next_path="/code/referencement/")
    page.goto("/code/referencement/")
    assert serious_accessibility_violations(page) == []
    page.select_option("#id_forge_host", "gitlab.com")
    page.fill("#id_login", "interieur/nouveau")
    page.select_option("#id_kind", "group")
    page.locator("#account-proposal-form button[type=submit]").click()
    expect(page.locator("#my-proposals")).to_contain_text("gitlab.com/interieur/nouveau")
