"""The hostile seed: each dialect serves its values as given, ``served`` fields included."""

from __future__ import annotations

import pytest
import requests

from crawlers.fakeforge import FakeForge
from crawlers.fakeforge.hostile import DATA_URL, GITEA, GITHUB, GITLAB, JS_URL, SCRIPT, hostile_seed


@pytest.fixture(scope="module")
def hostile():
    with FakeForge(hostile_seed()) as forge:
        yield forge


def _json(forge: FakeForge, host: str, path: str):
    response = requests.get(f"{forge.api_url(host)}{path}", timeout=5)
    assert response.status_code == 200, path
    return response.json()


def test_served_fields_replace_the_urls_the_fake_forge_computes(hostile):
    [github] = _json(hostile, GITHUB, "/orgs/hostile/repos")
    assert (github["html_url"], github["clone_url"], github["homepage"]) == (
        JS_URL,
        DATA_URL,
        JS_URL,
    )
    projects = {p["id"]: p for p in _json(hostile, GITLAB, "/api/v4/projects")}
    assert projects[1]["web_url"] == JS_URL and projects[2]["http_url_to_repo"] == JS_URL
    assert _json(hostile, GITLAB, "/api/v4/projects/1")["web_url"] == JS_URL
    [gitea] = _json(hostile, GITEA, "/repos/search")["data"]
    assert gitea["html_url"] == "https://user:password@evil.example/"


def test_profiles_carry_markup_and_script_urls(hostile):
    organisation = _json(hostile, GITHUB, "/orgs/hostile")
    assert (organisation["name"], organisation["blog"]) == (SCRIPT, JS_URL)
    assert _json(hostile, GITEA, "/orgs/mairie")["website"] == DATA_URL
