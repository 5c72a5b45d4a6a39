"""account_crawl: one account from the fake forge, through the real clients, into the database."""

import pytest

from inventory.forges.models import AccountCrawl, CrawlStatus, HttpCacheEntry, Repository
from inventory.forges.services.crawl import account_crawl

from .conftest import MANY


def crawl(account) -> AccountCrawl:
    return account_crawl(account_id=account.pk)


def stored(host: str, remote_id: int) -> Repository:
    return Repository.objects.get(forge__host=host, remote_id=str(remote_id))


def test_first_crawl_of_a_github_organisation_stores_its_repositories_with_metadata(
    crawled_accounts,
):
    etalab = crawled_accounts["github.com/etalab"]

    result = crawl(etalab)

    assert result.status == CrawlStatus.SUCCESS, result.error
    assert (result.repositories_seen, result.repositories_new, result.repositories_gone) == (
        3,
        3,
        0,
    )
    assert result.requests > 0
    udata = stored("github.com", 101)
    assert udata.account == etalab
    assert (udata.owner, udata.name, udata.full_name) == ("etalab", "udata", "etalab/udata")
    assert udata.html_url.endswith("/etalab/udata")
    assert (udata.language, udata.license_spdx) == ("Python", "AGPL-3.0")
    assert udata.topics == ["open-data", "python"]
    assert (udata.stars, udata.forks, udata.homepage) == (5, 2, "https://udata.fr")
    assert (udata.has_readme, udata.has_license_file, udata.has_publiccode) == (True, True, True)
    assert udata.publiccode_text.startswith("publiccodeYmlVersion")
    assert udata.publiccode["name"] == "udata"
    assert udata.created_at.isoformat() == "2020-01-01T00:00:00+00:00"
    assert udata.first_seen_at == udata.last_seen_at and udata.gone_at is None
    schema = stored("github.com", 102)
    assert (schema.has_contributing, schema.has_changelog, schema.has_publiccode) == (
        True,
        True,
        False,
    )
    assert stored("github.com", 103).is_archived is True


def test_crawl_refreshes_the_accounts_public_profile(crawled_accounts):
    etalab = crawled_accounts["github.com/etalab"]

    crawl(etalab)

    etalab.refresh_from_db()
    assert (etalab.name, etalab.location) == ("Etalab", "Paris")
    assert etalab.description == "Open data and free software at the DINUM"
    assert etalab.website == "https://www.etalab.gouv.fr"
    assert etalab.public_email == "info@data.gouv.fr"
    assert etalab.followers == 10
    assert etalab.forge_created_at.year == 2014
    assert etalab.last_crawl_status == CrawlStatus.SUCCESS
    assert etalab.last_crawled_at is not None and etalab.last_crawl_error == ""


def test_gitlab_group_crawl_includes_subgroups_and_fetches_license_and_languages(
    crawled_accounts,
):
    group = crawled_accounts["gitlab.com/incubateur-territoires"]

    result = crawl(group)

    assert result.status == CrawlStatus.SUCCESS, result.error
    assert result.repositories_new == 2
    decidim = stored("gitlab.com", 401)
    assert (decidim.license_spdx, decidim.language) == ("EUPL-1.2", "Ruby")
    assert decidim.languages == {"Ruby": 90.0, "JavaScript": 10.0}
    carto = stored("gitlab.com", 402)
    assert (carto.owner, carto.account) == ("incubateur-territoires/sub", group)


def test_whole_gitea_instance_crawl_stores_every_public_repository(crawled_accounts):
    instance = crawled_accounts["git.example.fr"]

    result = crawl(instance)

    assert result.status == CrawlStatus.SUCCESS, result.error
    assert set(Repository.objects.filter(account=instance).values_list("full_name", flat=True)) == {
        "dinum/tool",
        "dinum/other",
    }


def test_unchanged_recrawl_finds_nothing_new_and_is_answered_mostly_by_304s(crawled_accounts):
    big = crawled_accounts["gitlab.com/numerique-gouv"]
    first = crawl(big)
    assert first.repositories_new == MANY

    second = crawl(big)

    assert second.status == CrawlStatus.SUCCESS, second.error
    assert (second.repositories_seen, second.repositories_new, second.repositories_updated) == (
        MANY,
        0,
        0,
    )
    assert second.requests < first.requests / 10
    assert second.not_modified >= 0.9 * second.requests
    assert HttpCacheEntry.objects.filter(account=big).exists()


def test_gitlab_recrawl_keeps_license_and_language_without_fetching_them_again(
    crawled_accounts, fake_forge
):
    group = crawled_accounts["gitlab.com/incubateur-territoires"]
    crawl(group)
    fake_forge.reset_log()

    crawl(group)

    assert not [r for r in fake_forge.requests if "languages" in r.path or "license" in r.query]
    assert stored("gitlab.com", 401).license_spdx == "EUPL-1.2"
    assert stored("gitlab.com", 402).language == "Vue"


