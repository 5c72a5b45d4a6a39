"""What the crawl stores for the pages to read by index: each repository's reuse score and
search document, each account's count, and the counts per dimension after a run."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection

from crawlers.records import RootFiles
from inventory.forges.models import Repository, RepositoryCount, RepositoryCountDimension
from inventory.forges.scoring import (
    SCORE_FIELDS,
    awesome_score,
    awesome_score_sql,
    fold,
    search_document,
)
from inventory.forges.services.counts import repository_counts_refresh
from inventory.forges.services.crawl import account_crawl
from inventory.forges.services.derived import repositories_derived_refresh
from inventory.forges.services.repositories import repositories_upsert

from .conftest import T0, make_details, make_record

T1 = T0 + dt.timedelta(days=1)
T2 = T0 + dt.timedelta(days=2)

pytestmark = pytest.mark.django_db


def python_score(repository: Repository) -> int:
    return awesome_score({name: getattr(repository, name) for name in SCORE_FIELDS})


def test_the_awesome_score_rule_reads_as_code_gouv_fr_states_it():
    base = dict.fromkeys(SCORE_FIELDS, False) | {
        "license_spdx": "",
        "description": "x",
        "forks": 0,
        "subscribers": None,
    }
    assert awesome_score(base) == 0
    assert awesome_score(base | {"license_spdx": " mit "}) == 1000
    assert awesome_score(base | {"license_spdx": "NOASSERTION"}) == 0
    assert awesome_score(base | {"description": "  "}) == -100
    assert awesome_score(base | {"forks": 101, "subscribers": 11}) == 1100
    assert awesome_score(base | {"forks": 2, "subscribers": 1}) == 10
    assert awesome_score(base | {"is_fork": True, "is_archived": True}) == -2000
    assert awesome_score(base | {"has_readme": True, "has_changelog": True}) == 110


def test_the_sql_rendering_of_the_rule_gives_the_python_score(account):
    variants = [
        {"license_spdx": "NOASSERTION", "description": "  "},
        {"license_spdx": " other ", "is_template": True, "subscribers": None},
        {"license_spdx": "EUPL-1.2", "forks": 101, "subscribers": 11, "has_changelog": True},
        {"forks": 2, "subscribers": 1, "is_fork": True, "is_archived": True},
        {"forks": 10, "subscribers": 100, "has_contributing": True, "has_publiccode": True},
    ]
    for index, fields in enumerate(variants):
        Repository.objects.create(
            forge=account.forge, account=account, remote_id=str(index), owner="o",
            name=f"n{index}", full_name=f"o/n{index}", html_url=f"https://x/{index}",
            first_seen_at=T0, last_seen_at=T0, **fields,
        )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {awesome_score_sql()} FROM forges_repository")  # noqa: S608
        by_sql = dict(cursor.fetchall())
    assert by_sql == {r.pk: python_score(r) for r in Repository.objects.all()}


def test_the_upsert_stores_the_score_and_the_folded_search_document(account):
    record = make_record(
        1, details=make_details(), description="Données ouvertes de l'État", topics=("Géo",)
    )
    repositories_upsert(account=account, records=[record], seen_at=T1)
    stored = Repository.objects.get()
    assert stored.reuse_score == python_score(stored) == 2100
    assert stored.search_document == "etalab repo-1 donnees ouvertes de l'etat geo"


def test_a_recrawl_without_details_scores_with_the_details_it_keeps(account):
    details = make_details(root_files=RootFiles(readme=True, publiccode=True, changelog=True))
    repositories_upsert(account=account, records=[make_record(1, details=details)], seen_at=T1)
    assert Repository.objects.get().reuse_score == 1000 + 1000 + 100 + 10

    # The daily listing: no details (the README and publiccode.yml are kept), more forks, no
    # license in the listing (GitLab's): the kept license counts too.
    relisted = make_record(1, forks=11, license_spdx="", license_name="", description="")
    repositories_upsert(account=account, records=[relisted], seen_at=T2)

    stored = Repository.objects.get()
    assert (stored.has_readme, stored.has_publiccode, stored.license_spdx) == (True, True, "MIT")
    assert stored.reuse_score == python_score(stored) == 2110 + 100 - 100


def test_a_crawl_counts_its_accounts_repositories_and_the_run_refreshes_the_counts(
    crawled_accounts,
):
    etalab = crawled_accounts["github.com/etalab"]
    account_crawl(account_id=etalab.pk)
    etalab.refresh_from_db()
    listed = Repository.objects.filter(account=etalab, gone_at__isnull=True)
    assert etalab.repositories_count == listed.count() > 0
    counts = dict(
        RepositoryCount.objects.filter(dimension=RepositoryCountDimension.LANGUAGE).values_list(
            "value", "count"
        )
    )
    languages = list(listed.values_list("language", flat=True))
    assert counts == {language: languages.count(language) for language in set(languages)}


def test_counts_leave_out_gone_repositories(account):
    repositories_upsert(
        account=account,
        records=[make_record(n, language=lang) for n, lang in enumerate(["Go", "Go", "C"])],
        seen_at=T1,
    )
    Repository.objects.filter(remote_id="0").update(gone_at=T2)
    repository_counts_refresh()
    counts = {
        (row.dimension, row.value): row.count for row in RepositoryCount.objects.all()
    }
    assert counts[(RepositoryCountDimension.LISTED, "")] == 2
    assert counts[(RepositoryCountDimension.LANGUAGE, "Go")] == 1
    assert counts[(RepositoryCountDimension.FORGE, "github.com")] == 2
    assert counts[(RepositoryCountDimension.YEAR, str(T0.year))] == 2
    account.refresh_from_db()
    assert account.repositories_count == 2


def test_refreshing_the_derived_columns_recomputes_every_row(account):
    repositories_upsert(
        account=account, records=[make_record(n, details=make_details()) for n in range(3)],
        seen_at=T1,
    )  # fmt: skip
    Repository.objects.update(reuse_score=0, search_document="")

    repositories_derived_refresh()

    for stored in Repository.objects.all():
        assert stored.reuse_score == python_score(stored) != 0
        assert stored.search_document == search_document(
            owner=stored.owner, name=stored.name, description=stored.description,
            topics=stored.topics,
        )  # fmt: skip
    assert fold("Éé Ç") == "ee c"


def test_the_refresh_command_recomputes_rows_then_counts(account):
    repositories_upsert(
        account=account, records=[make_record(n, details=make_details()) for n in range(2)],
        seen_at=T1,
    )  # fmt: skip
    Repository.objects.update(reuse_score=0, search_document="")
    output = io.StringIO()

    call_command("inventory_refresh", "--counts-only", stdout=output)
    assert set(Repository.objects.values_list("reuse_score", flat=True)) == {0}
    assert RepositoryCount.objects.get(dimension=RepositoryCountDimension.LISTED).count == 2

    call_command("inventory_refresh", stdout=output)
    assert all(r.reuse_score == python_score(r) != 0 for r in Repository.objects.all())
    assert "counts stored" in output.getvalue()
