"""repositories_upsert: idempotent bulk upsert of crawled repositories keyed on (forge, remote_id)."""

import datetime as dt
from dataclasses import replace

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from inventory.forges.models import Repository
from inventory.forges.services.repositories import UpsertCounts, repositories_upsert

from .conftest import T0, make_details, make_record

T1 = T0 + dt.timedelta(days=1)
T2 = T0 + dt.timedelta(days=2)


def test_first_upsert_stores_every_listed_field_and_the_details(account):
    record = make_record(
        1, details=make_details(), subscribers=4, open_issues=2, homepage="https://udata.fr"
    )

    counts = repositories_upsert(account=account, records=[record], seen_at=T1)

    assert counts == UpsertCounts(seen=1, new=1, updated=0, revived=0)
    stored = Repository.objects.get()
    assert (stored.forge, stored.remote_id, stored.account) == (account.forge, "1", account)
    assert (stored.owner, stored.name, stored.full_name) == ("etalab", "repo-1", "etalab/repo-1")
    assert stored.html_url == "https://github.com/etalab/repo-1"
    assert (stored.language, stored.license_spdx, stored.topics) == ("Python", "MIT", ["open-data"])
    assert (stored.stars, stored.forks, stored.open_issues, stored.subscribers) == (3, 1, 2, 4)
    assert stored.homepage == "https://udata.fr"
    assert (stored.has_readme, stored.has_license_file, stored.has_publiccode) == (True, True, True)
    assert stored.has_contributing is False
    assert stored.publiccode == {"publiccodeYmlVersion": "0.4", "name": "demo"}
    assert stored.languages == {"Python": 100.0}
    assert stored.created_at == T0
    assert (stored.first_seen_at, stored.last_seen_at, stored.details_fetched_at) == (T1, T1, T1)
    assert stored.gone_at is None


def test_upserting_the_same_records_again_changes_nothing_but_last_seen(account):
    records = [make_record(n, details=make_details()) for n in range(5)]
    repositories_upsert(account=account, records=records, seen_at=T1)
    unchanged = [replace(record, details=None) for record in records]

    counts = repositories_upsert(account=account, records=unchanged, seen_at=T2)

    assert counts == UpsertCounts(seen=5, new=0, updated=0, revived=0)
    assert Repository.objects.count() == 5
    assert set(Repository.objects.values_list("first_seen_at", "last_seen_at")) == {(T1, T2)}
    assert set(Repository.objects.values_list("details_fetched_at", flat=True)) == {T1}


def test_changed_repository_is_counted_as_updated_and_its_fields_refreshed(account):
    repositories_upsert(account=account, records=[make_record(1), make_record(2)], seen_at=T1)

    counts = repositories_upsert(
        account=account,
        records=[make_record(1, change_key="v2", stars=40, description="New"), make_record(2)],
        seen_at=T2,
    )

    assert (counts.new, counts.updated) == (0, 1)
    stored = Repository.objects.get(remote_id="1")
    assert (stored.stars, stored.description, stored.change_key) == (40, "New", "v2")


def test_record_without_details_keeps_the_stored_details(account):
    repositories_upsert(
        account=account, records=[make_record(1, details=make_details())], seen_at=T1
    )

    repositories_upsert(account=account, records=[make_record(1, stars=9)], seen_at=T2)

    stored = Repository.objects.get()
    assert stored.stars == 9
    assert (stored.has_readme, stored.has_publiccode) == (True, True)
    assert stored.publiccode_text.startswith("publiccodeYmlVersion")
    assert stored.languages == {"Python": 100.0}
    assert stored.details_fetched_at == T1


def test_gitlab_listing_without_license_or_language_keeps_those_found_by_details(account):
    gitlab_listing = make_record(1, language="", license_spdx="", license_name="")
    details = make_details(license_spdx="EUPL-1.2", license_name="EUPL", language="Java")
    repositories_upsert(
        account=account, records=[replace(gitlab_listing, details=details)], seen_at=T1
    )

    repositories_upsert(account=account, records=[gitlab_listing], seen_at=T2)

    stored = Repository.objects.get()
    assert (stored.license_spdx, stored.license_name, stored.language) == (
        "EUPL-1.2",
        "EUPL",
        "Java",
    )


