"""Reads of the code inventory (repositories, accounts, organisations, crawl runs) for the API,
the open-data exports and the web interface."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from inventory.forges.models import (
    Account,
    AccountCrawl,
    AccountState,
    CrawlRun,
    Forge,
    Repository,
    RepositoryCount,
    RepositoryCountDimension,
    account_display_name,
)
from inventory.forges.scoring import SEARCH_CONFIG, fold
from inventory.organisations.models import Organisation, OrganisationStatus

# Accounts a person proposed and curators have not accepted (or rejected) are not public.
PUBLIC_ACCOUNT_STATES = (AccountState.ACTIVE, AccountState.INACTIVE)
# The names' trigram index needs words of three characters at least; shorter words are
# matched as whole words only.
NAME_FRAGMENT_MIN = 3


def repository_search(queryset: QuerySet[Repository], q: str) -> QuerySet[Repository]:
    """Every word must appear in the stored search document (owner, name, description,
    topics; accents and case ignored).

    PostgreSQL: a word is a word of the document (its stored words, GIN-indexed) or a part of
    the full name ("data" in "udata"; trigram index). SQLite, the simple fallback: a part of the
    document, by a scan of the table.
    """
    terms = fold(q.replace("\x00", "")).split()
    if not terms:
        return queryset
    if settings.IS_POSTGRES:
        from django.contrib.postgres.search import SearchQuery

        condition = Q()
        for term in terms:
            match = Q(search_vector=SearchQuery(term, config=SEARCH_CONFIG, search_type="plain"))
            if len(term) >= NAME_FRAGMENT_MIN:
                match |= Q(full_name__icontains=term)
            condition &= match
        return queryset.filter(condition)
    condition = Q()
    for term in terms:
        condition &= Q(search_document__contains=term)
    return queryset.filter(condition)


# A search the planner expects to match this many times the limit is not looked at: its
# matches are many for sure (PostgreSQL's statistics of the stored words are a sample of the
# table, a word this frequent is in it), and finding them by reading a sort index is quick.
PLANNER_SURE_FACTOR = 10


def repository_matches_pinned(
    queryset: QuerySet[Repository], *, limit: int
) -> tuple[QuerySet[Repository], int]:
    """The same repositories, pinned to their ids when a search matches at most ``limit``;
    and how many matched (``limit`` + 1 meaning "more").

    The database cannot know how many rows a search word matches until it looks; expecting
    many, it may read a sort index from the top, testing each row, and so read the whole
    table for a rare word. One bounded look at the matches (their ids, in no order, through
    the GIN indexes) settles it: few are then sorted from their ids by the primary key, many
    are found soon enough by reading the sort index. The look is also the search's count.
    On PostgreSQL a search the planner expects to match more than PLANNER_SURE_FACTOR times
    the limit skips the look (which, for a frequent word, reads thousands of rows).
    """
    matches = queryset.order_by().values_list("pk", flat=True)
    if settings.IS_POSTGRES and _planner_rows(matches) > PLANNER_SURE_FACTOR * limit:
        return queryset, limit + 1
    ids = list(matches[: limit + 1])
    if len(ids) > limit:
        return queryset, len(ids)
    return queryset.filter(pk__in=ids), len(ids)


def _planner_rows(queryset: QuerySet) -> float:
    """How many rows PostgreSQL's planner expects the query to return (EXPLAIN, not run)."""
    text = queryset.explain(format="json")
    if not text:  # a filter nothing can match (an empty list of accounts): no query at all
        return 0.0
    return float(json.loads(text)[0]["Plan"]["Plan Rows"])


