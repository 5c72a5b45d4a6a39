"""The GitLab client crawls the fake forge through the real python-gitlab over HTTP."""

from __future__ import annotations

import pytest

from crawlers.base import (
    AccountNotFound,
    AuthenticationFailed,
    ForgeUnavailable,
    InvalidResponse,
    RateLimitExceeded,
)
from crawlers.records import AccountRef, RootFiles
from tests.crawlers.conftest import (
    GITLAB,
    GITLAB_GROUP_REPOS,
    GITLAB_SUBGROUP_REPOS,
    PUBLICCODE,
    known_from,
    paths,
    statuses,
)

GROUP_REPOS = GITLAB_GROUP_REPOS + GITLAB_SUBGROUP_REPOS  # 130: two pages of 100
GROUP_PAGES = 2
# Per new or changed project: project with license, languages, root tree.
DETAIL_REQUESTS = 3


def group(forge, login="incubateur") -> AccountRef:
    return AccountRef(api_url=forge.api_url(GITLAB), kind="group", login=login)


def by_name(result, name):
    return next(r for r in result.repositories if r.name == name)


def test_group_is_listed_with_its_subgroups_at_the_request_floor(forge, make_client):
    result = make_client(GITLAB).crawl_account(group(forge), known={})

    assert len(result.repositories) == GROUP_REPOS
    owners = {r.owner for r in result.repositories}
    assert owners == {"incubateur", "incubateur/equipe"}
    # Floor: profile + list pages + three detail calls each + the two publiccode files (ids 1, 2).
    expected = 1 + GROUP_PAGES + DETAIL_REQUESTS * GROUP_REPOS + 2
    assert len(forge.requests) == expected
    assert result.stats.requests == expected
    listing = forge.requests[1]
    assert listing.path == "/api/v4/groups/incubateur/projects"
    assert listing.query["include_subgroups"] == "true"
    assert listing.query["per_page"] == "100"


def test_license_and_languages_are_fetched_for_new_projects(forge, make_client):
    result = make_client(GITLAB).crawl_account(group(forge), known={})

    repo = by_name(result, "service-5")
    assert repo.license_spdx == "AGPL-3.0"
    assert repo.language == "Python"
    assert repo.details.license_spdx == "AGPL-3.0"
    assert repo.details.license_name == "GNU Affero General Public License v3.0"
    assert repo.details.language == "Python"
    assert repo.details.languages == {"Python": 75.0, "HTML": 25.0}
    project_calls = [e for e in forge.requests if e.path == "/api/v4/projects/5"]
    assert [e.query for e in project_calls] == [{"license": "true"}]


def test_project_fields_are_normalised(forge, make_client):
    result = make_client(GITLAB).crawl_account(group(forge), known={})

    repo = by_name(result, "outil-3")
    assert repo.forge_id == "103"
    assert repo.full_name == "incubateur/equipe/outil-3"
    assert repo.owner == "incubateur/equipe"
    assert repo.html_url == "https://gitlab.com/incubateur/equipe/outil-3"
    assert repo.topics == ("open-data", "france")
    assert repo.stars == 103 % 7
    assert repo.pushed_at is not None and repo.pushed_at.utcoffset().total_seconds() == 0
    assert repo.details.root_files == RootFiles(readme=True)
    third = by_name(result, "service-3").details
    assert third.root_files == RootFiles(license=True, contributing=True, changelog=True)
    assert by_name(result, "service-4").details.root_files == RootFiles()


def test_publiccode_is_parsed_and_invalid_one_reported(forge, make_client):
    result = make_client(GITLAB).crawl_account(group(forge), known={})

    good = by_name(result, "service-1").details
    assert good.root_files.publiccode is True
    assert good.publiccode_text == PUBLICCODE
    assert good.publiccode["legal"] == {"license": "AGPL-3.0-or-later"}
    broken = by_name(result, "service-2").details
    assert broken.publiccode is None
    assert broken.publiccode_error.startswith("publiccode.yml is not valid YAML")


def test_unchanged_recrawl_is_all_not_modified_and_fetches_no_details(forge, make_client):
    client = make_client(GITLAB)
    first = client.crawl_account(group(forge), known={})
    forge.reset_log()

    second = client.crawl_account(group(forge), known=known_from(first))

    assert statuses(forge) == [304] * (1 + GROUP_PAGES)
    assert second.stats.not_modified == 1 + GROUP_PAGES
    assert all(r.details is None for r in second.repositories)
    # Without details, license and language are left to what the last details fetch stored.
    assert by_name(second, "service-5").license_spdx == ""


def test_changed_project_gets_license_and_languages_again(forge, make_client):
    client = make_client(GITLAB)
    first = client.crawl_account(group(forge), known={})
    forge.update_repository(
        GITLAB, 8, license={"key": "mit", "name": "MIT License"}, languages={"Go": 100.0}
    )
    forge.reset_log()

    second = client.crawl_account(group(forge), known=known_from(first))

    changed = [r for r in second.repositories if r.details is not None]
    assert [r.forge_id for r in changed] == ["8"]
    assert changed[0].license_spdx == "MIT"
    assert changed[0].language == "Go"
    assert paths(forge)[-DETAIL_REQUESTS:] == [
        "/api/v4/projects/8",
        "/api/v4/projects/8/languages",
        "/api/v4/projects/8/repository/tree",
    ]
    assert len(forge.requests) == 1 + GROUP_PAGES + DETAIL_REQUESTS


