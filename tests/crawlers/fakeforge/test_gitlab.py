"""The GitLab dialect, read through the real python-gitlab and plain requests."""

from __future__ import annotations

import gitlab
import pytest
import requests


@pytest.fixture
def gitlab_com(forge) -> gitlab.Gitlab:
    return gitlab.Gitlab(url=forge.api_url("gitlab.com"))


@pytest.fixture
def instance(forge) -> gitlab.Gitlab:
    return gitlab.Gitlab(url=forge.api_url("gitlab.example.fr"))


def test_group_projects_include_every_subgroup_level_when_asked(gitlab_com):
    group = gitlab_com.groups.get("incubateur-territoires")

    everything = group.projects.list(include_subgroups=True, get_all=True)
    direct = group.projects.list(get_all=True)

    assert sorted(p.path_with_namespace for p in everything) == [
        "incubateur-territoires/mon-suivi",
        "incubateur-territoires/sub/deep/carte",
        "incubateur-territoires/sub/outil",
    ]
    assert [p.path for p in direct] == ["mon-suivi"]


def test_subgroup_is_reached_by_its_encoded_path(gitlab_com):
    parent = gitlab_com.groups.get("incubateur-territoires")
    sub = gitlab_com.groups.get("incubateur-territoires/sub")

    assert sub.full_path == "incubateur-territoires/sub"
    assert sub.parent_id == parent.id
    assert [g.full_path for g in parent.subgroups.list(get_all=True)] == [
        "incubateur-territoires/sub"
    ]
    assert [g.full_path for g in parent.descendant_groups.list(get_all=True)] == [
        "incubateur-territoires/sub",
        "incubateur-territoires/sub/deep",
    ]


def test_project_list_has_neither_license_nor_language(gitlab_com):
    group = gitlab_com.groups.get("incubateur-territoires")
    project = group.projects.list(get_all=True)[0]
    attributes = project.asdict()

    assert "license" not in attributes and "language" not in attributes
    assert attributes["namespace"]["full_path"] == "incubateur-territoires"
    assert attributes["web_url"] == "https://gitlab.com/incubateur-territoires/mon-suivi"
    assert (
        attributes["http_url_to_repo"] == "https://gitlab.com/incubateur-territoires/mon-suivi.git"
    )
    assert attributes["visibility"] == "public"
    assert "forked_from_project" not in attributes


def test_fork_names_its_upstream(gitlab_com):
    project = gitlab_com.projects.get("incubateur-territoires/sub/outil")

    assert project.forked_from_project["path_with_namespace"]


def test_license_and_languages_cost_their_own_requests(gitlab_com):
    project = gitlab_com.projects.get(101, license=True)

    assert project.license == {
        "key": "mit",
        "name": "MIT License",
        "nickname": None,
        "html_url": "https://opensource.org/licenses/MIT",
        "source_url": None,
    }
    assert "spdx_id" not in project.license
    assert project.languages() == {"Ruby": 100.0}
    assert "license" not in gitlab_com.projects.get(101).asdict()


def test_root_tree_and_raw_file(gitlab_com):
    project = gitlab_com.projects.get(101)

    tree = project.repository_tree(ref="main", get_all=True)
    readme = project.files.raw(file_path="README.md", ref="main")

    assert {item["name"] for item in tree} == {"README.md", "LICENSE", "CONTRIBUTING.md"}
    assert {item["type"] for item in tree} == {"blob"}
    assert readme.startswith(b"# Startups Mon Suivi")


def test_user_is_found_by_username_and_lists_its_projects(gitlab_com):
    (user,) = gitlab_com.users.list(username="someone")

    projects = gitlab_com.users.get(user.id).projects.list(get_all=True)

    assert user.username == "someone"
    assert [p.path for p in projects] == ["personal"]
    assert gitlab_com.users.list(username="incubateur-territoires") == []


def test_whole_instance_lists_every_project_with_offset_pages(forge, instance):
    projects = list(instance.projects.list(iterator=True, per_page=20))

    answer = requests.get(
        f"{forge.api_url('gitlab.example.fr')}/api/v4/projects", params={"per_page": 20}, timeout=5
    )

    assert len(projects) == 45 and len({p.id for p in projects}) == 45
    assert answer.headers["X-Total"] == "45"
    assert answer.headers["X-Total-Pages"] == "3"
    assert answer.headers["X-Page"] == "1" and answer.headers["X-Next-Page"] == "2"
    assert 'rel="next"' in answer.headers["Link"]
    assert answer.headers["Link"].startswith(
        f"<{forge.api_url('gitlab.example.fr')}/api/v4/projects?"
    )


def test_whole_instance_lists_every_project_with_keyset_pages(instance):
    projects = list(
        instance.projects.list(
            iterator=True, per_page=10, pagination="keyset", order_by="id", sort="asc"
        )
    )

    assert [p.id for p in projects] == list(range(1001, 1046))


def test_unknown_group_is_a_gitlab_style_404(forge, gitlab_com):
    answer = requests.get(f"{forge.api_url('gitlab.com')}/api/v4/groups/nobody", timeout=5)

    assert answer.status_code == 404
    assert answer.json() == {"message": "404 Not found"}
    with pytest.raises(gitlab.GitlabGetError):
        gitlab_com.groups.get("nobody")


def test_rate_limit_headers_are_gitlab_style(forge):
    answer = requests.get(f"{forge.api_url('gitlab.com')}/api/v4/projects/101", timeout=5)

    assert answer.headers["RateLimit-Limit"] == "100000"
    assert int(answer.headers["RateLimit-Remaining"]) == 100_000 - 1
    assert int(answer.headers["RateLimit-Reset"]) > 0
    assert "X-RateLimit-Remaining" not in answer.headers


def test_keyset_paging_also_walks_groups(forge):
    url = f"{forge.api_url('gitlab.com')}/api/v4/groups/incubateur-territoires/descendant_groups"

    first = requests.get(url, params={"pagination": "keyset", "per_page": 1}, timeout=5)
    second = requests.get(first.links["next"]["url"], timeout=5)

    assert [g["full_path"] for g in first.json() + second.json()] == [
        "incubateur-territoires/sub",
        "incubateur-territoires/sub/deep",
    ]
    assert "next" not in second.links