def _as_utc(moment: datetime) -> datetime:
    """In UTC: PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 text can carry."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # before year 1 in UTC: since the beginning
        return datetime.min.replace(tzinfo=UTC)


def _repositories() -> QuerySet[Repository]:
    # Nothing joined: joining the forge, account and organisation tables to every repository
    # query cost PostgreSQL's planner more (~2 ms a query) than the page's own rows. A page reads
    # its repositories' owners afterwards (repository_owners, repository_rows_complete).
    return Repository.objects.all()


def repository_list(*, filters: dict[str, Any] | None = None) -> QuerySet[Repository]:
    """Repositories matching the filters, with their forge, account and organisation loaded.

    Filters (all optional): organisation and ministry (slugs), forge (host), language,
    license (SPDX id), topic, archived, fork, gone (booleans; gone repositories are left out
    unless ``gone`` is given), updated_since (datetime), q (words).
    """
    filters = {key: value for key, value in (filters or {}).items() if value not in (None, "")}
    queryset = _repositories()
    gone = filters.get("gone")
    if gone is None or gone is False:
        queryset = queryset.filter(gone_at__isnull=True)
    else:
        queryset = queryset.filter(gone_at__isnull=False)
    # Accounts first (a small table), then repositories by the account index: far cheaper than
    # joining every repository to its organisation to test the slug.
    if "organisation" in filters:
        slug = filters["organisation"]
        accounts = Account.objects.filter(
            Q(organisation__slug=slug)
            | Q(organisation__isnull=True, forge__organisation__slug=slug)
        )
        queryset = queryset.filter(account__in=list(accounts.values_list("pk", flat=True)))
    if "ministry" in filters:
        slug = filters["ministry"]
        accounts = Account.objects.filter(
            Q(organisation__ministry__slug=slug)
            | Q(organisation__slug=slug, organisation__is_top=True)
            | Q(organisation__isnull=True, forge__organisation__ministry__slug=slug)
            | Q(
                organisation__isnull=True,
                forge__organisation__slug=slug,
                forge__organisation__is_top=True,
            )
        )
        queryset = queryset.filter(account__in=list(accounts.values_list("pk", flat=True)))
    if "forge" in filters:
        queryset = queryset.filter(forge__host__iexact=filters["forge"])
    if "language" in filters:
        queryset = queryset.filter(language__iexact=filters["language"])
    if "license" in filters:
        queryset = queryset.filter(license_spdx__iexact=filters["license"])
    if "topic" in filters:
        topic = str(filters["topic"]).lower()
        if settings.IS_POSTGRES:
            queryset = queryset.filter(topics__contains=[topic])
        else:
            # SQLite has no JSON containment: match the quoted item in the JSON text.
            queryset = queryset.filter(topics__icontains=f'"{topic}"')
    if "archived" in filters:
        queryset = queryset.filter(is_archived=bool(filters["archived"]))
    if "fork" in filters:
        queryset = queryset.filter(is_fork=bool(filters["fork"]))
    if "updated_since" in filters:
        since = _as_utc(filters["updated_since"])
        queryset = queryset.filter(Q(updated_at__gte=since) | Q(pushed_at__gte=since))
    if "q" in filters:
        queryset = repository_search(queryset, str(filters["q"]))
    return queryset


# What a repository listing shows: read as plain rows (no model instances), which makes a
# page of 50 several times cheaper to load and to serialise. The repository's own columns are
# read by the (sorted, filtered, paginated) query; its owner's by repository_rows_complete.
REPOSITORY_OWN_FIELDS = (
    "id",
    "forge_id",
    "remote_id",
    "account_id",
    "owner",
    "name",
    "full_name",
    "html_url",
    "clone_url",
    "description",
    "default_branch",
    "language",
    "languages",
    "license_spdx",
    "license_name",
    "topics",
    "stars",
    "forks",
    "open_issues",
    "subscribers",
    "is_fork",
    "is_archived",
    "is_template",
    "homepage",
    "has_readme",
    "has_license_file",
    "has_contributing",
    "has_changelog",
    "has_publiccode",
    "created_at",
    "updated_at",
    "pushed_at",
    "first_seen_at",
    "last_seen_at",
    "gone_at",
    "reuse_score",
)
def repository_rows(queryset: QuerySet[Repository]) -> QuerySet[dict]:
    """The repositories of a selector's queryset as rows of REPOSITORY_OWN_FIELDS; pass the
    rows shown to ``repository_rows_complete`` for their owner's fields."""
    return queryset.values(*REPOSITORY_OWN_FIELDS)


# The owners of a page's repositories: a fixed statement (the API's hot path; the ORM took
# longer to build it than PostgreSQL to run it).
_OWNERS_SQL = """
    SELECT account.id, account.forge_id, account.login, forge.host,
           COALESCE(own.slug, forge_owner.slug), COALESCE(own.name, forge_owner.name)
    FROM forges_account account
    JOIN forges_forge forge ON forge.id = account.forge_id
    LEFT JOIN organisations_organisation own ON own.id = account.organisation_id
    LEFT JOIN organisations_organisation forge_owner ON forge_owner.id = forge.organisation_id
    WHERE account.id IN ({ids})
"""


