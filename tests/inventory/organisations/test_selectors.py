"""organisation_list_by_ministry: organisations grouped by ministry with their counts, in one query."""

import datetime as dt

import pytest

from inventory.forges.models import Account, AccountKind, AccountState, Forge, ForgeKind, Repository
from inventory.organisations.models import Organisation
from inventory.organisations.selectors import organisation_list_by_ministry
from tests.conftest import inventory_refresh

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def organisation(name: str, **fields) -> Organisation:
    return Organisation.objects.create(name=name, slug=name.lower().replace(" ", "-"), **fields)


def repositories(account: Account, count: int, *, gone: int = 0) -> None:
    Repository.objects.bulk_create(
        Repository(
            forge=account.forge,
            remote_id=f"{account.login}-{number}",
            account=account,
            owner=account.login,
            name=f"repo-{number}",
            full_name=f"{account.login}/repo-{number}",
            html_url=f"https://github.com/{account.login}/repo-{number}",
            first_seen_at=NOW,
            last_seen_at=NOW,
            gone_at=NOW if number < gone else None,
        )
        for number in range(count)
    )
    inventory_refresh()


@pytest.fixture
def registry():
    github = Forge.objects.create(
        host="github.com", kind=ForgeKind.GITHUB, api_url="https://api.github.com"
    )
    culture = organisation("Ministère de la Culture", is_top=True)
    culture.ministry = culture
    culture.save()
    armed = organisation("Ministère des Armées", is_top=True)
    armed.ministry = armed
    armed.save()
    museum = organisation("Musée Saint-Raymond", ministry=culture)
    fabnum = organisation("Fabrique numérique", ministry=armed)
    lonely = organisation("Commune inconnue")
    organisation("Sans compte")
    accounts = {}
    for login, owner, state in [
        ("museum", museum, AccountState.ACTIVE),
        ("museum-old", museum, AccountState.INACTIVE),
        ("museum-idea", museum, AccountState.PROPOSED),
        ("fabnum", fabnum, AccountState.ACTIVE),
        ("commune", lonely, AccountState.ACTIVE),
    ]:
        accounts[login] = Account.objects.create(
            forge=github, login=login, kind=AccountKind.ORG, organisation=owner, state=state
        )
    repositories(accounts["museum"], 4, gone=1)
    repositories(accounts["museum-old"], 2)
    repositories(accounts["fabnum"], 5)
    return accounts


def test_organisations_are_grouped_by_ministry_with_unknown_last(registry):
    groups = organisation_list_by_ministry()

    assert [group.ministry.name if group.ministry else None for group in groups] == [
        "Ministère de la Culture",
        "Ministère des Armées",
        None,
    ]
    assert [o.name for o in groups[0].organisations] == [
        "Ministère de la Culture",
        "Musée Saint-Raymond",
    ]
    assert [o.name for o in groups[2].organisations] == ["Commune inconnue", "Sans compte"]


def test_counts_registered_accounts_and_repositories_still_on_their_forge(registry):
    culture, armed, unknown = organisation_list_by_ministry()

    museum = culture.organisations[1]
    assert (museum.accounts_count, museum.repositories_count) == (2, 5)
    assert (culture.accounts_count, culture.repositories_count) == (2, 5)
    assert (armed.accounts_count, armed.repositories_count) == (1, 5)
    assert (unknown.accounts_count, unknown.repositories_count) == (1, 0)


def test_can_leave_out_organisations_without_accounts(registry):
    groups = organisation_list_by_ministry(with_accounts_only=True)

    names = [o.name for group in groups for o in group.organisations]
    assert names == ["Musée Saint-Raymond", "Fabrique numérique", "Commune inconnue"]


def test_listing_is_one_query_however_many_organisations(registry, django_assert_num_queries):
    for number in range(30):
        organisation(f"Extra {number}")

    with django_assert_num_queries(1):
        groups = organisation_list_by_ministry()
        total = sum(group.repositories_count + group.accounts_count for group in groups)

    assert total == 14
