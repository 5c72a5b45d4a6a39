"""Crawl runs: which accounts a run covers, and how its outcome follows from its accounts'."""

import datetime as dt

from django.utils import timezone

from inventory.forges.models import (
    Account,
    AccountCrawl,
    AccountKind,
    AccountState,
    CrawlStatus,
    Forge,
    ForgeKind,
    Repository,
)
from inventory.forges.services.crawl import (
    account_crawl,
    accounts_to_crawl,
    crawl_run_finish,
    crawl_run_start,
    forge_token,
)


def crawl_everything():
    run = crawl_run_start(trigger="test")
    for result in run.results.all():
        account_crawl(account_id=result.account_id, run_id=run.pk)
    return crawl_run_finish(run_id=run.pk)


def test_accounts_to_crawl_leaves_out_inactive_ignored_and_uncrawlable_ones(github_forge, account):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Account.objects.create(
        forge=github_forge, login="inactive", kind="org", state=AccountState.INACTIVE
    )
    Account.objects.create(
        forge=github_forge, login="proposed", kind="org", state=AccountState.PROPOSED
    )
    Account.objects.create(forge=github_forge, login="ignored", kind="org", ignored_since=yesterday)
    ignored_forge = Forge.objects.create(
        host="old.example.fr",
        kind=ForgeKind.GITLAB,
        api_url="https://old.example.fr",
        ignored_since=yesterday,
    )
    Account.objects.create(forge=ignored_forge, login="", kind=AccountKind.INSTANCE)
    sourcehut = Forge.objects.create(
        host="git.sr.ht", kind=ForgeKind.SOURCEHUT, api_url="https://git.sr.ht"
    )
    Account.objects.create(forge=sourcehut, login="~someone", kind=AccountKind.USER)

    assert list(accounts_to_crawl()) == [account]


def test_accounts_to_crawl_selects_by_forge_or_by_host_and_login(crawled_accounts):
    assert {a.login for a in accounts_to_crawl(forge_host="GitHub.com")} == {
        "etalab",
        "betagouv",
        "closing-org",
    }
    selected = accounts_to_crawl(
        logins=["github.com/Etalab", "git.example.fr", "github.com/nobody"]
    )
    assert [str(a) for a in selected] == ["git.example.fr (whole instance)", "github.com/etalab"]


def test_run_start_records_one_pending_crawl_per_account(crawled_accounts):
    run = crawl_run_start(forge_host="gitlab.com", trigger="test")

    assert (run.status, run.accounts_total, run.selection) == (CrawlStatus.RUNNING, 2, "gitlab.com")
    assert sorted(run.results.values_list("account__login", "status")) == [
        ("incubateur-territoires", CrawlStatus.RUNNING),
        ("numerique-gouv", CrawlStatus.RUNNING),
    ]


def test_one_failing_account_never_stops_the_others_and_the_run_is_partial(
    crawled_accounts, fake_forge
):
    fake_forge.fault("github.com", "server_error", path_contains="betagouv")

    run = crawl_everything()

    assert run.status == CrawlStatus.PARTIAL and run.finished_at is not None
    statuses = dict(run.results.values_list("account__login", "status"))
    assert statuses.pop("betagouv") == CrawlStatus.FAILED
    assert set(statuses.values()) == {CrawlStatus.SUCCESS}
    assert Repository.objects.count() == 9 + 130 - 1


def test_run_where_every_account_succeeds_is_a_success(crawled_accounts):
    run = crawl_everything()

    assert run.status == CrawlStatus.SUCCESS
    assert run.results.filter(status=CrawlStatus.SUCCESS).count() == 6


def test_run_where_every_account_fails_is_failed(crawled_accounts, fake_forge):
    for host in ("github.com", "gitlab.com", "git.example.fr"):
        fake_forge.fault(host, "unauthorized")

    assert crawl_everything().status == CrawlStatus.FAILED


def test_finishing_a_run_marks_crawls_that_never_reported_back_as_interrupted(crawled_accounts):
    run = crawl_run_start(forge_host="git.example.fr", trigger="test")

    run = crawl_run_finish(run_id=run.pk)

    assert run.status == CrawlStatus.FAILED
    assert run.results.get().error_kind == "interrupted"


def test_finishing_a_run_twice_keeps_its_first_outcome(crawled_accounts):
    run = crawl_everything()
    finished_at = run.finished_at
    AccountCrawl.objects.filter(run=run).update(status=CrawlStatus.FAILED)

    again = crawl_run_finish(run_id=run.pk)

    assert (again.status, again.finished_at) == (CrawlStatus.SUCCESS, finished_at)


def test_crawling_an_account_alone_gives_it_a_run_of_its_own(crawled_accounts):
    result = account_crawl(account_id=crawled_accounts["github.com/betagouv"].pk)

    assert result.run.status == CrawlStatus.SUCCESS
    assert result.run.accounts_total == 1


def test_tokens_come_from_forge_token_variables_and_github_token(monkeypatch, settings):
    settings.GITHUB_TOKEN = "gh-secret"
    github = Forge(host="github.com", kind=ForgeKind.GITHUB)
    instance = Forge(host="gitlab.adullact-net.fr", kind=ForgeKind.GITLAB)
    assert forge_token(github) == "gh-secret"
    assert forge_token(instance) is None

    monkeypatch.setenv("FORGE_TOKEN_GITLAB_ADULLACT_NET_FR", "instance-secret")
    monkeypatch.setenv("FORGE_TOKEN_GITHUB_COM", "specific")
    assert forge_token(instance) == "instance-secret"
    assert forge_token(github) == "specific"


def test_a_finished_run_regenerates_the_open_data_files(crawled_accounts, settings):
    assert not settings.OPENDATA_DIR.exists() or not any(settings.OPENDATA_DIR.iterdir())

    crawl_everything()

    assert any(path.suffix == ".csv" for path in settings.OPENDATA_DIR.rglob("*"))


def test_no_second_run_starts_over_the_same_selection_while_one_is_running(crawled_accounts):
    import pytest

    from inventory.forges.services.crawl import CrawlRunActive

    first = crawl_run_start(forge_host="gitlab.com")

    with pytest.raises(CrawlRunActive) as refused:
        crawl_run_start(forge_host="GitLab.com")

    assert refused.value.run == first
    assert f"crawl_run_finish {first.pk}" in refused.value.message
    # Another selection is another lock.
    assert crawl_run_start(forge_host="github.com").status == CrawlStatus.RUNNING
    crawl_run_finish(run_id=first.pk)
    assert crawl_run_start(forge_host="gitlab.com").pk != first.pk


def test_a_run_left_running_past_its_deadline_does_not_block_the_next(crawled_accounts, settings):
    from inventory.forges.models import CrawlRun

    settings.CRAWL_RUN_MAX_DURATION = 3600
    stale = crawl_run_start(trigger="schedule")
    CrawlRun.objects.filter(pk=stale.pk).update(started_at=timezone.now() - dt.timedelta(hours=2))

    fresh = crawl_run_start(trigger="schedule")

    stale.refresh_from_db()
    assert (stale.status, fresh.status) == (CrawlStatus.FAILED, CrawlStatus.RUNNING)
    assert set(stale.results.values_list("error_kind", flat=True)) == {"deadline"}
