"""The code-inventory pages: repository search, organisations by ministry, accounts, proposals."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone, translation
from django.utils.text import capfirst

from inventory.forges.models import (
    Account,
    AccountCrawl,
    AccountState,
    CrawlRun,
    CrawlStatus,
    Forge,
    Repository,
)
from inventory.forges.scoring import SCORE_FIELDS, awesome_score
from inventory.forges.services.counts import repository_counts_refresh
from inventory.forges.services.derived import derived_columns_refresh_range
from inventory.opendata.formats.datasets import REPOSITORY_COLUMNS
from inventory.organisations.models import Organisation
from tests.conftest import english, inventory_refresh

pytestmark = pytest.mark.django_db

REPOSITORY_TITLE = re.compile(
    r'<h3 class="fr-card__title" id="repository-\d+"><a href="[^"]+" rel="noopener nofollow">'
    r"([^<]+)</a>"
)


def names_in(response) -> list[str]:
    """Repository full names in result order, read from the result titles."""
    return REPOSITORY_TITLE.findall(response.content.decode())


def repository_create(account: Account, name: str, **fields) -> Repository:
    now = timezone.now()
    fields.setdefault("description", f"The {name} project")
    repository = Repository.objects.create(
        forge=account.forge,
        remote_id=fields.pop("remote_id", f"{account.login}/{name}"),
        account=account,
        owner=account.login,
        name=name,
        full_name=f"{account.login}/{name}",
        html_url=f"https://{account.forge.host}/{account.login}/{name}",
        first_seen_at=now,
        last_seen_at=now,
        **fields,
    )
    # What the crawl's upsert derives for this row, then the counts a crawl run refreshes (the
    # whole table's derivation per repository would make the fixtures quadratic).
    with connection.cursor() as cursor:
        derived_columns_refresh_range(
            cursor, table=Repository._meta.db_table, start=repository.pk, end=repository.pk + 1
        )
    repository_counts_refresh()
    repository.refresh_from_db()
    return repository


def score(repository: Repository) -> int:
    return awesome_score({name: getattr(repository, name) for name in SCORE_FIELDS})


def inventory_create() -> SimpleNamespace:
    """Two ministries, two forges, three accounts and repositories covering every filter."""
    now = timezone.now()
    prime_minister = Organisation.objects.create(
        name="Services du Premier ministre", slug="premier-ministre", is_top=True
    )
    prime_minister.ministry = prime_minister
    prime_minister.save()
    interior = Organisation.objects.create(
        name="Ministère de l'Intérieur", slug="interieur", is_top=True
    )
    interior.ministry = interior
    interior.save()
    dinum, _ = Organisation.objects.update_or_create(
        slug="dinum",
        defaults={"name": "Direction interministérielle du numérique", "ministry": prime_minister},
    )
    github = Forge.objects.create(
        host="github.com", kind="github", api_url="https://api.github.com"
    )
    gitlab = Forge.objects.create(host="gitlab.com", kind="gitlab", api_url="https://gitlab.com")
    etalab = Account.objects.create(
        forge=github,
        login="etalab",
        kind="org",
        organisation=dinum,
        html_url="https://github.com/etalab",
        last_crawled_at=now - timedelta(hours=2),
        last_crawl_status=CrawlStatus.SUCCESS,
    )
    dnum = Account.objects.create(
        forge=gitlab,
        login="interieur/dnum",
        kind="group",
        organisation=interior,
        last_crawled_at=now - timedelta(hours=1),
        last_crawl_status=CrawlStatus.FAILED,
        last_crawl_error="The group is no longer on the forge.",
    )
    run = CrawlRun.objects.create(started_at=now - timedelta(hours=1), status=CrawlStatus.PARTIAL)
    AccountCrawl.objects.create(
        run=run,
        account=dnum,
        started_at=now - timedelta(hours=1),
        status=CrawlStatus.FAILED,
        error_kind="not_found",
        error="The group is no longer on the forge.",
    )
    proposed = Account.objects.create(
        forge=github, login="proposed-org", kind="org", state=AccountState.PROPOSED
    )
    repositories = {
        "udata": repository_create(
            etalab,
            "udata",
            language="Python",
            license_spdx="AGPL-3.0",
            stars=100,
            forks=30,
            topics=["open-data", "python"],
            has_readme=True,
            has_publiccode=True,
            created_at=now - timedelta(days=3000),
            pushed_at=now - timedelta(days=10),
        ),
        "fork": repository_create(
            etalab,
            "forked-lib",
            language="Python",
            license_spdx="MIT",
            stars=500,
            is_fork=True,
            created_at=now - timedelta(days=400),
            pushed_at=now - timedelta(days=5),
        ),
        "archived": repository_create(
            etalab,
            "old-site",
            language="JavaScript",
            license_spdx="MIT",
            stars=50,
            is_archived=True,
            created_at=now - timedelta(days=2000),
            pushed_at=now - timedelta(days=1500),
        ),
        "tool": repository_create(
            dnum,
            "outil",
            language="Java",
            license_spdx="MIT",
            stars=5,
            topics=["securite"],
            has_readme=True,
            has_contributing=True,
            created_at=now - timedelta(days=700),
            pushed_at=now - timedelta(days=200),
        ),
        "legacy": repository_create(
            dnum,
            "legacy",
            language="PHP",
            description="",
            stars=0,
            created_at=now - timedelta(days=1200),
            pushed_at=now - timedelta(days=800),
            updated_at=now - timedelta(days=800),
        ),
        "gone": repository_create(
            etalab,
            "vanished",
            language="Python",
            stars=1000,
            gone_at=now - timedelta(days=1),
        ),
    }
    return SimpleNamespace(
        dinum=dinum,
        interior=interior,
        prime_minister=prime_minister,
        github=github,
        gitlab=gitlab,
        etalab=etalab,
        dnum=dnum,
        proposed=proposed,
        repositories=repositories,
    )


@pytest.fixture
def inventory(db) -> SimpleNamespace:
    return inventory_create()


# --- Search and filters ---------------------------------------------------------------------


def test_forks_archived_and_gone_repositories_are_hidden_by_default(client, inventory):
    response = client.get("/code/")
    assert response.status_code == 200
    assert sorted(names_in(response)) == [
        "etalab/udata",
        "interieur/dnum/legacy",
        "interieur/dnum/outil",
    ]
    assert "3 dépôts trouvés" in response.content.decode() or "3 repositories found" in (
        response.content.decode()
    )


def test_forks_are_shown_with_one_click(client, inventory):
    page = client.get("/code/").content.decode()
    link = re.search(r'id="show-forks" href="([^"]+)"', page).group(1)
    response = client.get("/code/" + link.replace("&amp;", "&"))
    assert "etalab/forked-lib" in names_in(response)
    assert "etalab/old-site" not in names_in(response)


def test_archived_repositories_are_shown_with_one_click(client, inventory):
    page = client.get("/code/?language=JavaScript").content.decode()
    assert names_in(client.get("/code/?language=JavaScript")) == []
    link = re.search(r'id="show-archived" href="([^"]+)"', page).group(1)
    response = client.get("/code/" + link.replace("&amp;", "&"))
    assert names_in(response) == ["etalab/old-site"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("language=python", ["etalab/udata"]),
        ("license=MIT", ["interieur/dnum/outil"]),
        ("forge=gitlab.com", ["interieur/dnum/legacy", "interieur/dnum/outil"]),
        ("organisation=dinum", ["etalab/udata"]),
        ("ministry=premier-ministre", ["etalab/udata"]),
        ("ministry=interieur", ["interieur/dnum/legacy", "interieur/dnum/outil"]),
        ("topic=open-data", ["etalab/udata"]),
        ("topic=Securite", ["interieur/dnum/outil"]),
        ("q=udata", ["etalab/udata"]),
        ("q=introuvable", []),
        ("q=outil+project", ["interieur/dnum/outil"]),
        ("activity=month", ["etalab/udata"]),
        ("activity=year", ["etalab/udata", "interieur/dnum/outil"]),
        ("activity=older", ["interieur/dnum/legacy"]),
        ("forks=1&language=python", ["etalab/forked-lib", "etalab/udata"]),
        (
            "forks=1&archived=1&license=MIT",
            ["etalab/forked-lib", "etalab/old-site", "interieur/dnum/outil"],
        ),
    ],
)
def test_each_filter_narrows_the_results(client, inventory, query, expected):
    response = client.get(f"/code/?{query}")
    assert response.status_code == 200
    assert sorted(names_in(response)) == expected


def test_sort_by_stars_puts_the_most_starred_first(client, inventory):
    response = client.get("/code/?sort=stars&forks=1&archived=1")
    assert names_in(response) == [
        "etalab/forked-lib",
        "etalab/udata",
        "etalab/old-site",
        "interieur/dnum/outil",
        "interieur/dnum/legacy",
    ]


def test_sort_by_last_activity_puts_the_latest_push_first(client, inventory):
    response = client.get("/code/?sort=activity&forks=1&archived=1")
    assert names_in(response) == [
        "etalab/forked-lib",
        "etalab/udata",
        "interieur/dnum/outil",
        "interieur/dnum/legacy",
        "etalab/old-site",
    ]


def test_default_sort_is_the_reuse_score(client, inventory):
    response = client.get("/code/?forks=1&archived=1")
    listed = Repository.objects.filter(gone_at__isnull=True)
    expected = sorted(listed, key=lambda r: (-score(r), -r.stars, r.full_name))
    assert names_in(response) == [repository.full_name for repository in expected]
    assert names_in(response)[0] == "etalab/udata"


def test_reuse_score_computed_by_the_database_equals_the_awesome_score(inventory):
    account = inventory.etalab
    variants = [
        {"license_spdx": "NOASSERTION", "description": "  "},
        {"license_spdx": " other ", "is_template": True, "subscribers": None},
        {"license_spdx": "EUPL-1.2", "forks": 101, "subscribers": 11, "has_changelog": True},
        {"forks": 2, "subscribers": 1, "is_fork": True, "is_archived": True},
        {"forks": 10, "subscribers": 100, "has_contributing": True},
    ]
    for index, fields in enumerate(variants):
        repository_create(account, f"variant-{index}", **fields)
    stored = Repository.objects.all()
    assert {r.full_name: r.reuse_score for r in stored} == {r.full_name: score(r) for r in stored}


def test_results_are_paginated_by_twenty_and_the_next_link_keeps_the_filters(client, inventory):
    for index in range(22):
        repository_create(inventory.etalab, f"extra-{index:02}", language="Go", stars=index)
    first = client.get("/code/?language=go&sort=stars")
    assert len(names_in(first)) == 20
    assert names_in(first)[0] == "etalab/extra-21"
    next_link = re.search(
        r'class="fr-pagination__link fr-pagination__link--next[^"]*" href="([^"]+)"',
        first.content.decode(),
    ).group(1)
    second = client.get("/code/" + next_link.replace("&amp;", "&"))
    assert names_in(second) == ["etalab/extra-01", "etalab/extra-00"]


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=999",
        "sort=bogus",
        "activity=decade",
        "forks=maybe",
        "ministry=%3Cscript%3E",
        "language=" + "x" * 500,
        "q=%00",
        "topic=%22%5D",
    ],
)
def test_bad_query_strings_never_fail(client, inventory, query):
    response = client.get(f"/code/?{query}")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1].split("</main>")[0]


def download_link(page: str, fmt: str) -> str:
    return re.search(rf'id="download-{fmt}" href="([^"]+)"', page).group(1).replace("&amp;", "&")


def streamed(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def test_download_streams_every_result_of_the_search_in_csv(client, inventory):
    for index in range(25):
        repository_create(inventory.etalab, f"extra-{index:02}", language="Go", stars=index)
    page = client.get("/code/?language=go&sort=stars&page=2").content.decode()
    link = download_link(page, "csv")
    assert urlsplit(link).path == "/code/telecharger/"
    assert "page" not in parse_qs(urlsplit(link).query)
    response = client.get(link)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="depots-')
    rows = list(csv.DictReader(io.StringIO(streamed(response))))
    assert len(rows) == 25  # the whole selection, not one page of it
    assert {row["full_name"] for row in rows} == {f"etalab/extra-{i:02}" for i in range(25)}
    assert list(rows[0]) == [column.name for column in REPOSITORY_COLUMNS]
    stored = Repository.objects.get(full_name=rows[0]["full_name"])
    assert rows[0]["awesome_score"] == str(stored.reuse_score)


def test_download_in_json_keeps_every_filter_of_the_page(client, inventory):
    page = client.get("/code/?forks=1&language=Python").content.decode()
    data = json.loads(streamed(client.get(download_link(page, "json"))))
    assert sorted(row["full_name"] for row in data) == ["etalab/forked-lib", "etalab/udata"]
    # The inactivity filter too, which the API does not have.
    page = client.get("/code/?activity=older&archived=1").content.decode()
    data = json.loads(streamed(client.get(download_link(page, "json"))))
    assert sorted(row["full_name"] for row in data) == ["etalab/old-site", "interieur/dnum/legacy"]


def test_download_of_an_unknown_format_is_refused_plainly(client, inventory):
    response = english(client).get("/code/telecharger/?format=xlsx")
    assert response.status_code == 400
    assert "Unknown format: choose csv or json." in response.content.decode()


@pytest.mark.parametrize("limit", [2, 1000])
def test_a_search_finds_the_same_in_the_same_order_however_many_it_matches(
    client, inventory, monkeypatch, limit
):
    """Few matches are sorted from their ids, many by reading the sort index: same order."""
    monkeypatch.setattr("inventory.web.pagination.COUNT_LIMIT", limit)
    for index in range(3):
        repository_create(inventory.etalab, f"portail-{index}", stars=index, has_readme=index == 1)
    response = client.get("/code/?q=portail&sort=reuse")
    expected = ["etalab/portail-1", "etalab/portail-2", "etalab/portail-0"]
    assert names_in(response) == expected[:limit]
    found = "3 dépôts trouvés" if limit > 3 else "Plus de 2 dépôts trouvés"
    assert found in response.content.decode()


def test_a_search_past_the_count_limit_says_more_than_and_pages_no_further(
    client, inventory, monkeypatch
):
    monkeypatch.setattr("inventory.web.pagination.COUNT_LIMIT", 40)
    Repository.objects.bulk_create(
        Repository(
            forge=inventory.github, remote_id=f"bulk-{index}", account=inventory.etalab,
            owner="etalab", name=f"bulk-{index:02}", full_name=f"etalab/bulk-{index:02}",
            html_url=f"https://github.com/etalab/bulk-{index:02}", first_seen_at=timezone.now(),
            last_seen_at=timezone.now(),
        )
        for index in range(45)
    )  # fmt: skip
    inventory_refresh()
    response = english(client).get("/code/?q=bulk")
    page = response.content.decode()
    assert "More than 40 repositories found" in page
    assert 'id="result-limit"' in page
    assert response.context["page_obj"].paginator.num_pages == 2
    assert names_in(english(client).get("/code/?q=bulk&page=3")) == names_in(
        english(client).get("/code/?q=bulk&page=2")
    )  # the last page offered, as for any page past the end
    assert "40 repositories found" not in english(client).get("/code/?q=bulk-01").content.decode()


def test_repository_shows_its_account_and_organisation_links(client, inventory):
    page = client.get("/code/?q=udata").content.decode()
    assert f'href="/code/comptes/{inventory.etalab.pk}/"' in page
    assert 'href="/organisations/dinum/"' in page
    assert 'href="/code/?topic=open-data"' in page


# --- Organisations and accounts ----------------------------------------------------------------


def test_organisations_are_grouped_by_ministry_with_counts(client, inventory):
    response = client.get("/code/organisations/")
    page = response.content.decode()
    assert response.status_code == 200
    interior = page.index("Ministère de l&#x27;Intérieur")
    prime_minister = page.index("Services du Premier ministre")
    assert interior < prime_minister  # ministries by name
    dinum_row = page[page.index('href="/organisations/dinum/"') :].split("</tr>")[0]
    assert re.search(r'href="/organisations/dinum/#accounts-title">\s*1\s*</a>', dinum_row)
    assert 'href="/code/?organisation=dinum"' in dinum_row
    assert re.search(r">\s*3\s*</a></td>", dinum_row)  # udata, the fork and the archive
    assert "proposed-org" not in page


def test_accounts_attached_to_no_organisation_are_listed_apart(client, inventory):
    orphan = Account.objects.create(forge=inventory.github, login="orphan-org", kind="org")
    repository_create(orphan, "lonely")
    page = client.get("/code/organisations/").content.decode()
    unattached = page[page.index('id="unattached"') :]
    assert f'href="/code/comptes/{orphan.pk}/"' in unattached
    assert f'href="/code/comptes/{inventory.etalab.pk}/"' not in unattached


def test_account_page_shows_last_crawl_and_repositories(client, inventory):
    response = client.get(f"/code/comptes/{inventory.dnum.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    crawl = page[page.index('id="last-crawl"') :].split("</dl>")[0]
    assert "not_found" in crawl
    assert "The group is no longer on the forge." in crawl
    with translation.override("fr"):
        assert f"<dd>{capfirst(CrawlStatus.FAILED.label)}</dd>" in crawl
    assert sorted(names_in(response)) == ["interieur/dnum/legacy", "interieur/dnum/outil"]


def test_account_page_lists_forks_and_archives_but_not_gone_repositories(client, inventory):
    response = client.get(f"/code/comptes/{inventory.etalab.pk}/")
    assert sorted(names_in(response)) == ["etalab/forked-lib", "etalab/old-site", "etalab/udata"]


def test_proposed_and_unknown_accounts_have_no_page(client, inventory):
    assert client.get(f"/code/comptes/{inventory.proposed.pk}/").status_code == 404
    assert client.get("/code/comptes/999999/").status_code == 404


# --- Proposals -------------------------------------------------------------------------------


def proposal(**fields) -> dict:
    return {"forge_host": "github.com", "login": "new-agency", "kind": "org", **fields}


def test_anonymous_visitors_read_the_page_and_are_invited_to_sign_in(client, inventory):
    response = client.get("/code/referencement/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="/agents/login/?next=/code/referencement/"' in page
    assert 'id="account-proposal-form"' not in page


def test_anonymous_proposal_is_redirected_to_sign_in_and_stores_nothing(client, inventory):
    response = client.post("/code/referencement/", proposal())
    assert response.status_code == 302
    assert response["Location"].startswith("/agents/login/")
    assert not Account.objects.filter(login="new-agency").exists()


def test_agent_proposes_an_account_for_their_organisation(agent_client, agent, inventory):
    response = agent_client.post("/code/referencement/", proposal(note="Notre agence"))
    assert response.status_code == 302
    account = Account.objects.get(login="new-agency")
    assert account.state == AccountState.PROPOSED
    assert account.proposed_by == agent
    assert account.organisation == agent.organisation
    assert account.proposal_note == "Notre agence"
    page = agent_client.get(response["Location"]).content.decode()
    assert "github.com/new-agency" in page[page.index('id="my-proposals"') :]


def test_agent_may_name_another_organisation(agent_client, inventory):
    agent_client.post(
        "/code/referencement/",
        proposal(
            forge_host="gitlab.com",
            login="interieur/sub",
            kind="group",
            organisation=inventory.interior.pk,
        ),
    )
    assert Account.objects.get(login="interieur/sub").organisation == inventory.interior


def test_duplicate_account_is_pointed_out_and_not_stored(agent_client, inventory):
    response = agent_client.post("/code/referencement/", proposal(login="ETALAB"))
    page = response.content.decode()
    assert response.status_code == 200
    notice = page[page.index('id="duplicate-notice"') :].split("</div>")[0]
    assert f'href="/code/comptes/{inventory.etalab.pk}/"' in notice
    assert Account.objects.filter(login__iexact="etalab").count() == 1


def test_duplicate_of_a_proposal_says_it_awaits_review(agent_client, inventory):
    response = agent_client.post("/code/referencement/", proposal(login="proposed-org"))
    notice = response.content.decode().split('id="duplicate-notice"', 1)[1].split("</div>")[0]
    assert "/code/comptes/" not in notice  # a proposal has no public page yet
    assert Account.objects.filter(login="proposed-org").count() == 1


def test_service_refusal_is_shown_on_the_form(agent_client, inventory):
    response = english(agent_client).post(
        "/code/referencement/", proposal(forge_host="gitlab.com", kind="org")
    )
    assert response.status_code == 200
    assert "An account on gitlab.com is one of" in response.content.decode()
    assert not Account.objects.filter(login="new-agency").exists()


def test_invalid_form_keeps_the_input_and_says_what_is_wrong(agent_client, inventory):
    response = agent_client.post("/code/referencement/", proposal(login="", forge_host="nowhere"))
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"login", "forge_host"}
    assert (
        not Account.objects.filter(state=AccountState.PROPOSED)
        .exclude(pk=inventory.proposed.pk)
        .exists()
    )


def test_whole_instances_are_not_offered(agent_client, inventory):
    Forge.objects.create(
        host="code.gouv.example",
        kind="gitlab",
        api_url="https://code.gouv.example",
        whole_instance=True,
    )
    form = agent_client.get("/code/referencement/").context["form"]
    hosts = [value for value, _label in form.fields["forge_host"].choices]
    assert hosts == ["", "github.com", "gitlab.com"]


def test_proposal_needs_the_csrf_token(agent, inventory):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    response = client.post("/code/referencement/", proposal())
    assert response.status_code == 403
    assert not Account.objects.filter(login="new-agency").exists()


def test_menu_links_to_the_code_and_statistics_pages(client, inventory):
    page = client.get("/code/").content.decode()
    assert 'href="/code/" aria-current="page"' in page
    assert 'href="/statistiques/"' in page


def test_pages_load_in_a_few_queries_whatever_the_number_of_results(
    client, inventory, django_assert_max_num_queries
):
    for index in range(30):
        repository_create(inventory.etalab, f"extra-{index:02}", topics=["a", "b"])
    for path in ["/code/", f"/code/comptes/{inventory.etalab.pk}/", "/code/organisations/"]:
        with django_assert_max_num_queries(12):
            assert client.get(path).status_code == 200


def options(page: str, select_id: str) -> list[str]:
    select = page.split(f'id="{select_id}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)"', select)[1:]


def test_filters_offer_only_values_some_listed_repository_has(client, inventory):
    Organisation.objects.create(name="Sans dépôt", slug="sans-depot", is_top=True)
    repository_create(inventory.etalab, "gone-cobol", language="COBOL", gone_at=timezone.now())
    page = client.get("/code/").content.decode()
    assert options(page, "filter-ministry") == ["interieur", "premier-ministre"]
    assert options(page, "filter-organisation") == ["dinum", "interieur"]
    assert options(page, "filter-forge") == ["github.com", "gitlab.com"]
    assert options(page, "filter-language") == ["Java", "JavaScript", "PHP", "Python"]
    assert options(page, "filter-license") == ["AGPL-3.0", "MIT"]