def test_one_crawl_mixing_records_applies_to_each_the_rule_of_what_it_carries(account):
    found_by_details = make_details(license_spdx="EUPL-1.2", license_name="EUPL", language="Java")
    stored = [
        make_record(n, language="", license_spdx="", license_name="", details=found_by_details)
        for n in (1, 2, 3)
    ]
    repositories_upsert(account=account, records=stored, seen_at=T1)
    new_details = make_details(
        root_files=replace(make_details().root_files, publiccode=False), languages={"Go": 1.0}
    )

    counts = repositories_upsert(
        account=account,
        records=[
            make_record(1, change_key="v2", details=new_details),
            make_record(2, change_key="v2", stars=20),  # a listing that names the license
            replace(stored[2], details=None, stars=30),  # a GitLab listing: no license
            make_record(4),
        ],
        seen_at=T2,
    )

    assert counts == UpsertCounts(seen=4, new=1, updated=2, revived=0)
    rows = {
        repository.remote_id: repository for repository in Repository.objects.order_by("remote_id")
    }
    assert (rows["1"].license_spdx, rows["1"].language, rows["1"].languages) == (
        "MIT",
        "Python",
        {"Go": 1.0},
    )
    assert (rows["1"].has_publiccode, rows["1"].details_fetched_at) == (False, T2)
    assert (rows["2"].stars, rows["2"].license_spdx, rows["2"].language) == (20, "MIT", "Python")
    assert (rows["2"].has_publiccode, rows["2"].details_fetched_at) == (True, T1)
    assert (rows["3"].stars, rows["3"].license_spdx, rows["3"].language) == (30, "EUPL-1.2", "Java")
    assert (rows["3"].languages, rows["3"].details_fetched_at) == ({"Python": 100.0}, T1)
    assert (rows["4"].first_seen_at, rows["4"].details_fetched_at) == (T2, None)
    assert {row.first_seen_at for key, row in rows.items() if key != "4"} == {T1}


def test_two_upserts_in_one_outer_transaction_both_apply(account):
    with transaction.atomic():
        repositories_upsert(account=account, records=[make_record(1)], seen_at=T1)
        counts = repositories_upsert(
            account=account, records=[make_record(1, stars=7), make_record(2)], seen_at=T2
        )

    assert counts == UpsertCounts(seen=2, new=1, updated=0, revived=0)
    assert dict(Repository.objects.values_list("remote_id", "stars")) == {"1": 7, "2": 3}


def test_new_details_overwrite_the_stored_ones(account):
    repositories_upsert(
        account=account, records=[make_record(1, details=make_details())], seen_at=T1
    )
    without_publiccode = make_details(
        root_files=replace(make_details().root_files, publiccode=False, contributing=True),
        publiccode_text="",
        publiccode=None,
    )

    repositories_upsert(
        account=account,
        records=[make_record(1, change_key="v2", details=without_publiccode)],
        seen_at=T2,
    )

    stored = Repository.objects.get()
    assert (stored.has_publiccode, stored.has_contributing) == (False, True)
    assert (stored.publiccode_text, stored.publiccode) == ("", None)
    assert stored.details_fetched_at == T2


def test_renamed_repository_is_followed_by_its_remote_id(account):
    repositories_upsert(account=account, records=[make_record(1, name="old")], seen_at=T1)

    counts = repositories_upsert(
        account=account, records=[make_record(1, name="new", change_key="v2")], seen_at=T2
    )

    assert (counts.new, counts.updated) == (0, 1)
    stored = Repository.objects.get()
    assert (stored.name, stored.full_name) == ("new", "etalab/new")
    assert stored.html_url == "https://github.com/etalab/new"
    assert stored.first_seen_at == T1


