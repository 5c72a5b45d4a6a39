"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test here is marked ``browser``. Data is created directly in the database (committed:
the live server runs in another thread), and agents sign in through the real e-mail link,
read from Django's test outbox.
"""

import os
import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in the test thread; the ORM calls made from the
# tests are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    # Sign-in throttles count in the cache, which outlives a test: each test starts afresh.
    cache.clear()
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def allowed_domains(transactional_db):
    from inventory.agents.models import EmailDomain

    EmailDomain.objects.get_or_create(domain="gouv.fr", defaults={"source": "tests"})


def sign_in(page, email: str, *, next_path: str = "/") -> None:
    """Ask for a sign-in link like an agent, open it from the outbox and confirm."""
    page.goto(f"/agents/login/?next={next_path}")
    follow_sign_in_link(page, email)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def follow_sign_in_link(page, email: str) -> None:
    """On the sign-in page, however the agent reached it: ask for a link, open it from the
    outbox and confirm (the e-mail is sent by the request the click starts: its answer is
    waited for before the outbox is read)."""
    mail.outbox.clear()
    page.get_by_label(re.compile("adresse électronique", re.I)).first.fill(email)
    page.get_by_role("button", name=re.compile("lien de connexion", re.I)).click()
    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()
    assert mail.outbox, "no sign-in e-mail was sent"
    link = re.search(r"https?://\S+/agents/login/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.locator("main form button[type=submit]").first.click()


def serious_accessibility_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the current page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
