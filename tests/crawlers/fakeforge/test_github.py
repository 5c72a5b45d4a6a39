"""The GitHub dialect, read through the real PyGithub and plain requests."""

from __future__ import annotations

import re

import pytest
import requests
from github import UnknownObjectException

from tests.crawlers.fakeforge.conftest import ORG_REPOSITORIES


def test_org_repositories_are_listed_across_pages_by_pygithub(github_client):
    repos = list(github_client.get_organization("etalab").get_repos())

    assert len(repos) == ORG_REPOSITORIES
    assert len({r.id for r in repos}) == ORG_REPOSITORIES


def test_list_pages_carry_absolute_link_headers_on_the_same_prefix(forge):
    url = f"{forge.api_url('github.com')}/orgs/etalab/repos"

    first = requests.get(url, params={"per_page": 100}, timeout=5)
    links = dict(
        (rel, target)
        for target, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', first.headers["Link"])
    )
    middle = requests.get(links["next"], timeout=5)
    last = requests.get(links["last"], timeout=5)

    assert set(links) == {"next", "last"}
    assert links["next"].startswith(f"{forge.api_url('github.com')}/orgs/etalab/repos?")
    assert "page=2" in links["next"] and "per_page=100" in links["next"]
    assert "page=3" in links["last"]
    assert len(first.json()) == len(middle.json()) == 100
    assert len(last.json()) == ORG_REPOSITORIES - 200
    assert 'rel="prev"' in last.headers["Link"] and 'rel="next"' not in last.headers["Link"]


def test_single_page_has_no_link_header(forge):
    answer = requests.get(f"{forge.api_url('github.com')}/users/jdoe/repos", timeout=5)

    assert answer.status_code == 200
    assert "Link" not in answer.headers


def test_repository_carries_the_fields_the_crawler_reads(github_client):
    repo = github_client.get_repo("etalab/udata")

    assert (repo.id, repo.name, repo.full_name) == (1, "udata", "etalab/udata")
    assert repo.owner.login == "etalab" and repo.owner.type == "Organization"
    assert repo.html_url == "https://github.com/etalab/udata"
    assert repo.clone_url == "https://github.com/etalab/udata.git"
    assert repo.license.spdx_id == "AGPL-3.0" and repo.license.key == "agpl-3.0"
    assert repo.topics == ["Open-Data"]
    assert (repo.stargazers_count, repo.forks_count, repo.open_issues_count) == (5, 2, 1)
    assert repo.subscribers_count == 3
    assert (repo.fork, repo.archived, repo.is_template) == (False, False, False)
    assert repo.language == "Python" and repo.default_branch == "main"
    assert repo.visibility == "public" and repo.private is False
    assert repo.pushed_at.isoformat() == "2021-06-02T00:00:00+00:00"


def test_listed_repository_needs_no_extra_request(forge, github_client):
    repo = next(r for r in github_client.get_organization("etalab").get_repos() if r.id == 1)
    forge.reset_log()

    assert repo.license.spdx_id == "AGPL-3.0"
    assert repo.subscribers_count == 3
    assert forge.requests == []


def test_org_requested_as_user_answers_as_organization(github_client):
    user = github_client.get_user("etalab")

    assert user.type == "Organization"
    assert user.get_repos().totalCount == ORG_REPOSITORIES


def test_user_is_not_an_org(github_client):
    assert github_client.get_user("jdoe").type == "User"
    with pytest.raises(UnknownObjectException):
        github_client.get_organization("jdoe")


def test_org_profile_comes_from_the_seed(github_client):
    org = github_client.get_organization("etalab")

    assert (org.name, org.location, org.followers) == ("Etalab", "Paris", 10)
    assert org.public_repos == ORG_REPOSITORIES


def test_root_listing_and_file_contents_read_like_github(github_client):
    repo = github_client.get_repo("etalab/udata")

    root = {c.name: c.type for c in repo.get_contents("")}
    publiccode = repo.get_contents("publiccode.yml")

    assert root == {"docs": "dir", "LICENSE": "file", "publiccode.yml": "file", "README.md": "file"}
    assert publiccode.decoded_content == b"publiccodeYmlVersion: '0.4'\nname: udata\n"
    assert "Affero" in repo.get_contents("LICENSE").decoded_content.decode()


def test_languages_are_byte_counts_in_the_seeded_proportions(github_client):
    languages = github_client.get_repo("etalab/udata").get_languages()

    assert languages["Python"] == 4 * languages["HTML"]


def test_unknown_path_is_a_github_style_404(forge):
    answer = requests.get(f"{forge.api_url('github.com')}/orgs/nobody", timeout=5)

    assert answer.status_code == 404
    assert answer.json()["message"] == "Not Found"


def test_rate_limit_endpoint_reports_the_window_and_costs_nothing(github_client):
    github_client.get_organization("etalab")

    first = github_client.get_rate_limit().resources.core
    second = github_client.get_rate_limit().resources.core

    assert first.limit == 100_000
    assert first.remaining == second.remaining == first.limit - 1
