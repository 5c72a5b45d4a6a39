"""repository_search: every word must appear, on PostgreSQL as on SQLite."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inventory.forges.models import Account, AccountKind, Forge, ForgeKind, Repository
from inventory.forges.selectors import repository_matches_pinned, repository_search
from tests.conftest import inventory_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def repositories():
    forge = Forge.objects.create(
        host="github.com", kind=ForgeKind.GITHUB, api_url="https://api.github.com"
    )
    account = Account.objects.create(forge=forge, login="etalab", kind=AccountKind.ORG)
    now = timezone.now()
    for name, description in [
        ("legacy-tool", "An old command line tool"),
        ("new-project", "A fresh web project"),
        ("udata", "Open data portal"),
    ]:
        Repository.objects.create(
            forge=forge, remote_id=name, account=account, owner="etalab", name=name,
            full_name=f"etalab/{name}", html_url=f"https://github.com/etalab/{name}",
            description=description, first_seen_at=now, last_seen_at=now,
        )  # fmt: skip
    inventory_refresh()


def names(q: str) -> set[str]:
    return set(repository_search(Repository.objects.all(), q).values_list("name", flat=True))


def test_every_word_must_appear_somewhere(repositories):
    assert names("legacy project") == set()
    assert names("legacy command") == {"legacy-tool"}
    assert names("fresh project") == {"new-project"}


def test_a_word_inside_a_name_matches(repositories):
    assert names("data") == {"udata"}


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="the planner's estimate is PostgreSQL's")
def test_a_search_the_planner_expects_to_match_many_is_not_looked_at(repositories):
    """A frequent word: no look at its matches (the planner's statistics say "many"); a rare
    one is still looked at, and pinned to the ids it found."""
    forge, account = Forge.objects.get(), Account.objects.get()
    now = timezone.now()
    Repository.objects.bulk_create(
        Repository(
            forge=forge, remote_id=f"portail-{index}", account=account, owner="etalab",
            name=f"portail-{index}", full_name=f"etalab/portail-{index}",
            html_url=f"https://github.com/etalab/portail-{index}",
            description="Un portail de données ouvertes", first_seen_at=now, last_seen_at=now,
        )
        for index in range(300)
    )  # fmt: skip
    inventory_refresh()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE forges_repository")
    frequent = repository_search(Repository.objects.all(), "ouvertes")
    with CaptureQueriesContext(connection) as queries:
        queryset, matched = repository_matches_pinned(frequent, limit=10)
    assert matched == 11  # "more than 10"
    assert [query["sql"].split()[0] for query in queries] == ["EXPLAIN"]
    assert queryset.count() == 300  # not pinned: every match is still there

    rare = repository_search(Repository.objects.all(), "legacy")
    with CaptureQueriesContext(connection) as queries:
        queryset, matched = repository_matches_pinned(rare, limit=10)
    assert matched == 1
    assert [query["sql"].split()[0] for query in queries] == ["EXPLAIN", "SELECT"]
    assert list(queryset.values_list("name", flat=True)) == ["legacy-tool"]
