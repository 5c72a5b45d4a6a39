"""A public agent's first visit, in a real browser, on a fresh database holding the real SILL
catalog: sign in with a new address, search a need, open the entry, declare as referent naming
one's organisation in the form, and find the declaration on the entry and in "mon espace".

Screenshots of the main pages at desktop and mobile widths are written to var/screenshots/
(CI keeps that folder as an artifact).
"""

import re
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from inventory.agents.models import Agent, Membership, MembershipStatus
from inventory.catalog.models import ReferentDeclaration, SearchSynonym, Software
from inventory.core.paths import shared_data_dir
from inventory.organisations.models import Organisation, OrganisationStatus
from tests.browser.conftest import follow_sign_in_link, serious_accessibility_violations

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WIDTHS = {"desktop": 1280, "mobile": 375}
NEW_AGENT = "camille.durand@finances.gouv.fr"


@pytest.fixture
def real_catalog(transactional_db):
    """What the demo loads first: the real allow-list and the real SILL catalog."""
    sill = shared_data_dir() / "sill"
    if not (sill / "sill.json").exists():
        pytest.skip(f"the real SILL catalog is not in {sill}")
    # The database as `migrate` leaves it: the browser tests' flush also removed the needs
    # vocabulary its data migration seeds.
    if not SearchSynonym.objects.exists():
        import_module("inventory.catalog.migrations.0004_seed_search_synonyms").seed(apps, None)
    call_command("import_email_domains", verbosity=0)
    call_command(
        "import_sill",
        str(sill / "sill.json"),
        contributors=[sill / "sill-contributors.json"],
        verbosity=0,
    )
    assert not Agent.objects.filter(email=NEW_AGENT).exists()
    return Software.objects.get(name="LibreOffice")


def no_error_page(page) -> None:
    """Nothing the agent sees is an error page (every page's title says which one it is)."""
    title = page.title()
    for marker in ("Erreur", "Page non trouvée", "Accès refusé", "Server Error", "Error"):
        assert marker not in title, f"{page.url} shows an error page: {title}"


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{page.viewport_size['width']}.png"
    page.screenshot(path=str(path), full_page=True)


def test_a_new_agent_goes_from_the_sign_in_email_to_a_published_declaration(page, real_catalog):
    libreoffice = real_catalog
    statuses: list[tuple[int, str]] = []
    page.on(
        "response",
        lambda response: (
            statuses.append((response.status, response.url))
            if response.request.resource_type == "document"
            else None
        ),
    )

    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Se connecter").first.click()
    follow_sign_in_link(page, NEW_AGENT)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    no_error_page(page)

    page.get_by_label("Rechercher dans le catalogue").fill("traitement de texte")
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"/logiciels/\?q=traitement"))
    result = page.locator(".fr-card__title").get_by_role("link", name="LibreOffice", exact=True)
    expect(result).to_be_visible()
    no_error_page(page)
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("LibreOffice")

    page.get_by_role("link", name="Je suis référent").click()
    no_error_page(page)
    expect(page.get_by_label("Votre organisation")).to_be_visible()
    # A name that is not exactly an organisation's: the form offers the nearest, or a new one.
    page.get_by_label("Votre organisation").fill("Direction régionale des finances publiques")
    page.get_by_label("Pour quoi l’utilisez-vous ?").fill("Courriers et notes de service")
    page.get_by_role("button", name="Me déclarer référent").click()
    expect(page.get_by_text("Laquelle est la vôtre ?")).to_be_visible()
    no_error_page(page)
    page.locator("label", has_text="ajouter « Direction régionale des finances publiques »").click()
    page.get_by_role("button", name="Me déclarer référent").click()

    expect(page.get_by_text("Vous êtes désormais référent de LibreOffice.")).to_be_visible()
    no_error_page(page)
    expect(page.get_by_role("cell", name=re.compile(re.escape(NEW_AGENT)))).to_be_visible()
    declaration = ReferentDeclaration.objects.get(agent__email=NEW_AGENT)
    assert declaration.software == libreoffice
    assert declaration.use_case == "Courriers et notes de service"
    organisation = declaration.organisation
    assert (organisation.name, organisation.status) == (
        "Direction régionale des finances publiques",
        OrganisationStatus.PENDING,
    )
    assert Membership.objects.get(agent__email=NEW_AGENT).status == MembershipStatus.PENDING

    page.get_by_role("link", name="Mon espace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    expect(page.get_by_role("link", name="LibreOffice", exact=True)).to_be_visible()
    no_error_page(page)

    assert [(status, url) for status, url in statuses if status >= 400] == []
    assert Organisation.objects.filter(status=OrganisationStatus.PENDING).count() == 1


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_screenshots_of_the_main_pages(page, real_catalog, width):
    page.set_viewport_size({"width": width, "height": 900})
    libreoffice = real_catalog
    public_pages = {
        "home": "/",
        "search": "/logiciels/?q=traitement+de+texte",
        "entry": f"/logiciels/{libreoffice.slug}/",
        "code": "/code/",
        "code-organisations": "/code/organisations/",
        "statistics": "/statistiques/",
        "data": "/data/",
    }
    for name, path in public_pages.items():
        response = page.goto(path)
        assert response.status < 400, f"{path} answered {response.status}"
        no_error_page(page)
        shoot(page, name)
    page.goto(public_pages["search"])
    expect(page.locator(".fr-card__title").get_by_text("LibreOffice", exact=True)).to_be_visible()

    page.goto("/agents/login/?next=/mon-espace/")
    follow_sign_in_link(page, NEW_AGENT)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    shoot(page, "my-space")
    response = page.goto(f"/logiciels/{libreoffice.slug}/referent/")
    assert response.status == 200
    shoot(page, "declaration-form")
    assert serious_accessibility_violations(page) == [], "declaration form"
    page.get_by_label("Votre organisation").fill("Mairie de Saint-Exemple")
    page.get_by_role("button", name="Me déclarer référent").click()
    expect(page.get_by_text("Laquelle est la vôtre ?")).to_be_visible()
    shoot(page, "declaration-form-organisation-step")
    assert serious_accessibility_violations(page) == [], "organisation step"
    for name, path in {"profile": "/agents/profile/", "requests": "/agents/adhesions/"}.items():
        response = page.goto(path)
        assert response.status == 200
        no_error_page(page)
        shoot(page, name)
        assert serious_accessibility_violations(page) == [], path


@pytest.mark.parametrize("name", ["LIBREOFFICE", "Libre Office"])
def test_a_new_agent_proposing_a_near_duplicate_is_sent_to_the_existing_entry(
    page, real_catalog, name
):
    page.goto("/agents/login/?next=/logiciels/proposer/")
    follow_sign_in_link(page, NEW_AGENT)
    expect(page.get_by_role("heading", name="Proposer un logiciel")).to_be_visible()

    page.get_by_label("Nom").first.fill(name)
    page.get_by_role("button", name="Continuer").click()  # the form asks the name first
    expect(page.get_by_role("heading", name="Déjà au catalogue")).to_be_visible()
    page.get_by_role("link", name="Voir la fiche existante").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("LibreOffice")
    no_error_page(page)
    assert Software.objects.filter(name__iexact="libreoffice").count() == 1
    assert not Software.objects.filter(name=name).exclude(name="LibreOffice").exists()