class RepositoryOwner(NamedTuple):
    """Who a repository belongs to, as lists show it."""

    account_id: int
    forge_id: int
    login: str
    host: str
    organisation_slug: str | None
    organisation_name: str | None

    @property
    def display_name(self) -> str:
        return account_display_name(host=self.host, login=self.login)


def repository_owners(account_ids: Iterable[int]) -> dict[int, RepositoryOwner]:
    """The accounts (with their forge host and organisation: the account's, else its forge's)
    by id, in one small query."""
    ids = sorted({int(pk) for pk in account_ids})
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_OWNERS_SQL.format(ids=", ".join(["%s"] * len(ids))), ids)
        return {row[0]: RepositoryOwner(*row) for row in cursor.fetchall()}


def repository_rows_complete(rows: list[dict]) -> list[dict]:
    """The rows (of ``repository_rows``) with their owner's fields added: ``forge__host``,
    ``account__forge__host``, ``account__login``, ``organisation_slug`` and
    ``organisation_name`` (the account's organisation, else its forge's). One small query (the
    rows' accounts with their forge and organisations); the forge of a repository is its
    account's, read apart only if it ever is not."""
    if not rows:
        return rows
    owners = repository_owners(row["account_id"] for row in rows)
    hosts = {owner.forge_id: owner.host for owner in owners.values()}
    missing = {row["forge_id"] for row in rows} - hosts.keys()
    if missing:
        hosts.update(Forge.objects.filter(pk__in=missing).values_list("pk", "host"))
    for row in rows:
        owner = owners[row["account_id"]]
        row["forge__host"] = hosts[row["forge_id"]]
        row["account__forge__host"] = owner.host
        row["account__login"] = owner.login
        row["organisation_slug"] = owner.organisation_slug
        row["organisation_name"] = owner.organisation_name
    return rows


def account_list(*, filters: dict[str, Any] | None = None) -> QuerySet[Account]:
    """Public accounts (not mere proposals) with their forge, organisation and repository count.

    Filters: forge (host), organisation (slug), kind.
    """
    filters = {key: value for key, value in (filters or {}).items() if value not in (None, "")}
    queryset = Account.objects.filter(state__in=PUBLIC_ACCOUNT_STATES).select_related(
        "forge", "organisation", "organisation__ministry", "forge__organisation"
    )
    if "forge" in filters:
        queryset = queryset.filter(forge__host__iexact=filters["forge"])
    if "organisation" in filters:
        queryset = queryset.filter(organisation__slug=filters["organisation"])
    if "kind" in filters:
        queryset = queryset.filter(kind=filters["kind"])
    return queryset


def organisation_list(*, filters: dict[str, Any] | None = None) -> QuerySet[Organisation]:
    """Organisations with their ministry and parent, and counts of public accounts and repositories."""
    filters = {key: value for key, value in (filters or {}).items() if value not in (None, "")}
    accounts = (
        Account.objects.filter(organisation=OuterRef("pk"), state__in=PUBLIC_ACCOUNT_STATES)
        .order_by()
        .values("organisation")
        .annotate(count=Count("pk"))
        .values("count")
    )
    # Organisations agents named stay out of public lists until a curator validates them.
    queryset = (
        Organisation.objects.public()
        .select_related("ministry", "parent")
        .annotate(
            accounts_count=Coalesce(Subquery(accounts), 0),
            repositories_count=organisation_repositories_count(),
        )
    )
    if "ministry" in filters:
        queryset = queryset.filter(ministry__slug=filters["ministry"])
    if "is_top" in filters:
        queryset = queryset.filter(is_top=bool(filters["is_top"]))
    return queryset


