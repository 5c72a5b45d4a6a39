"""The curators' admin for forges, accounts, repositories and crawl runs (Django test client)."""

import datetime as dt

import pytest
from django.urls import reverse

from crawlers.fakeforge import FakeForge
from inventory.forges.models import (
    Account,
    AccountCrawl,
    AccountKind,
    AccountState,
    CrawlRun,
    CrawlStatus,
    Forge,
    ForgeKind,
    Repository,
)
from inventory.organisations.models import Organisation

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def registry():
    cerema = Organisation.objects.create(name="Cerema", slug="cerema", acronym="CRM")
    github = Forge.objects.create(
        host="github.com", kind=ForgeKind.GITHUB, api_url="https://api.github.com"
    )
    gitlab = Forge.objects.create(
        host="gitlab.inria.fr",
        kind=ForgeKind.GITLAB,
        api_url="https://gitlab.inria.fr",
        whole_instance=True,
        ignored_since=dt.date(2024, 8, 9),
    )
    etalab = Account.objects.create(
        forge=github,
        login="etalab",
        kind=AccountKind.ORG,
        organisation=cerema,
        last_crawl_status=CrawlStatus.SUCCESS,
        last_crawled_at=NOW,
    )
    Account.objects.create(
        forge=gitlab, login="", kind=AccountKind.INSTANCE, state=AccountState.INACTIVE
    )
    Account.objects.create(
        forge=github, login="proposed-org", kind=AccountKind.ORG, state=AccountState.PROPOSED
    )
    for number in range(3):
        Repository.objects.create(
            forge=github,
            remote_id=str(number),
            account=etalab,
            owner="etalab",
            name=f"repo-{number}",
            full_name=f"etalab/repo-{number}",
            html_url=f"https://github.com/etalab/repo-{number}",
            description="Open data tool",
            language="Python",
            license_spdx="MIT",
            first_seen_at=NOW,
            last_seen_at=NOW,
            gone_at=NOW if number == 0 else None,
        )
    run = CrawlRun.objects.create(
        started_at=NOW, finished_at=NOW, status=CrawlStatus.PARTIAL, accounts_total=1
    )
    AccountCrawl.objects.create(
        run=run,
        account=etalab,
        started_at=NOW,
        status=CrawlStatus.FAILED,
        error="boom",
        attempts=3,
        worker="crawler-1:4242",
    )
    return {"etalab": etalab, "run": run}


def changelist(model: str) -> str:
    return reverse(f"admin:forges_{model}_changelist")


@pytest.mark.parametrize(
    ("model", "query", "expected", "absent"),
    [
        ("forge", "", "gitlab.inria.fr", None),
        ("forge", "?q=inria", "gitlab.inria.fr", "api.github.com"),
        ("forge", "?kind__exact=github", "api.github.com", "gitlab.inria.fr"),
        ("forge", "?whole_instance__exact=1", "gitlab.inria.fr", "api.github.com"),
        ("forge", "?ignored=yes", "gitlab.inria.fr", "api.github.com"),
        ("account", "", "github.com/etalab", None),
        ("account", "?q=cerema", "github.com/etalab", "proposed-org"),
        ("account", "?state__exact=proposed", "proposed-org", "github.com/etalab"),
        (
            "account",
            "?forge__kind__exact=gitlab",
            "gitlab.inria.fr (whole instance)",
            "proposed-org",
        ),
        ("account", "?last_crawl_status__exact=success", "github.com/etalab", "proposed-org"),
        ("repository", "", "etalab/repo-1", None),
        ("repository", "?q=repo-2", "etalab/repo-2", "etalab/repo-1"),
        ("repository", "?gone=yes", "etalab/repo-0", "etalab/repo-1"),
        (
            "repository",
            "?language=Python&license=MIT&is_archived__exact=0&is_fork__exact=0",
            "etalab/repo-1",
            None,
        ),
        ("crawlrun", "", "Crawl #", None),
        ("crawlrun", "?status__exact=partial", "Crawl #", None),
    ],
)
def test_changelists_search_and_filters(curator_client, registry, model, query, expected, absent):
    response = curator_client.get(changelist(model) + query)

    assert response.status_code == 200
    assert expected in response.text
    if absent:
        assert absent not in response.text


def test_account_list_shows_the_last_crawl_and_the_repositories_still_on_the_forge(
    curator_client, registry
):
    response = curator_client.get(changelist("account") + "?q=etalab")

    row = response.context["cl"].result_list[0]
    assert row.repositories_count == 2
    assert "Success" in response.text or "success" in response.text


def test_change_forms_load(curator_client, registry):
    etalab = registry["etalab"]
    for url in [
        reverse("admin:forges_forge_change", args=[etalab.forge_id]),
        reverse("admin:forges_account_change", args=[etalab.pk]),
        reverse("admin:forges_repository_change", args=[etalab.repositories.first().pk]),
        reverse("admin:forges_crawlrun_change", args=[registry["run"].pk]),
        reverse("admin:forges_forge_add"),
        reverse("admin:forges_account_add"),
    ]:
        assert curator_client.get(url).status_code == 200, url


def test_repositories_and_crawl_runs_are_read_only(curator_client, registry):
    repository = registry["etalab"].repositories.first()

    assert curator_client.get(reverse("admin:forges_repository_add")).status_code == 403
    response = curator_client.post(
        reverse("admin:forges_repository_change", args=[repository.pk]),
        {"full_name": "hacked/name"},
    )
    assert response.status_code == 403
    repository.refresh_from_db()
    assert repository.full_name != "hacked/name"
    run_page = curator_client.get(
        reverse("admin:forges_crawlrun_change", args=[registry["run"].pk])
    )
    assert "boom" in run_page.text
    assert "crawler-1:4242" in run_page.text  # where its last attempt ran


