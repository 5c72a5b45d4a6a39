"""Searching the catalog by need in a real browser, and proposing what it does not have."""

import re

import pytest
from playwright.sync_api import expect

from inventory.catalog.models import SearchSynonym, SoftwareStatus
from tests.browser.conftest import follow_sign_in_link
from tests.inventory.catalog import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def catalog(transactional_db):
    # The browser tests' database is emptied between tests: the vocabulary is set up here.
    SearchSynonym.objects.create(terms="tableur, feuille de calcul", related="suite bureautique")
    factories.software_create(
        name="LibreOffice", function="Suite bureautique", status=SoftwareStatus.RECOMMENDED
    )
    factories.software_create(name="Kdenlive", function="Montage vidéo")
    factories.software_create(name="Jitsi", function="Visioconférence")
    factories.agent_create(email="alice.martin@numerique.gouv.fr")


def test_a_need_finds_the_software_and_a_missing_one_can_be_proposed(
    page, catalog, allowed_domains
):
    page.goto("/")
    page.get_by_label("Rechercher dans le catalogue").fill("tableur")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#result-count")).to_have_text("1 logiciel trouvé")
    expect(page.locator(".fr-card__title").first).to_have_text("LibreOffice")

    page.get_by_label(re.compile("Décrivez un besoin")).fill("visio")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator(".fr-card__title").first).to_have_text("Jitsi")

    page.get_by_label(re.compile("Décrivez un besoin")).fill("Kritta")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#result-count")).to_have_text("0 logiciel trouvé")
    expect(page.locator("#search-empty").get_by_role("link", name="Kdenlive")).to_be_visible()
    page.get_by_role("link", name="Proposer « Kritta » au catalogue").click()

    # Signed out: the sign-in page brings the agent back to the proposal form afterwards.
    follow_sign_in_link(page, "alice.martin@numerique.gouv.fr")
    expect(page.get_by_role("heading", name="Proposer un logiciel")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("Kritta")


def test_a_query_without_letters_is_answered_with_a_message(page, catalog):
    page.goto("/logiciels/?q=%21")
    expect(page.locator("#search-error")).to_have_text(
        "Tapez au moins une lettre ou un chiffre pour chercher."
    )
    expect(page.get_by_label(re.compile("Décrivez un besoin"))).to_have_value("!")
