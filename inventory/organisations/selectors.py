"""Reads on public organisations for their own admin: counts of their forge accounts.

The forges app lies above this one (its accounts belong to organisations), so these reads go
through the accounts' reverse relation and never import it; the listings that also need
accounts (the inventory's organisations page) are in ``inventory.forges.selectors``.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from inventory.organisations.models import Organisation

# The accounts curators registered: the forges app's AccountState.ACTIVE and INACTIVE, by
# value (tests/inventory/forges/test_organisation_selectors.py keeps the two equal).
REGISTERED_ACCOUNT_STATES = ("active", "inactive")


def organisation_list_with_counts() -> QuerySet[Organisation]:
    """Organisations with ``accounts_count`` (registered accounts) and ``repositories_count``
    (summed from the counts stored on their accounts after each crawl: no repository is read),
    in one grouped join over the accounts."""
    return Organisation.objects.select_related("ministry").annotate(
        accounts_count=Count("accounts", filter=Q(accounts__state__in=REGISTERED_ACCOUNT_STATES)),
        repositories_count=Coalesce(Sum("accounts__repositories_count"), Value(0)),
    )
