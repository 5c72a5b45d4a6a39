"""The Gitea dialect, read with plain requests as our Gitea client does."""

from __future__ import annotations

import base64

import pytest
import requests


@pytest.fixture
def api(forge) -> str:
    return forge.api_url("git.example.fr")


def _all_pages(url: str, **params) -> list[dict]:
    items: list[dict] = []
    answer = requests.get(url, params=params, timeout=5)
    while True:
        body = answer.json()
        items += body["data"] if isinstance(body, dict) else body
        if "next" not in answer.links:
            return items
        answer = requests.get(answer.links["next"]["url"], timeout=5)


def test_api_url_ends_with_api_v1(forge):
    assert forge.api_url("git.example.fr") == f"{forge.base_url}/git.example.fr/api/v1"


def test_org_repositories_are_paged_by_at_most_50(api):
    answer = requests.get(f"{api}/orgs/dinum/repos", params={"limit": 500}, timeout=5)

    assert answer.status_code == 200
    assert len(answer.json()) == 50
    assert answer.headers["X-Total-Count"] == "60"
    assert answer.links["next"]["url"].startswith(f"{api}/orgs/dinum/repos?")
    assert len(_all_pages(f"{api}/orgs/dinum/repos", limit=50)) == 60


def test_whole_instance_search_wraps_results_and_lists_every_repository(api):
    answer = requests.get(f"{api}/repos/search", params={"limit": 50}, timeout=5)

    assert answer.json()["ok"] is True
    assert answer.headers["X-Total-Count"] == "61"
    names = {r["full_name"] for r in _all_pages(f"{api}/repos/search", limit=50)}
    assert len(names) == 61 and "agent/notes" in names


def test_repository_fields(api):
    repo = requests.get(f"{api}/repos/dinum/outil-1", timeout=5).json()

    assert repo["id"] == 5001
    assert repo["owner"]["login"] == "dinum"
    assert repo["html_url"] == "https://git.example.fr/dinum/outil-1"
    assert repo["clone_url"] == "https://git.example.fr/dinum/outil-1.git"
    assert repo["private"] is False and repo["fork"] is False and repo["template"] is False
    assert repo["default_branch"] == "main"


def test_user_and_org_profiles(api):
    assert requests.get(f"{api}/orgs/dinum", timeout=5).json()["username"] == "dinum"
    assert requests.get(f"{api}/users/agent", timeout=5).json()["login"] == "agent"
    assert requests.get(f"{api}/orgs/agent", timeout=5).status_code == 404
    assert [r["name"] for r in requests.get(f"{api}/users/agent/repos", timeout=5).json()] == [
        "notes"
    ]


def test_contents_listing_raw_file_and_base64_file(api):
    listing = requests.get(f"{api}/repos/dinum/outil-1/contents", timeout=5).json()
    raw = requests.get(f"{api}/repos/dinum/outil-1/raw/README.md", timeout=5)
    encoded = requests.get(f"{api}/repos/dinum/outil-1/contents/README.md", timeout=5).json()

    assert [(e["name"], e["type"]) for e in listing] == [("README.md", "file")]
    assert raw.text.startswith("# outil-1")
    assert base64.b64decode(encoded["content"]).decode() == raw.text


def test_unknown_repository_is_404(api):
    assert requests.get(f"{api}/repos/dinum/nothing", timeout=5).status_code == 404