def test_star_change_alone_changes_the_change_key(forge, make_client):
    client = make_client(GITLAB)
    first = client.crawl_account(group(forge), known={})
    forge.update_repository(
        GITLAB,
        9,
        stars=99,
        updated_at="2024-05-01T08:00:00Z",
        pushed_at="2024-05-02T09:30:00+02:00",
    )

    second = client.crawl_account(group(forge), known=known_from(first))

    assert [r.forge_id for r in second.repositories if r.details is not None] == ["9"]


def test_user_account_is_listed(forge, make_client):
    account = AccountRef(api_url=forge.api_url(GITLAB), kind="user", login="alice")

    result = make_client(GITLAB).crawl_account(account, known={})

    assert sorted(r.name for r in result.repositories) == ["notes-1", "notes-2"]
    assert result.account.email == "alice@example.fr"
    assert paths(forge)[0] == "/api/v4/users"
    assert paths(forge)[1].endswith("/projects")


def test_unknown_user_is_not_found(forge, make_client):
    account = AccountRef(api_url=forge.api_url(GITLAB), kind="user", login="nobody")

    with pytest.raises(AccountNotFound):
        make_client(GITLAB).crawl_account(account, known={})


def test_whole_instance_lists_every_project_with_keyset_paging(forge, make_client):
    account = AccountRef(api_url=forge.api_url(GITLAB), kind="instance")

    result = make_client(GITLAB).crawl_account(account, known={})

    assert result.account is None
    assert len(result.repositories) == GROUP_REPOS + 2
    listings = [e for e in forge.requests if e.path == "/api/v4/projects"]
    assert len(listings) == 2
    assert listings[0].query["pagination"] == "keyset"


def test_subgroup_alone_can_be_crawled(forge, make_client):
    result = make_client(GITLAB).crawl_account(group(forge, "incubateur/equipe"), known={})

    assert len(result.repositories) == GITLAB_SUBGROUP_REPOS
    assert result.account.login == "incubateur/equipe"


def test_token_is_sent_as_private_token(forge, make_client):
    forge.tokens = {GITLAB: "glpat-secret"}

    result = make_client(GITLAB, token="glpat-secret").crawl_account(group(forge), known={})

    assert len(result.repositories) == GROUP_REPOS
    assert forge.requests[0].headers["PRIVATE-TOKEN"] == "glpat-secret"


def test_unauthorized_is_authentication_failure(forge, make_client):
    forge.fault(GITLAB, "unauthorized")

    with pytest.raises(AuthenticationFailed):
        make_client(GITLAB).crawl_account(group(forge), known={})


def test_removed_group_is_not_found(forge, make_client):
    forge.remove_account(GITLAB, "incubateur")

    with pytest.raises(AccountNotFound):
        make_client(GITLAB).crawl_account(group(forge), known={})


def test_server_errors_are_retried_then_the_crawl_completes(forge, make_client, sleeps):
    forge.fault(GITLAB, "server_error", path_contains="/projects", times=3)

    result = make_client(GITLAB).crawl_account(group(forge), known={})

    assert len(result.repositories) == GROUP_REPOS
    assert result.stats.retries == 3
    assert len(sleeps) == 3


def test_permanent_server_error_is_forge_unavailable(forge, make_client):
    forge.fault(GITLAB, "server_error")

    with pytest.raises(ForgeUnavailable):
        make_client(GITLAB, max_retries=1).crawl_account(group(forge), known={})


def test_timeout_is_retried(forge, make_client):
    forge.fault(GITLAB, "timeout", path_contains="/projects", times=1, seconds=3)

    result = make_client(GITLAB, timeout=0.5).crawl_account(group(forge), known={})

    assert result.stats.retries == 1
    assert len(result.repositories) == GROUP_REPOS


def test_truncated_json_and_garbage_are_invalid_responses(forge, make_client):
    forge.fault(GITLAB, "truncated_json", path_contains="/projects")
    with pytest.raises(InvalidResponse, match="JSON"):
        make_client(GITLAB, max_retries=1).crawl_account(group(forge), known={})

    forge.clear_faults()
    forge.fault(GITLAB, "garbage")
    with pytest.raises(InvalidResponse, match="HTML"):
        make_client(GITLAB, max_retries=1).crawl_account(group(forge), known={})


def test_rate_limit_429_waits_until_reset(forge, make_client, sleeps):
    forge.fault(GITLAB, "rate_limit", path_contains="/projects", times=1, seconds=30)

    result = make_client(GITLAB).crawl_account(group(forge), known={})

    assert len(result.repositories) == GROUP_REPOS
    assert result.stats.rate_limit_waits == 1
    assert 10 <= sleeps[0] <= 32


def test_secondary_rate_limit_waits_retry_after(forge, make_client, sleeps):
    forge.fault(GITLAB, "secondary_rate_limit", times=1, seconds=17)

    result = make_client(GITLAB).crawl_account(group(forge), known={})

    assert sleeps == [17]
    assert result.account.login == "incubateur"


def test_endless_rate_limit_is_raised_not_waited_forever(forge, make_client, sleeps):
    forge.fault(GITLAB, "secondary_rate_limit", seconds=5)

    with pytest.raises(RateLimitExceeded):
        make_client(GITLAB).crawl_account(group(forge), known={})
    assert len(sleeps) == 5


def test_project_without_default_branch_gets_empty_root_files_without_a_tree_request(
    forge, make_client
):
    forge.add_repository(
        GITLAB, {"id": 900, "owner": "incubateur", "name": "vide", "default_branch": ""}
    )

    result = make_client(GITLAB).crawl_account(group(forge), known={})

    assert by_name(result, "vide").details.root_files == RootFiles()
    assert "/api/v4/projects/900/repository/tree" not in paths(forge)
    assert "/api/v4/projects/900/languages" in paths(forge)
