"""repositories_mark_gone: repositories an account no longer lists are marked gone, never deleted."""

import datetime as dt

from inventory.forges.models import Repository
from inventory.forges.services.repositories import repositories_mark_gone, repositories_upsert

from .conftest import T0, make_record

T1 = T0 + dt.timedelta(days=1)
T2 = T0 + dt.timedelta(days=2)


def test_vanished_repository_is_marked_gone_not_deleted(account):
    repositories_upsert(account=account, records=[make_record(1), make_record(2)], seen_at=T0)

    gone = repositories_mark_gone(account=account, seen_remote_ids=["1"], at=T1)

    assert gone == 1
    assert dict(Repository.objects.values_list("remote_id", "gone_at")) == {"1": None, "2": T1}


def test_repository_already_gone_keeps_the_date_it_vanished(account):
    repositories_upsert(account=account, records=[make_record(1)], seen_at=T0)
    repositories_mark_gone(account=account, seen_remote_ids=[], at=T1)

    gone = repositories_mark_gone(account=account, seen_remote_ids=[], at=T2)

    assert gone == 0
    assert Repository.objects.get().gone_at == T1


def test_other_accounts_repositories_are_left_alone(account, other_account):
    repositories_upsert(account=other_account, records=[make_record(7)], seen_at=T0)

    repositories_mark_gone(account=account, seen_remote_ids=[], at=T1)

    assert Repository.objects.get().gone_at is None


def test_many_vanished_repositories_are_marked_in_bulk(account, django_assert_max_num_queries):
    repositories_upsert(account=account, records=[make_record(n) for n in range(2000)], seen_at=T0)

    with django_assert_max_num_queries(8):
        gone = repositories_mark_gone(
            account=account, seen_remote_ids=[str(n) for n in range(10)], at=T1
        )

    assert gone == 1990
    assert Repository.objects.filter(gone_at=T1).count() == 1990
