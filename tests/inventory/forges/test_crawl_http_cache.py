"""DatabaseHttpCache: the crawlers' ETag store, loaded per account in one query, saved in bulk."""

from inventory.forges.httpcache import DatabaseHttpCache
from inventory.forges.models import HttpCacheEntry

URL = "https://api.github.com/orgs/etalab/repos?per_page=100"


def test_saved_validators_come_back_for_the_next_crawl_of_the_account(account):
    cache = DatabaseHttpCache(account)
    cache.set(URL, '"abc"', b'[{"id": 1}]')
    assert cache.get(URL) == ('"abc"', b'[{"id": 1}]')

    assert cache.save() == 1

    assert DatabaseHttpCache(account).get(URL) == ('"abc"', b'[{"id": 1}]')
    assert HttpCacheEntry.objects.get().account == account


def test_an_account_loads_its_entries_in_one_query_and_saves_them_in_bulk(
    account, django_assert_num_queries, django_assert_max_num_queries
):
    cache = DatabaseHttpCache(account)
    for n in range(300):
        cache.set(f"{URL}&page={n}", f'"{n}"', b"[]")
    cache.save()

    with django_assert_num_queries(1):
        reloaded = DatabaseHttpCache(account)
        assert all(reloaded.get(f"{URL}&page={n}") == (f'"{n}"', b"[]") for n in range(300))
    for n in range(300):
        reloaded.set(f"{URL}&page={n}", f'"{n}-2"', b"[1]")
    # A savepoint and its release around batched inserts-or-updates (SQLite: about 200 a batch).
    with django_assert_max_num_queries(5):
        reloaded.save()
    assert DatabaseHttpCache(account).get(f"{URL}&page=7") == ('"7-2"', b"[1]")


def test_a_url_used_by_another_accounts_crawl_moves_to_that_account(account, other_account):
    first = DatabaseHttpCache(account)
    first.set(URL, '"v1"', b"{}")
    first.save()
    assert DatabaseHttpCache(other_account).get(URL) is None

    second = DatabaseHttpCache(other_account)
    second.set(URL, '"v2"', b"{}")
    second.save()

    assert HttpCacheEntry.objects.get().account == other_account
    assert DatabaseHttpCache(account).get(URL) is None


def test_validators_too_long_to_store_whole_are_not_stored(account):
    cache = DatabaseHttpCache(account)
    cache.set(URL, '"' + "x" * 400 + '"', b"{}")
    cache.set(URL + "&unvalidated", "", b"{}")

    assert cache.save() == 0
    assert not HttpCacheEntry.objects.exists()
