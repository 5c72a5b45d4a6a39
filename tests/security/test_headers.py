"""Item 2: the headers a State service sends (CSP without inline code, HSTS and HTTPS from the
environment), templates free of inline script and style, ``check --deploy`` clean."""

import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from tests.inventory.catalog import factories
from tests.inventory.forges.workers import database_url

pytestmark = pytest.mark.django_db

PAGES = (
    "/",
    "/logiciels/",
    "/logiciels/libreoffice/",
    "/code/",
    "/code/organisations/",
    "/code/referencement/",
    "/statistiques/",
    "/data/",
    "/agents/login/",
    "/api/docs/",
    "/admin/login/",
)
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I
)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+=", re.I)


@pytest.fixture
def catalog(db):
    factories.software_create(name="LibreOffice", slug="libreoffice", status="recommended")


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def test_every_page_sends_a_policy_without_inline_code_or_foreign_origins(client, catalog):
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        directives = policy(response)
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe" not in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), (path, INLINE_SCRIPT.search(html))
        assert not INLINE_STYLE.search(html), (path, INLINE_STYLE.search(html))
        assert not EVENT_HANDLER.search(html), (path, EVENT_HANDLER.search(html))


def test_the_api_documentation_loads_its_script_from_this_site(client):
    html = client.get("/api/docs/").content.decode()
    script = re.search(r'<script src="(/api/docs/\?[^"]*script=[^"]*)"', html)
    assert script, html[-800:]
    response = client.get(script.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


def _run_in_production(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    production = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "logitheque.example.gouv.fr",
        "SITE_URL": "https://logitheque.example.gouv.fr",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
        "SECURE_HSTS_PRELOAD": "true",
        "DATABASE_URL": database_url(),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE has no place in production (async.E001).
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            **production,
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_nothing_with_production_settings(transactional_db):
    result = _run_in_production("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_https_and_hsts_follow_the_environment(transactional_db):
    probe = (
        "from django.test import Client; c = Client(); "
        "r = c.get('/api/schema/', HTTP_HOST='logitheque.example.gouv.fr'); "
        "s = c.get('/api/schema/', HTTP_HOST='logitheque.example.gouv.fr', secure=True); "
        "print(r.status_code, r.get('Location'), s.get('Strict-Transport-Security'))"
    )
    on = _run_in_production("shell", "--no-imports", "-c", probe)
    assert on.stdout.split() == [
        "301",
        "https://logitheque.example.gouv.fr/api/schema/",
        "max-age=31536000;",
        "includeSubDomains;",
        "preload",
    ], on.stderr[-2000:]
    off = _run_in_production(
        "shell", "--no-imports", "-c", probe, SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0"
    )
    assert off.stdout.split() == ["200", "None", "None"], off.stderr[-2000:]
