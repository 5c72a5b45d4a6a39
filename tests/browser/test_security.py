"""In Chromium: the Content-Security-Policy blocks nothing the site itself needs (DSFR, charts,
Swagger UI), and a hostile software name runs no script anywhere it is shown."""

import pytest
from playwright.sync_api import expect

from inventory.catalog.models import SoftwareStatus
from tests.browser.conftest import sign_in
from tests.inventory.catalog import factories

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(document.cookie)>"


@pytest.fixture
def catalog(transactional_db):
    organisation = factories.organisation_create(name="Ville", slug="ville")
    software = factories.software_create(
        name="LibreOffice", slug="libreoffice", status=SoftwareStatus.RECOMMENDED
    )
    factories.referent_create(
        software=software, agent=factories.agent_create(organisation=organisation)
    )
    factories.software_create(name=HOSTILE, slug="hostile", status=SoftwareStatus.OBSERVATION)
    factories.agent_create(organisation=organisation, email="alice.martin@numerique.gouv.fr")
    return software


def _watch(page) -> tuple[list[str], list[str]]:
    """Console messages about the policy, and dialogs (alert) a script opened."""
    violations, dialogs = [], []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return violations, dialogs


def test_pages_work_under_the_policy_and_report_no_violation(page, catalog):
    violations, dialogs = _watch(page)
    for path in (
        "/",
        "/logiciels/",
        "/logiciels/libreoffice/",
        "/code/",
        "/data/",
        "/admin/login/",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    page.goto("/statistiques/")
    expect(page.locator("[data-chart] canvas").first).to_be_visible()
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Logithèque API")
    page.wait_for_load_state("networkidle")
    assert violations == []
    assert dialogs == []


def test_a_hostile_name_runs_no_script_in_messages_lists_or_pages(page, catalog, allowed_domains):
    violations, dialogs = _watch(page)
    sign_in(page, "alice.martin@numerique.gouv.fr")
    page.goto("/logiciels/?q=img")
    page.goto("/logiciels/hostile/")
    page.goto("/logiciels/hostile/referent/retirer/")  # "You had no such declaration for …"
    expect(page.locator(".fr-alert")).to_contain_text(HOSTILE)
    page.goto("/logiciels/hostile/utilisateur/")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".fr-alert--success")).to_contain_text(HOSTILE)
    page.wait_for_load_state("networkidle")
    assert dialogs == []
    assert violations == []
