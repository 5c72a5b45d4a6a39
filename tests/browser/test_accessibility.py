"""axe-core finds no serious or critical accessibility violation on the main pages."""

import pytest

from inventory.catalog.models import SoftwareStatus
from tests.browser.conftest import serious_accessibility_violations, sign_in
from tests.inventory.catalog import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def software(transactional_db):
    organisation = factories.organisation_create(
        name="Direction interministérielle du numérique", slug="dinum"
    )
    software = factories.software_create(
        name="LibreOffice",
        function="Suite bureautique",
        status=SoftwareStatus.RECOMMENDED,
        license="MPL-2.0",
    )
    agent = factories.agent_create(
        organisation=organisation,
        email="alice.martin@numerique.gouv.fr",
        first_name="Alice",
        last_name="Martin",
    )
    factories.referent_create(software=software, agent=agent, use_case="Bureautique des agents")
    factories.instance_create(software=software, organisation=organisation)
    factories.comment_create(software=software, author=agent, body="Très **utile**.")
    for number in range(25):  # enough for the list's pagination to show
        factories.software_create(name=f"Outil {number:02d}", function="Outil de test")
    return software


def test_public_pages_have_no_serious_violation(page, software):
    for path in [
        "/",
        "/logiciels/",
        "/logiciels/?q=libre",
        "/logiciels/?q=Kritta",  # nothing found: the nearest entries and a proposal
        "/logiciels/?q=%21",  # refused: no letter or digit
        f"/logiciels/{software.slug}/",
        "/organisations/dinum/",
        "/agents/login/",
        "/page-inexistante/",
    ]:
        page.goto(path)
        assert serious_accessibility_violations(page) == [], path


def test_signed_in_pages_have_no_serious_violation(page, software, allowed_domains):
    sign_in(page, "alice.martin@numerique.gouv.fr", next_path="/mon-espace/")
    for path in [
        "/mon-espace/",
        f"/logiciels/{software.slug}/",
        f"/logiciels/{software.slug}/referent/",
        "/logiciels/proposer/",
        "/logiciels/proposer/?name=Outil",
    ]:
        page.goto(path)
        assert serious_accessibility_violations(page) == [], path
    page.goto("/logiciels/proposer/?name=Outil")
    page.get_by_role("button", name="Le proposer").click()
    assert serious_accessibility_violations(page) == [], "proposal form with errors"