def test_recrawl_after_changes_records_new_updated_renamed_and_gone_repositories(
    crawled_accounts, fake_forge
):
    etalab = crawled_accounts["github.com/etalab"]
    crawl(etalab)
    first_seen = stored("github.com", 101).first_seen_at
    fake_forge.add_repository(
        "github.com",
        {"id": 104, "owner": "etalab", "name": "new-one", "created_at": "2025-01-01T00:00:00Z"},
    )
    fake_forge.update_repository("github.com", 101, stars=50, description="Open data portal")
    fake_forge.rename_repository("github.com", 102, "schemas")
    fake_forge.remove_repository("github.com", 103)

    result = crawl(etalab)

    assert result.status == CrawlStatus.SUCCESS, result.error
    assert (result.repositories_seen, result.repositories_new) == (3, 1)
    assert (result.repositories_updated, result.repositories_gone) == (2, 1)
    udata = stored("github.com", 101)
    assert (udata.stars, udata.description, udata.first_seen_at) == (
        50,
        "Open data portal",
        first_seen,
    )
    renamed = stored("github.com", 102)
    assert (renamed.name, renamed.full_name) == ("schemas", "etalab/schemas")
    gone = stored("github.com", 103)
    assert gone.gone_at is not None and gone.full_name == "etalab/old-site"
    assert stored("github.com", 104).name == "new-one"


def test_repository_coming_back_is_revived(crawled_accounts, fake_forge):
    etalab = crawled_accounts["github.com/etalab"]
    crawl(etalab)
    fake_forge.remove_repository("github.com", 103)
    crawl(etalab)
    fake_forge.add_repository(
        "github.com", {"id": 103, "owner": "etalab", "name": "old-site", "archived": True}
    )

    result = crawl(etalab)

    assert (result.repositories_revived, result.repositories_new) == (1, 0)
    assert stored("github.com", 103).gone_at is None


def test_repository_transferred_between_our_accounts_follows_its_new_owner(
    crawled_accounts, fake_forge
):
    etalab = crawled_accounts["github.com/etalab"]
    betagouv = crawled_accounts["github.com/betagouv"]
    crawl(etalab)
    crawl(betagouv)
    fake_forge.rename_repository("github.com", 101, "udata", new_owner="betagouv")

    to_result = crawl(betagouv)
    from_result = crawl(etalab)

    assert (to_result.repositories_new, to_result.repositories_updated) == (0, 1)
    assert from_result.repositories_gone == 0
    udata = stored("github.com", 101)
    assert (udata.account, udata.full_name, udata.gone_at) == (betagouv, "betagouv/udata", None)
    assert Repository.objects.filter(remote_id="101").count() == 1


FAULTS = [
    pytest.param("server_error", "unavailable", id="5xx-after-retries"),
    pytest.param("timeout", "unavailable", id="timeout"),
    pytest.param("truncated_json", "invalid_response", id="truncated-json"),
    pytest.param("garbage", "invalid_response", id="html-garbage"),
    pytest.param("unauthorized", "unauthorized", id="401"),
]


@pytest.mark.parametrize(("fault", "error_kind"), FAULTS)
def test_forge_fault_fails_the_account_but_keeps_its_repositories(
    crawled_accounts, fake_forge, fault, error_kind
):
    etalab = crawled_accounts["github.com/etalab"]
    crawl(etalab)
    before = list(Repository.objects.order_by("pk").values())
    fake_forge.fault("github.com", fault, path_contains="etalab")

    result = crawl(etalab)

    assert result.status == CrawlStatus.FAILED
    assert result.error_kind == error_kind
    assert result.error
    assert list(Repository.objects.order_by("pk").values()) == before
    etalab.refresh_from_db()
    assert etalab.last_crawl_status == CrawlStatus.FAILED
    assert etalab.last_crawl_error.startswith(error_kind)


def test_account_removed_from_the_forge_fails_as_not_found_and_nothing_is_marked_gone(
    crawled_accounts, fake_forge
):
    closing = crawled_accounts["github.com/closing-org"]
    crawl(closing)
    fake_forge.remove_account("github.com", "closing-org")

    result = crawl(closing)

    assert (result.status, result.error_kind) == (CrawlStatus.FAILED, "not_found")
    assert stored("github.com", 301).gone_at is None


def test_short_rate_limit_is_waited_out_and_the_crawl_succeeds(crawled_accounts, fake_forge):
    fake_forge.fault("github.com", "rate_limit", path_contains="etalab", times=1, seconds=1)

    result = crawl(crawled_accounts["github.com/etalab"])

    assert result.status == CrawlStatus.SUCCESS, result.error
    assert result.rate_limit_wait_seconds > 0
    assert result.repositories_new == 3


def test_rate_limit_longer_than_allowed_fails_the_account_as_rate_limited(
    crawled_accounts, fake_forge
):
    fake_forge.fault("github.com", "rate_limit", path_contains="etalab", seconds=600)

    result = crawl(crawled_accounts["github.com/etalab"])

    assert (result.status, result.error_kind) == (CrawlStatus.FAILED, "rate_limited")
    assert not Repository.objects.exists()


def test_github_token_from_settings_is_sent_to_the_forge(crawled_accounts, fake_forge, settings):
    fake_forge.tokens = {"github.com": "gh-secret"}
    etalab = crawled_accounts["github.com/etalab"]
    assert crawl(etalab).error_kind == "unauthorized"

    settings.GITHUB_TOKEN = "gh-secret"

    assert crawl(etalab).status == CrawlStatus.SUCCESS


def test_a_failed_crawl_records_the_requests_it_sent_before_failing(crawled_accounts, fake_forge):
    # The profile and the listing answer; the first repository's root files never do.
    fake_forge.fault("github.com", "server_error", path_contains="/contents/")
    fake_forge.reset_log()

    result = crawl(crawled_accounts["github.com/etalab"])

    assert result.status == CrawlStatus.FAILED
    sent = fake_forge.requests
    assert result.requests == len(sent) > 2
    assert result.retries == sum(entry.status >= 500 for entry in sent) - 1 > 0
