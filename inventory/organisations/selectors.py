"""Reads on public organisations: listings grouped by ministry, with their accounts and repositories."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from inventory.forges.models import Account, AccountState
from inventory.organisations.models import Organisation

REGISTERED_STATES = [AccountState.ACTIVE, AccountState.INACTIVE]


def _count_subquery(queryset: QuerySet, group_by: str) -> Coalesce:
    counted = queryset.order_by().values(group_by).annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def organisation_list_with_counts() -> QuerySet[Organisation]:
    """Organisations with ``accounts_count`` (registered accounts) and ``repositories_count``
    (repositories of those accounts still on their forge), computed in the same query."""
    accounts = Account.objects.filter(organisation=OuterRef("pk"), state__in=REGISTERED_STATES)
    # Summed from the counts stored on the accounts after each crawl: no repository is read.
    repositories = (
        Account.objects.filter(organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(total=Sum("repositories_count"))
        .values("total")
    )
    return Organisation.objects.select_related("ministry").annotate(
        accounts_count=_count_subquery(accounts, "organisation"),
        repositories_count=Coalesce(Subquery(repositories, output_field=IntegerField()), Value(0)),
    )


@dataclass
class MinistryGroup:
    """One ministry (None: organisations whose ministry is not known) and its organisations."""

    ministry: Organisation | None
    organisations: list[Organisation] = field(default_factory=list)

    @property
    def accounts_count(self) -> int:
        return sum(organisation.accounts_count for organisation in self.organisations)

    @property
    def repositories_count(self) -> int:
        return sum(organisation.repositories_count for organisation in self.organisations)


def organisation_list_by_ministry(*, with_accounts_only: bool = False) -> list[MinistryGroup]:
    """Organisations grouped by ministry (ministries by name, the unknown group last), in one query.

    A top organisation is its own ministry, so it heads its group's list."""
    organisations = organisation_list_with_counts().public()
    if with_accounts_only:
        organisations = organisations.filter(accounts_count__gt=0)
    groups: dict[int | None, MinistryGroup] = {}
    for organisation in organisations.order_by("-is_top", "name", "pk"):
        key = organisation.ministry_id
        if key not in groups:
            groups[key] = MinistryGroup(ministry=organisation.ministry)
        groups[key].organisations.append(organisation)
    return sorted(
        groups.values(),
        key=lambda group: (group.ministry is None, group.ministry.name if group.ministry else ""),
    )
