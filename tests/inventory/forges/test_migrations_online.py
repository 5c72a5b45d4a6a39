"""The migrations adding the stored columns and their indexes run on a populated database:
rows are filled in batches, indexes built CONCURRENTLY on PostgreSQL (non-atomic migrations)."""

from __future__ import annotations

import datetime as dt
import importlib
import io

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from inventory.forges.models import Account, Repository
from inventory.forges.scoring import SCORE_FIELDS, awesome_score

BEFORE = [("forges", "0004_crawl_leases")]
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def test_the_backfill_and_index_migrations_are_not_one_transaction():
    for name in ("0006_backfill_score_search_and_counts", "0007_repository_indexes"):
        migration = importlib.import_module(f"inventory.forges.migrations.{name}").Migration
        assert migration.atomic is False


@pytest.mark.django_db(transaction=True)
def test_indexes_are_built_concurrently_on_postgresql():
    output = io.StringIO()
    call_command("sqlmigrate", "forges", "0007_repository_indexes", stdout=output)
    sql = output.getvalue()
    if connection.vendor == "postgresql":
        assert sql.count("CREATE INDEX CONCURRENTLY") == 9
        assert "DROP INDEX CONCURRENTLY" in sql
        assert "USING gin (search_vector)" in sql
    else:
        assert "CONCURRENTLY" not in sql
        assert sql.count("CREATE INDEX") == 6  # the GIN and NULLS LAST ones are PostgreSQL's


@pytest.mark.django_db(transaction=True)
def test_existing_repositories_get_their_score_document_and_counts():
    executor = _migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    forge = apps.get_model("forges", "Forge").objects.create(
        host="github.com", kind="github", api_url="https://api.github.com"
    )
    account = apps.get_model("forges", "Account").objects.create(
        forge=forge, login="etalab", kind="org"
    )
    old_repository = apps.get_model("forges", "Repository")
    for number in range(7):  # more than one batch below
        old_repository.objects.create(
            forge=forge, account=account, remote_id=str(number), owner="etalab",
            name=f"données-{number}", full_name=f"etalab/données-{number}",
            html_url=f"https://github.com/etalab/{number}", description="Outil d'État",
            license_spdx="MIT", has_readme=number % 2 == 0, forks=number * 20,
            topics=["Géo"], first_seen_at=NOW, last_seen_at=NOW,
            gone_at=NOW if number == 6 else None,
        )  # fmt: skip

    import inventory.forges.services.derived as derived

    batch = derived.BATCH
    derived.BATCH = 3
    try:
        _migrate(executor.loader.graph.leaf_nodes())
    finally:
        derived.BATCH = batch

    for repository in Repository.objects.all():
        assert repository.reuse_score == awesome_score(
            {name: getattr(repository, name) for name in SCORE_FIELDS}
        )
        assert repository.search_document == (
            f"etalab donnees-{repository.remote_id} outil d'etat geo"
        )
    assert Account.objects.get(login="etalab").repositories_count == 6
    if connection.vendor == "postgresql":
        words = SearchQuery("etat", config="simple")
        assert Repository.objects.filter(search_vector=words).count() == 7