def test_repository_transferred_to_another_of_our_accounts_moves_to_it(account, other_account):
    repositories_upsert(account=account, records=[make_record(1)], seen_at=T1)

    counts = repositories_upsert(
        account=other_account, records=[make_record(1, owner="betagouv")], seen_at=T2
    )

    assert counts == UpsertCounts(seen=1, new=0, updated=1, revived=0)
    stored = Repository.objects.get()
    assert (stored.account, stored.owner, stored.full_name) == (
        other_account,
        "betagouv",
        "betagouv/repo-1",
    )
    assert stored.first_seen_at == T1


def test_repository_listed_again_after_vanishing_is_revived(account):
    repositories_upsert(account=account, records=[make_record(1)], seen_at=T1)
    Repository.objects.update(gone_at=T1)

    counts = repositories_upsert(account=account, records=[make_record(1)], seen_at=T2)

    assert counts == UpsertCounts(seen=1, new=0, updated=0, revived=1)
    assert Repository.objects.get().gone_at is None


def test_a_repository_listed_twice_in_one_crawl_is_stored_once(account):
    counts = repositories_upsert(
        account=account,
        records=[make_record(1, stars=1), make_record(1, stars=2)],
        seen_at=T1,
    )

    assert (counts.seen, counts.new) == (1, 1)
    assert Repository.objects.get().stars == 2


def test_oversized_or_nul_laden_values_are_fitted_instead_of_failing_the_account(account):
    odd = make_record(
        1,
        name="x" * 400,
        description="nul\x00byte",
        stars=-3,
        topics=("a\x00b",),
        details=make_details(language="L" * 300, publiccode={"name": "bad\x00name"}),
    )

    repositories_upsert(account=account, records=[odd], seen_at=T1)

    stored = Repository.objects.get()
    assert len(stored.name) == 255 and len(stored.language) == 100
    assert stored.description == "nulbyte"
    assert stored.topics == ["ab"]
    assert stored.publiccode == {"name": "badname"}
    assert stored.stars == 0


def test_upsert_costs_a_bounded_number_of_queries_not_one_per_repository(account):
    first = [make_record(n) for n in range(3000)]
    repositories_upsert(account=account, records=first[:1000], seen_at=T1)
    second = [
        replace(record, change_key="v2", details=make_details()) if n % 2 else record
        for n, record in enumerate(first)
    ]

    with CaptureQueriesContext(connection) as queries:
        counts = repositories_upsert(account=account, records=second, seen_at=T2)

    # Batches only: SQLite's 999-parameter limit makes them small there, yet far from one per row.
    assert len(queries) < len(second) / 10

    assert (counts.seen, counts.new, counts.updated) == (3000, 2000, 500)
    assert Repository.objects.count() == 3000


def test_nothing_listed_writes_nothing(account, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert repositories_upsert(account=account, records=[], seen_at=T1) == UpsertCounts()


def test_a_subgroups_project_stays_with_the_subgroup_when_both_groups_are_ours(github_forge):
    from inventory.forges.models import Account

    group = Account.objects.create(forge=github_forge, login="dinum", kind="group")
    subgroup = Account.objects.create(forge=github_forge, login="dinum/outils", kind="group")
    project = make_record(1, owner="dinum/outils")
    repositories_upsert(account=group, records=[project], seen_at=T0)

    repositories_upsert(account=subgroup, records=[project], seen_at=T1)
    counts = repositories_upsert(
        account=group, records=[project, make_record(2, owner="dinum")], seen_at=T2
    )

    assert counts == UpsertCounts(seen=1, new=1, updated=0, revived=0)
    assert Repository.objects.get(remote_id="1").account == subgroup
    assert Repository.objects.get(remote_id="2").account == group


def test_a_project_moves_to_the_parent_group_when_the_subgroup_account_is_inactive(github_forge):
    from inventory.forges.models import Account, AccountState

    group = Account.objects.create(forge=github_forge, login="dinum", kind="group")
    subgroup = Account.objects.create(
        forge=github_forge, login="dinum/outils", kind="group", state=AccountState.INACTIVE
    )
    project = make_record(1, owner="dinum/outils")
    repositories_upsert(account=subgroup, records=[project], seen_at=T0)

    repositories_upsert(account=group, records=[project], seen_at=T1)

    assert Repository.objects.get().account == group
