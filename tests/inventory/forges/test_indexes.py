"""Every sort the pages and the API offer is read in the order of an index, and searches go
through the GIN indexes on PostgreSQL: no request sorts or scans the whole table."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from inventory.forges import selectors
from inventory.forges.models import Repository
from inventory.web.views.inventory import repositories_sorted

pytestmark = pytest.mark.django_db

POSTGRES_ONLY_SORTS = {"activity"}  # NULLS LAST: SQLite's indexes cannot hold that order
LISTED = {"gone": False, "fork": False, "archived": False}


SORT_NODE = re.compile(r"(^|->\s+)(Incremental )?Sort\s+\(", re.MULTILINE)


def plan(queryset, *, priced_out=("seqscan", "sort", "incremental_sort")) -> str:
    """The query's plan; on PostgreSQL with some plans priced out, so that it shows what the
    indexes can do whatever the (tiny) table's statistics."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for name in priced_out:
                cursor.execute(f"SET LOCAL enable_{name} = off")
    return queryset.explain()


def sorted_in_index_order(text: str) -> bool:
    if connection.vendor == "postgresql":
        return not SORT_NODE.search(text)
    return "USE TEMP B-TREE FOR ORDER BY" not in text


@pytest.mark.parametrize("sort", ["reuse", "stars", "activity"])
def test_each_page_sort_is_the_order_of_an_index(sort, account):
    if connection.vendor != "postgresql" and sort in POSTGRES_ONLY_SORTS:
        sort = "stars"  # the simple fallback sorts by last activity in memory
    queryset = repositories_sorted(selectors.repository_list(filters=LISTED), sort)[:20]
    assert sorted_in_index_order(plan(queryset))


def test_an_accounts_page_is_the_order_of_an_index(account):
    queryset = repositories_sorted(
        selectors.repository_list(filters={}).filter(account=account), "reuse"
    )[:20]
    assert sorted_in_index_order(plan(queryset))


@pytest.mark.parametrize("ordering", ["id", "full_name", "stars", "forks", "first_seen_at"])
@pytest.mark.parametrize("descending", [False, True])
def test_each_api_ordering_is_the_order_of_an_index(ordering, descending, account):
    fields = [ordering, "id"] if ordering != "id" else ["id"]
    queryset = selectors.repository_list(filters={}).order_by(
        *(f"-{field}" if descending else field for field in fields)
    )[:50]
    assert sorted_in_index_order(plan(queryset))


def test_a_search_reads_the_word_and_name_indexes(account):
    queryset = selectors.repository_search(Repository.objects.all(), "donnees")
    text = plan(queryset, priced_out=("seqscan", "indexscan"))
    if connection.vendor == "postgresql":
        assert "repository_search_vector_gin" in text
        assert "repository_full_name_trgm" in text
    else:  # the simple fallback: a scan for the word in the stored document
        assert "search_document" in str(queryset.query)
