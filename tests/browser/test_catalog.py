"""An agent's journeys through the catalog in a real browser: search, sign in, declare, comment, propose."""

import re

import pytest
from playwright.sync_api import expect

from inventory.catalog.models import (
    Category,
    Comment,
    ReferentDeclaration,
    Software,
    SoftwareStatus,
)
from tests.browser.conftest import sign_in
from tests.inventory.catalog import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def catalog(transactional_db):
    organisation = factories.organisation_create(
        name="Direction interministérielle du numérique", slug="dinum"
    )
    office = Category.objects.create(name="Bureautique", slug="bureautique")
    writer = factories.software_create(
        name="LibreOffice",
        function="Suite bureautique",
        status=SoftwareStatus.RECOMMENDED,
        is_desktop=True,
        os_windows=True,
        license="MPL-2.0",
    )
    writer.categories.add(office)
    factories.software_create(
        name="Vim", function="Éditeur de texte", is_desktop=True, os_linux=True
    )
    factories.software_create(name="udata", function="Portail de données ouvertes", is_cloud=True)
    agent = factories.agent_create(
        organisation=organisation,
        email="alice.martin@numerique.gouv.fr",
        first_name="Alice",
        last_name="Martin",
    )
    return {"writer": writer, "organisation": organisation, "agent": agent}


def test_search_and_filter(page, catalog):
    page.goto("/")
    page.get_by_label("Rechercher dans le catalogue").fill("editeur")
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"/logiciels/\?q=editeur"))
    expect(page.locator("#result-count")).to_have_text("1 logiciel trouvé")
    expect(page.get_by_role("link", name="Vim")).to_be_visible()

    page.goto("/logiciels/")
    expect(page.locator("#result-count")).to_have_text("3 logiciels trouvés")
    page.get_by_label("Type de logiciel").select_option("desktop")
    page.get_by_label("Système d’exploitation").select_option("windows")
    page.get_by_role("button", name="Appliquer").click()
    expect(page.locator("#result-count")).to_have_text("1 logiciel trouvé")
    expect(page.get_by_role("link", name="LibreOffice")).to_be_visible()
    page.get_by_role("link", name="Effacer les filtres").click()
    expect(page.locator("#result-count")).to_have_text("3 logiciels trouvés")


def test_sign_in_by_email_link_then_declare_as_referent(page, catalog, allowed_domains):
    writer = catalog["writer"]
    page.goto(f"/logiciels/{writer.slug}/")
    page.get_by_role("main").get_by_role("link", name="Se connecter").click()
    sign_in(page, "alice.martin@numerique.gouv.fr", next_path=f"/logiciels/{writer.slug}/")
    expect(page).to_have_url(re.compile(f"/logiciels/{writer.slug}/$"))
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()

    page.get_by_role("link", name="Je suis référent").click()
    expect(page.get_by_role("heading", name="Ce qu’être référent veut dire")).to_be_visible()
    # The DSFR draws its own box over the input: a person clicks the label.
    page.locator("label[for=id_is_technical_expert]").click()
    page.get_by_role("button", name="Me déclarer référent").click()
    expect(page.get_by_text("Vous êtes désormais référent de LibreOffice.")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("Alice Martin"))).to_be_visible()
    declaration = ReferentDeclaration.objects.get()
    assert declaration.agent == catalog["agent"] and declaration.is_technical_expert

    page.get_by_role("link", name="Mon espace").click()
    expect(page.get_by_role("link", name="LibreOffice", exact=True)).to_be_visible()


def test_comment_then_edit_it(page, catalog, allowed_domains):
    writer = catalog["writer"]
    sign_in(page, "alice.martin@numerique.gouv.fr", next_path=f"/logiciels/{writer.slug}/")
    page.get_by_label("Votre commentaire").fill("Très **utile** pour nos équipes.")
    page.get_by_role("button", name="Publier mon commentaire").click()
    expect(page.get_by_text("Votre commentaire est publié.")).to_be_visible()
    expect(page.locator(".web-comment strong")).to_have_text("utile")
    page.get_by_role("link", name="Modifier mon commentaire").click()
    page.get_by_label("Votre commentaire").fill("Indispensable.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".web-comment__body")).to_have_text("Indispensable.")
    assert Comment.objects.get().edited


def test_propose_a_software_with_errors_then_duplicate_then_success(page, catalog, allowed_domains):
    sign_in(page, "alice.martin@numerique.gouv.fr", next_path="/logiciels/proposer/")
    expect(page.get_by_role("heading", name="Proposer un logiciel")).to_be_visible()
    page.get_by_label("Nom du logiciel").fill("Libre Office")
    # The script suggests the existing entry as the name is typed.
    suggestions = page.locator("#name-suggestions")
    expect(suggestions.get_by_role("link", name="LibreOffice")).to_be_visible()
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", name="Déjà au catalogue")).to_be_visible()
    page.get_by_role("link", name="Voir la fiche existante").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("LibreOffice")

    page.goto("/logiciels/proposer/")
    page.get_by_label("Nom du logiciel").fill("Grist")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("button", name="Le proposer").click()
    expect(page.locator(".fr-input-group--error")).to_have_count(2)
    page.get_by_label("Ce qu’il fait, en une ligne").fill("Tableur collaboratif")
    page.get_by_label("Licence").fill("Apache-2.0")
    page.get_by_role("button", name="Le proposer").click()
    expect(page.get_by_text("Merci : Grist est proposé.", exact=False)).to_be_visible()
    assert Software.objects.get(name="Grist").status == SoftwareStatus.PROPOSED


def test_language_switch_to_english_and_back(page, catalog):
    page.goto("/logiciels/")
    page.get_by_role("button", name="English").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Software catalog")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Français").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalogue des logiciels")
