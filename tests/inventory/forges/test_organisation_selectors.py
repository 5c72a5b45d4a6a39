"""organisation_page_by_ministry: a page of organisations grouped by ministry with their counts
and their ministries' totals, in a constant number of queries; and the organisations admin's
counts, which read the accounts without importing the forges app."""

import datetime as dt

import pytest

from inventory.forges import selectors
from inventory.forges.models import Account, AccountKind, AccountState, Forge, ForgeKind, Repository
from inventory.forges.selectors import PUBLIC_ACCOUNT_STATES, organisation_page_by_ministry
from inventory.organisations.models import Organisation
from inventory.organisations.selectors import (
    REGISTERED_ACCOUNT_STATES,
    organisation_list_with_counts,
)
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


def groups_of(page_number=1):
    return organisation_page_by_ministry(page_number)[1]


def test_organisations_with_accounts_are_grouped_by_ministry_with_unknown_last(registry):
    groups = groups_of()

    assert [group.ministry.name if group.ministry else None for group in groups] == [
        "Ministère de la Culture",
        "Ministère des Armées",
        None,
    ]
    names = [o.name for group in groups for o in group.organisations]
    assert names == ["Musée Saint-Raymond", "Fabrique numérique", "Commune inconnue"]


def test_counts_public_accounts_and_repositories_still_on_their_forge(registry):
    culture, armed, unknown = groups_of()

    museum = culture.organisations[0]
    assert (museum.accounts_count, museum.repositories_count) == (2, 5)
    assert (culture.accounts_count, culture.repositories_count) == (2, 5)
    assert (armed.accounts_count, armed.repositories_count) == (1, 5)
    assert (unknown.accounts_count, unknown.repositories_count) == (1, 0)


def test_a_ministry_heads_its_group_when_it_has_accounts(registry):
    github = Forge.objects.get(host="github.com")
    culture = Organisation.objects.get(name="Ministère de la Culture")
    Account.objects.create(
        forge=github, login="culture", kind=AccountKind.ORG, organisation=culture
    )

    first = groups_of()[0]

    assert [o.name for o in first.organisations] == [
        "Ministère de la Culture",
        "Musée Saint-Raymond",
    ]
    assert (first.accounts_count, first.repositories_count) == (3, 5)


def test_ministry_totals_count_its_organisations_on_other_pages(registry, monkeypatch):
    monkeypatch.setattr(selectors, "ORGANISATIONS_PAGE_SIZE", 1)
    github = Forge.objects.get(host="github.com")
    culture = Organisation.objects.get(name="Ministère de la Culture")
    library = organisation("Bibliothèque nationale", ministry=culture)
    Account.objects.create(forge=github, login="bnf", kind=AccountKind.ORG, organisation=library)

    page, [group] = organisation_page_by_ministry(1)

    assert page.paginator.num_pages == 4
    assert [o.name for o in group.organisations] == ["Bibliothèque nationale"]
    assert (group.accounts_count, group.repositories_count) == (3, 5)
    assert [o.name for o in groups_of(2)[0].organisations] == ["Musée Saint-Raymond"]


def test_page_is_three_queries_however_many_organisations_and_accounts(
    registry, django_assert_num_queries
):
    github = Forge.objects.get(host="github.com")
    for number in range(120):
        owner = organisation(f"Extra {number}")
        Account.objects.create(
            forge=github, login=f"extra-{number}", kind=AccountKind.ORG, organisation=owner
        )

    with django_assert_num_queries(3):  # the count, the page, its ministries' totals
        page, groups = organisation_page_by_ministry(1)
        organisations = [o for group in groups for o in group.organisations]

    assert page.paginator.count == 123
    assert len(organisations) == selectors.ORGANISATIONS_PAGE_SIZE


def test_admin_counts_registered_accounts_and_every_account_s_repositories(registry):
    museum = organisation_list_with_counts().get(name="Musée Saint-Raymond")
    nobody = organisation_list_with_counts().get(name="Sans compte")

    assert (museum.accounts_count, museum.repositories_count) == (2, 5)
    assert (nobody.accounts_count, nobody.repositories_count) == (0, 0)


def test_organisations_registered_states_are_the_forges_public_states():
    assert set(REGISTERED_ACCOUNT_STATES) == {str(state) for state in PUBLIC_ACCOUNT_STATES}
    assert set(REGISTERED_ACCOUNT_STATES) == {AccountState.ACTIVE, AccountState.INACTIVE}