def organisation_repositories_count() -> Coalesce:
    """An annotation of organisations: their public accounts' repositories, from the counts
    stored on the accounts (a sum over a few accounts, not a count over the repositories)."""
    counts = (
        Account.objects.filter(organisation=OuterRef("pk"), state__in=PUBLIC_ACCOUNT_STATES)
        .order_by()
        .values("organisation")
        .annotate(total=Sum("repositories_count"))
        .values("total")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


ORGANISATIONS_PAGE_SIZE = 50


@dataclass
class MinistryGroup:
    """One ministry (None: organisations whose ministry is not known), its organisations on the
    page, and its totals over all its organisations (on this page or not)."""

    ministry: Organisation | None
    organisations: list[Organisation] = field(default_factory=list)
    accounts_count: int = 0
    repositories_count: int = 0


def organisation_list_by_ministry() -> QuerySet[Organisation]:
    """Organisations with public accounts, with ``accounts_count`` and ``repositories_count``
    (from the counts stored on the accounts), in one grouped join over the accounts: by
    ministry name (the unknown ministry last), a ministry heading its own group, then by name."""
    return (
        Organisation.objects.public()
        .filter(accounts__state__in=PUBLIC_ACCOUNT_STATES)
        .select_related("ministry")
        .annotate(
            accounts_count=Count("accounts"),
            repositories_count=Coalesce(Sum("accounts__repositories_count"), Value(0)),
        )
        .order_by(F("ministry__name").asc(nulls_last=True), "ministry_id", "-is_top", "name", "pk")
    )


def organisation_page_by_ministry(page_number: Any) -> tuple[Page, list[MinistryGroup]]:
    """A page of ``organisation_list_by_ministry`` (ORGANISATIONS_PAGE_SIZE organisations), and
    the page's organisations grouped by ministry with each ministry's totals: three queries
    (count, page, totals), whatever the number of organisations, accounts or repositories."""
    page = Paginator(organisation_list_by_ministry(), ORGANISATIONS_PAGE_SIZE).get_page(page_number)
    groups: dict[int | None, MinistryGroup] = {}
    for organisation in page.object_list:
        key = organisation.ministry_id
        if key not in groups:
            groups[key] = MinistryGroup(ministry=organisation.ministry)
        groups[key].organisations.append(organisation)
    if groups:
        known = [key for key in groups if key is not None]
        in_groups = Q(organisation__ministry_id__in=known)
        if None in groups:
            in_groups |= Q(organisation__isnull=False, organisation__ministry__isnull=True)
        totals = (
            Account.objects.filter(
                in_groups,
                state__in=PUBLIC_ACCOUNT_STATES,
                organisation__status=OrganisationStatus.VALIDATED,
            )
            .order_by()
            .values("organisation__ministry_id")
            .annotate(accounts=Count("pk"), repositories=Sum("repositories_count"))
        )
        for total in totals:
            group = groups[total["organisation__ministry_id"]]
            group.accounts_count = total["accounts"]
            group.repositories_count = total["repositories"] or 0
    return page, list(groups.values())


def repository_counts(dimension: str) -> list[tuple[str, int]]:
    """(value, listed repositories) of a dimension (language, license, forge, year), largest
    first, as the last refresh counted them ("" for an unknown value)."""
    return list(
        RepositoryCount.objects.filter(dimension=dimension)
        .order_by("-count", "value")
        .values_list("value", "count")
    )


def repositories_listed_count() -> int:
    """Repositories still on their forge, as the last refresh counted them."""
    counted = RepositoryCount.objects.filter(
        dimension=RepositoryCountDimension.LISTED, value=""
    ).values_list("count", flat=True)
    return next(iter(counted), 0)


def crawl_run_list(*, filters: dict[str, Any] | None = None) -> QuerySet[CrawlRun]:
    """Crawl runs, newest first, with their per-account results and those accounts' forges."""
    filters = {key: value for key, value in (filters or {}).items() if value not in (None, "")}
    queryset = CrawlRun.objects.prefetch_related(
        Prefetch(
            "results",
            queryset=AccountCrawl.objects.select_related("account", "account__forge").order_by(
                "account__forge__host", "account__login", "pk"
            ),
        )
    )
    if "status" in filters:
        queryset = queryset.filter(status=filters["status"])
    return queryset.order_by("-started_at", "-pk")


def crawl_run_last_successful() -> CrawlRun | None:
    """The latest finished run in which at least one account was crawled (success or partial)."""
    return (
        CrawlRun.objects.filter(status__in=["success", "partial"], finished_at__isnull=False)
        .order_by("-finished_at")
        .first()
    )
