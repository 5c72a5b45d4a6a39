"""The Gitea/Forgejo/Gogs client crawls the fake forge over HTTP."""

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
    GITEA,
    GITEA_ORG_REPOS,
    GOGS,
    PUBLICCODE,
    known_from,
    paths,
    statuses,
)

# Gitea caps pages at 50 items whatever the client asks: 70 repositories take two pages.
ORG_PAGES = 2


def org(forge, login="dinum") -> AccountRef:
    return AccountRef(api_url=forge.api_url(GITEA), kind="org", login=login)


def by_name(result, name):
    return next(r for r in result.repositories if r.name == name)


def test_organisation_is_listed_across_pages_at_the_request_floor(forge, make_client):
    result = make_client(GITEA).crawl_account(org(forge), known={})

    assert len(result.repositories) == GITEA_ORG_REPOS
    # Floor: profile + list pages + one root listing each + the two publiccode files.
    expected = 1 + ORG_PAGES + GITEA_ORG_REPOS + 2
    assert len(forge.requests) == expected
    assert result.stats.requests == expected
    assert paths(forge)[:3] == [
        "/api/v1/orgs/dinum",
        "/api/v1/orgs/dinum/repos",
        "/api/v1/orgs/dinum/repos",
    ]
    assert result.account.name == "DINUM"
    assert result.account.location == "Paris"


def test_repository_fields_and_details(forge, make_client):
    result = make_client(GITEA).crawl_account(org(forge), known={})

    repo = by_name(result, "appli-1")
    assert repo.full_name == "dinum/appli-1"
    assert repo.license_spdx == "AGPL-3.0"
    assert repo.language == "Python"
    assert repo.topics == ("open-data", "france")
    assert repo.details.root_files == RootFiles(readme=True, license=True, publiccode=True)
    assert repo.details.publiccode_text == PUBLICCODE
    assert repo.details.publiccode["developmentStatus"] == "stable"
    broken = by_name(result, "appli-2").details
    assert broken.publiccode is None and "YAML" in broken.publiccode_error
    assert by_name(result, "appli-4").details.root_files == RootFiles()


def test_unchanged_recrawl_is_all_not_modified_and_changed_repo_gets_details(forge, make_client):
    client = make_client(GITEA)
    first = client.crawl_account(org(forge), known={})
    forge.reset_log()

    second = client.crawl_account(org(forge), known=known_from(first))
    assert statuses(forge) == [304] * (1 + ORG_PAGES)
    assert all(r.details is None for r in second.repositories)

    forge.update_repository(GITEA, 12, topics=["nouveau"])
    forge.reset_log()
    third = client.crawl_account(org(forge), known=known_from(second))
    assert [r.forge_id for r in third.repositories if r.details is not None] == ["12"]
    assert by_name(third, "appli-12").topics == ("nouveau",)
    assert paths(forge)[-1] == "/api/v1/repos/dinum/appli-12/contents"


def test_user_account_and_user_registered_as_organisation(forge, make_client):
    client = make_client(GITEA)

    as_user = client.crawl_account(
        AccountRef(api_url=forge.api_url(GITEA), kind="user", login="bob"), known={}
    )
    as_org = client.crawl_account(org(forge, "bob"), known={})

    assert [r.name for r in as_user.repositories] == ["carnet"]
    assert [r.name for r in as_org.repositories] == ["carnet"]
    assert as_user.account.name == "Bob"


def test_whole_instance_is_listed_through_search(forge, make_client):
    account = AccountRef(api_url=forge.api_url(GITEA), kind="instance")

    result = make_client(GITEA).crawl_account(account, known={})

    assert result.account is None
    assert len(result.repositories) == GITEA_ORG_REPOS + 1
    assert paths(forge)[:2] == ["/api/v1/repos/search", "/api/v1/repos/search"]


def test_gogs_reads_publiccode_with_the_branch_in_the_path(forge, make_client):
    account = AccountRef(api_url=forge.api_url(GOGS), kind="org", login="mairie")

    result = make_client(GOGS).crawl_account(account, known={})

    assert len(result.repositories) == 2
    assert "/api/v1/repos/mairie/site-1/raw/main/publiccode.yml" in paths(forge)


def test_token_is_sent(forge, make_client):
    forge.tokens = {GITEA: "gitea-secret"}

    result = make_client(GITEA, token="gitea-secret").crawl_account(org(forge), known={})

    assert len(result.repositories) == GITEA_ORG_REPOS
    assert forge.requests[0].headers["Authorization"] == "token gitea-secret"


def test_missing_token_is_authentication_failure(forge, make_client):
    forge.tokens = {GITEA: "gitea-secret"}

    with pytest.raises(AuthenticationFailed):
        make_client(GITEA).crawl_account(org(forge), known={})


def test_removed_account_is_not_found(forge, make_client):
    forge.remove_account(GITEA, "dinum")

    with pytest.raises(AccountNotFound):
        make_client(GITEA).crawl_account(org(forge), known={})


def test_faults_are_retried_then_raised(forge, make_client, sleeps):
    forge.fault(GITEA, "server_error", times=2)
    forge.fault(GITEA, "truncated_json", path_contains="/repos", times=1)
    result = make_client(GITEA).crawl_account(org(forge), known={})
    assert len(result.repositories) == GITEA_ORG_REPOS
    assert result.stats.retries == 3

    forge.fault(GITEA, "server_error")
    with pytest.raises(ForgeUnavailable):
        make_client(GITEA, max_retries=2).crawl_account(org(forge), known={})
    forge.clear_faults()
    forge.fault(GITEA, "garbage")
    with pytest.raises(InvalidResponse):
        make_client(GITEA, max_retries=0).crawl_account(org(forge), known={})


def test_timeout_is_retried(forge, make_client):
    forge.fault(GITEA, "timeout", times=1, seconds=3)

    result = make_client(GITEA, timeout=0.5).crawl_account(org(forge), known={})

    assert result.stats.retries == 1
    assert len(result.repositories) == GITEA_ORG_REPOS


def test_rate_limits_wait_then_complete(forge, make_client, sleeps):
    forge.fault(GITEA, "rate_limit", times=1, seconds=60)
    forge.fault(GITEA, "secondary_rate_limit", times=1, seconds=9)

    result = make_client(GITEA).crawl_account(org(forge), known={})

    assert len(result.repositories) == GITEA_ORG_REPOS
    assert result.stats.rate_limit_waits == 2
    assert 40 <= sleeps[0] <= 62
    assert sleeps[1] == 9


def test_rate_limit_beyond_the_allowed_wait_is_raised(forge, make_client, sleeps):
    forge.fault(GITEA, "rate_limit", seconds=3600)

    with pytest.raises(RateLimitExceeded):
        make_client(GITEA, max_rate_limit_wait=60).crawl_account(org(forge), known={})
    assert sleeps == []


def test_repository_without_default_branch_gets_empty_root_files_without_a_listing(
    forge, make_client
):
    forge.add_repository(GITEA, {"id": 900, "owner": "dinum", "name": "vide", "default_branch": ""})

    result = make_client(GITEA).crawl_account(org(forge), known={})

    assert by_name(result, "vide").details.root_files == RootFiles()
    assert not any(p.startswith("/api/v1/repos/dinum/vide/") for p in paths(forge))
