"""Finding who uses a package in a real browser: most used packages, a version range, a repository;
and axe-core finds no serious or critical violation on those pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import serious_accessibility_violations
from tests.inventory.dependencies.conftest import (  # noqa: F401 - fixtures
    crawled,
    dependency_forge,
    organisations,
)

pytestmark = pytest.mark.browser


def test_visitor_finds_the_repositories_using_a_vulnerable_version_range(page, crawled):  # noqa: F811
    page.goto("/code/")
    page.get_by_role("link", name="Ce dont dépend le code public").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce dont dépend le code public")
    assert serious_accessibility_violations(page) == []

    page.select_option("#filter-ecosystem", "maven")
    page.locator("#package-search button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"ecosystem=maven"))
    page.get_by_role("link", name="org.apache.logging.log4j:log4j-core").click()

    page.fill("#filter-version", ">=2.0,<2.15")
    page.locator("#dependent-search button[type=submit]").click()
    expect(page.locator("#dependents tbody tr")).to_have_count(1)
    expect(page.locator("#dependents")).to_contain_text("dgfip/impots")
    assert serious_accessibility_violations(page) == []

    page.fill("#filter-version", "pas une version")
    page.locator("#dependent-search button[type=submit]").click()
    expect(page.locator("#version-error")).to_contain_text("Impossible de lire")

    page.goto("/code/dependances/npm/react/")
    page.select_option("#filter-ministry", "economie")
    page.locator("#dependent-search button[type=submit]").click()
    expect(page.locator("#dependents tbody tr")).to_have_count(1)
    page.get_by_role("link", name="dgfip/portail").click()
    expect(page.locator("#dependencies")).to_contain_text("18.3.1")
    assert serious_accessibility_violations(page) == []
