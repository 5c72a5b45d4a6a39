"""Stored counts of the inventory: per account after each crawl, per dimension (language,
license, forge, creation year) after each crawl run, so that no page counts a million rows."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from inventory.core.content import content_changed
from inventory.forges.models import (
    Account,
    Forge,
    Repository,
    RepositoryCount,
    RepositoryCountDimension,
)


def _listed() -> Iterable:
    return Repository.objects.filter(gone_at__isnull=True).order_by()


def accounts_repositories_count_refresh(*, account_ids: Iterable[int] | None = None) -> int:
    """Count the listed repositories of these accounts (every account by default), each
    through the (account, gone_at) index. Returns how many accounts were counted."""
    counted = (
        _listed()
        .filter(account=OuterRef("pk"))
        .values("account")
        .annotate(total=Count("pk"))
        .values("total")
    )
    accounts = Account.objects.all()
    if account_ids is not None:
        accounts = accounts.filter(pk__in=list(account_ids))
    return accounts.update(
        repositories_count=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
    )


@transaction.atomic
def repository_counts_refresh() -> list[RepositoryCount]:
    """Count the listed repositories again, in total and per language, license, forge and
    creation year, and every account's; the filter menus and statistics read these."""
    now = timezone.now()
    listed = _listed()
    counts: list[tuple[str, str, int]] = [
        (RepositoryCountDimension.LISTED, "", listed.count())
    ]
    for dimension, field in (
        (RepositoryCountDimension.LANGUAGE, "language"),
        (RepositoryCountDimension.LICENSE, "license_spdx"),
    ):
        counts += [
            (dimension, value, count)
            for value, count in listed.values_list(field).annotate(count=Count("pk"))
        ]
    hosts = dict(Forge.objects.values_list("pk", "host"))
    counts += [
        (RepositoryCountDimension.FORGE, hosts[forge_id], count)
        for forge_id, count in listed.values_list("forge_id").annotate(count=Count("pk"))
    ]
    years = (
        listed.filter(created_at__isnull=False)
        .annotate(year=ExtractYear("created_at"))
        .values_list("year")
        .annotate(count=Count("pk"))
    )
    counts += [(RepositoryCountDimension.YEAR, str(year), count) for year, count in years]
    RepositoryCount.objects.all().delete()
    stored = RepositoryCount.objects.bulk_create(
        RepositoryCount(dimension=dimension, value=value, count=count, refreshed_at=now)
        for dimension, value, count in counts
    )
    accounts_repositories_count_refresh()
    content_changed()
    return stored
