"""The GitHub client crawls the fake forge through the real PyGithub over HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from crawlers.base import (
    AccountNotFound,
    AuthenticationFailed,
    CrawlerError,
    ForgeUnavailable,
    InvalidResponse,
    RateLimitExceeded,
)
from crawlers.records import AccountRef, RootFiles
from tests.crawlers.conftest import (
    GITHUB,
    GITHUB_ORG_REPOS,
    PUBLICCODE,
    known_from,
    paths,
    statuses,
)

ORG_PAGES = 2  # 150 repositories, 100 a page


def org(forge) -> AccountRef:
    return AccountRef(api_url=forge.api_url(GITHUB), kind="org", login="etalab")


def by_name(result, name):
    return next(r for r in result.repositories if r.name == name)


def test_organisation_is_listed_whole_with_the_request_floor(forge, make_client):
    result = make_client(GITHUB).crawl_account(org(forge), known={})

    assert len(result.repositories) == GITHUB_ORG_REPOS
    assert {r.forge_id for r in result.repositories} == {
        str(i) for i in range(1, GITHUB_ORG_REPOS + 1)
    }
    # Floor: profile + list pages + one root listing each + the two publiccode files.
    expected = 1 + ORG_PAGES + GITHUB_ORG_REPOS + 2
    assert len(forge.requests) == expected
    assert result.stats.requests == expected
    assert paths(forge)[:3] == [
        "/api/v3/orgs/etalab",
        "/api/v3/orgs/etalab/repos",
        "/api/v3/orgs/etalab/repos",
    ]
    assert forge.requests[1].query["per_page"] == "100"
    assert all(not p.endswith(("/languages", "/projects/1")) for p in paths(forge))


def test_organisation_profile_is_read(forge, make_client):
    result = make_client(GITHUB).crawl_account(org(forge), known={})

    account = result.account
    assert account.login == "etalab"
    assert account.name == "Etalab"
    assert account.description == "Administrateur général des données"
    assert account.website == "https://www.etalab.gouv.fr"
    assert account.email == "contact@etalab.gouv.fr"
    assert account.followers == 10
    assert account.created_at == dt.datetime(2014, 1, 1, tzinfo=dt.UTC)


def test_repository_fields_are_normalised(forge, make_client):
    result = make_client(GITHUB).crawl_account(org(forge), known={})

    repo = by_name(result, "projet-1")
    assert repo.forge_id == "1"
    assert repo.owner == "etalab"
    assert repo.full_name == "etalab/projet-1"
    assert repo.html_url == "https://github.com/etalab/projet-1"
    assert repo.description == "Dépôt projet-1"
    assert repo.license_spdx == "AGPL-3.0"
    assert repo.license_name == "GNU Affero General Public License v3.0"
    assert repo.language == "Python"
    assert repo.topics == ("open-data", "france")
    assert repo.stars == 1 and repo.forks == 1
    assert repo.pushed_at == dt.datetime(2024, 5, 2, 7, 30, tzinfo=dt.UTC)
    assert repo.updated_at.tzinfo is dt.UTC
    assert repo.change_key == "2024-05-02T09:30:00+02:00|2024-05-01T08:00:00Z"


def test_root_files_and_publiccode_are_read_for_new_repositories(forge, make_client):
    result = make_client(GITHUB).crawl_account(org(forge), known={})

    first = by_name(result, "projet-1").details
    assert first.root_files == RootFiles(readme=True, license=True, publiccode=True)
    assert first.publiccode_text == PUBLICCODE
    assert first.publiccode["name"] == "udata"
    assert first.publiccode["releaseDate"] == "2024-03-01"
    assert first.publiccode_error == ""
    assert first.license_spdx == "AGPL-3.0"

    third = by_name(result, "projet-3").details
    assert third.root_files == RootFiles(license=True, contributing=True, changelog=True)


def test_invalid_publiccode_is_reported_not_raised(forge, make_client):
    result = make_client(GITHUB).crawl_account(org(forge), known={})

    broken = by_name(result, "projet-2").details
    assert broken.root_files.publiccode is True
    assert broken.publiccode is None
    assert "not valid YAML" in broken.publiccode_error
    assert broken.publiccode_text.startswith("name: [unclosed")


def test_empty_repository_gives_empty_root_files(forge, make_client):
    result = make_client(GITHUB).crawl_account(org(forge), known={})

    assert by_name(result, "projet-4").details.root_files == RootFiles()


def test_unchanged_recrawl_is_all_not_modified_and_fetches_no_details(forge, make_client):
    client = make_client(GITHUB)
    first = client.crawl_account(org(forge), known={})
    forge.reset_log()

    second = client.crawl_account(org(forge), known=known_from(first))

    assert len(forge.requests) == 1 + ORG_PAGES
    assert statuses(forge) == [304] * (1 + ORG_PAGES)
    assert second.stats.not_modified == 1 + ORG_PAGES
    assert all(r.details is None for r in second.repositories)
    assert len(second.repositories) == GITHUB_ORG_REPOS
    assert second.account.name == "Etalab"


def test_changed_repository_alone_gets_details_again(forge, make_client):
    client = make_client(GITHUB)
    first = client.crawl_account(org(forge), known={})
    forge.update_repository(GITHUB, 7, description="Nouvelle description")
    forge.reset_log()

    second = client.crawl_account(org(forge), known=known_from(first))

    changed = [r for r in second.repositories if r.details is not None]
    assert [r.forge_id for r in changed] == ["7"]
    assert by_name(second, "projet-7").description == "Nouvelle description"
    assert paths(forge)[-1] == "/api/v3/repos/etalab/projet-7/contents/"
    assert len(forge.requests) == 1 + ORG_PAGES + 1


def test_user_account_is_listed(forge, make_client):
    account = AccountRef(api_url=forge.api_url(GITHUB), kind="user", login="jdoe")

    result = make_client(GITHUB).crawl_account(account, known={})

    assert sorted(r.name for r in result.repositories) == ["perso-1", "perso-2", "perso-3"]
    assert result.account.name == "Jeanne Doe"
    assert paths(forge)[:2] == ["/api/v3/users/jdoe", "/api/v3/users/jdoe/repos"]


def test_user_registered_as_organisation_is_still_crawled(forge, make_client):
    account = AccountRef(api_url=forge.api_url(GITHUB), kind="org", login="jdoe")

    result = make_client(GITHUB).crawl_account(account, known={})

    assert len(result.repositories) == 3
    assert paths(forge)[:3] == [
        "/api/v3/orgs/jdoe",
        "/api/v3/users/jdoe",
        "/api/v3/users/jdoe/repos",
    ]


def test_token_is_sent_and_required_tokens_work(forge, make_client):
    forge.tokens = {GITHUB: "secret"}

    result = make_client(GITHUB, token="secret").crawl_account(org(forge), known={})

    assert len(result.repositories) == GITHUB_ORG_REPOS
    assert forge.requests[0].headers["Authorization"] == "token secret"


def test_missing_token_is_authentication_failure(forge, make_client):
    forge.tokens = {GITHUB: "secret"}

    with pytest.raises(AuthenticationFailed):
        make_client(GITHUB).crawl_account(org(forge), known={})


def test_removed_account_is_not_found(forge, make_client):
    forge.remove_account(GITHUB, "etalab")

    with pytest.raises(AccountNotFound):
        make_client(GITHUB).crawl_account(org(forge), known={})


def test_server_errors_are_retried_then_the_crawl_completes(forge, make_client, sleeps):
    forge.fault(GITHUB, "server_error", path_contains="/repos", times=2)

    result = make_client(GITHUB).crawl_account(org(forge), known={})

    assert len(result.repositories) == GITHUB_ORG_REPOS
    assert result.stats.retries == 2
    assert statuses(forge)[1:4] == [500, 502, 200]
    assert len(sleeps) == 2


def test_permanent_server_error_is_forge_unavailable(forge, make_client):
    forge.fault(GITHUB, "server_error")

    with pytest.raises(ForgeUnavailable):
        make_client(GITHUB, max_retries=2).crawl_account(org(forge), known={})
    assert len(forge.requests) == 3


def test_timeout_is_retried(forge, make_client):
    forge.fault(GITHUB, "timeout", times=1, seconds=3)

    result = make_client(GITHUB, timeout=0.5).crawl_account(org(forge), known={})

    assert result.stats.retries == 1
    assert result.account.login == "etalab"


def test_truncated_json_is_retried_then_invalid_response(forge, make_client):
    forge.fault(GITHUB, "truncated_json", path_contains="/repos", times=1)
    result = make_client(GITHUB).crawl_account(org(forge), known={})
    assert len(result.repositories) == GITHUB_ORG_REPOS
    assert result.stats.retries == 1

    forge.fault(GITHUB, "truncated_json")
    with pytest.raises(InvalidResponse):
        make_client(GITHUB, max_retries=1).crawl_account(org(forge), known={})


def test_html_garbage_is_invalid_response(forge, make_client):
    forge.fault(GITHUB, "garbage")

    with pytest.raises(InvalidResponse, match="HTML"):
        make_client(GITHUB, max_retries=1).crawl_account(org(forge), known={})


def test_rate_limit_waits_until_reset_then_completes(forge, make_client, sleeps):
    forge.fault(GITHUB, "rate_limit", path_contains="/repos", times=1, seconds=120)

    result = make_client(GITHUB).crawl_account(org(forge), known={})

    assert len(result.repositories) == GITHUB_ORG_REPOS
    assert result.stats.rate_limit_waits == 1
    assert 100 <= sleeps[0] <= 122


def test_rate_limit_longer_than_allowed_is_raised(forge, make_client):
    forge.fault(GITHUB, "rate_limit", seconds=7200)

    with pytest.raises(RateLimitExceeded):
        make_client(GITHUB, max_rate_limit_wait=600).crawl_account(org(forge), known={})


def test_secondary_rate_limit_waits_retry_after(forge, make_client, sleeps):
    forge.fault(GITHUB, "secondary_rate_limit", times=1, seconds=42)

    result = make_client(GITHUB).crawl_account(org(forge), known={})

    assert sleeps[0] == 42
    assert result.stats.rate_limit_waits == 1
    assert len(result.repositories) == GITHUB_ORG_REPOS


def test_whole_instance_is_refused_with_a_crawler_error(forge, make_client):
    account = AccountRef(api_url=forge.api_url(GITHUB), kind="instance")

    with pytest.raises(CrawlerError):
        make_client(GITHUB).crawl_account(account, known={})