def act(client, action: str, accounts, **extra):
    return client.post(
        changelist("account"),
        {"action": action, "_selected_action": [account.pk for account in accounts], **extra},
        follow=True,
    )


def test_accept_action_activates_proposals_and_warns_about_the_others(curator_client, registry):
    proposed = Account.objects.get(login="proposed-org")

    response = act(curator_client, "accept_proposals", [proposed, registry["etalab"]])

    proposed.refresh_from_db()
    assert proposed.state == AccountState.ACTIVE
    assert "1 account(s) accepted." in response.text
    assert "is not a proposal" in response.text


def test_reject_action_needs_a_reason(curator_client, registry):
    proposed = Account.objects.get(login="proposed-org")

    response = act(curator_client, "reject_proposals", [proposed])
    proposed.refresh_from_db()
    assert proposed.state == AccountState.PROPOSED
    assert "Write the reason" in response.text

    act(curator_client, "reject_proposals", [proposed], reason="Not public")
    proposed.refresh_from_db()
    assert proposed.state == AccountState.REJECTED
    assert proposed.proposal_note.endswith("Not public")


def test_deactivate_action_keeps_the_account(curator_client, registry):
    act(curator_client, "deactivate", [registry["etalab"]])

    registry["etalab"].refresh_from_db()
    assert registry["etalab"].state == AccountState.INACTIVE
    assert registry["etalab"].repositories.count() == 3


def test_crawl_now_queues_one_run_of_the_active_selected_accounts(
    curator_client, settings, django_capture_on_commit_callbacks
):
    settings.CRAWL_TIMEOUT, settings.CRAWL_MAX_RETRIES, settings.GITHUB_TOKEN = 2.0, 1, ""
    seed = {
        "forges": {
            "github.com": {"kind": "github", "accounts": [{"login": "etalab", "kind": "org"}]}
        },
        "repositories": [
            {
                "host": "github.com",
                "id": 1,
                "owner": "etalab",
                "name": "udata",
                "created_at": "2020-01-01T00:00:00Z",
                "updated_at": "2024-01-01T00:00:00Z",
                "pushed_at": "2024-01-01T00:00:00Z",
            },
            {
                "host": "github.com",
                "id": 2,
                "owner": "etalab",
                "name": "schema",
                "created_at": "2020-01-01T00:00:00Z",
                "updated_at": "2024-01-01T00:00:00Z",
                "pushed_at": "2024-01-01T00:00:00Z",
            },
        ],
    }
    with FakeForge(seed) as fake:
        forge = Forge.objects.create(
            host="github.com", kind=ForgeKind.GITHUB, api_url=fake.api_url("github.com")
        )
        etalab = Account.objects.create(forge=forge, login="etalab", kind=AccountKind.ORG)
        proposed = Account.objects.create(
            forge=forge, login="other", kind=AccountKind.ORG, state=AccountState.PROPOSED
        )

        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = act(curator_client, "crawl_now", [etalab, proposed])

    assert callbacks  # the crawl was queued on commit, not during the request
    assert "Crawl of 1 account(s) queued." in response.text
    assert "1 account(s) skipped" in response.text
    run = CrawlRun.objects.get()
    assert run.trigger == "admin"
    assert list(run.results.values_list("account__login", flat=True)) == ["etalab"]
    assert sorted(etalab.repositories.values_list("name", flat=True)) == ["schema", "udata"]


def test_account_changelist_queries_do_not_grow_with_its_rows(
    curator_client, registry, django_assert_max_num_queries
):
    github = registry["etalab"].forge
    for number in range(40):
        organisation = Organisation.objects.create(name=f"Org {number}", slug=f"org-{number}")
        Account.objects.create(
            forge=github, login=f"org-{number}", kind=AccountKind.ORG, organisation=organisation
        )

    with django_assert_max_num_queries(12):
        response = curator_client.get(changelist("account"))

    assert response.status_code == 200
    assert "github.com/org-39" in response.text


@pytest.mark.parametrize("model", ["forge", "repository", "crawlrun"])
def test_other_changelists_queries_do_not_grow_with_their_rows(
    curator_client, registry, model, django_assert_max_num_queries
):
    github = registry["etalab"].forge
    for number in range(30):
        organisation = Organisation.objects.create(name=f"Org {number}", slug=f"org-{number}")
        forge = Forge.objects.create(
            host=f"git{number}.example.fr",
            kind=ForgeKind.GITLAB,
            api_url="https://x.example.fr",
            organisation=organisation,
        )
        account = Account.objects.create(
            forge=forge, login="", kind=AccountKind.INSTANCE, organisation=organisation
        )
        Repository.objects.create(
            forge=github,
            remote_id=f"x{number}",
            account=account,
            owner="o",
            name=f"r{number}",
            full_name=f"o/r{number}",
            html_url="https://github.com/o/r",
            first_seen_at=NOW,
            last_seen_at=NOW,
        )
        CrawlRun.objects.create(started_at=NOW, status=CrawlStatus.SUCCESS)

    with django_assert_max_num_queries(14):
        response = curator_client.get(changelist(model))

    assert response.status_code == 200
