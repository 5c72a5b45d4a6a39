"""Reads of the code inventory (repositories, accounts, organisations, crawl runs) for the API,
the open-data exports and the web interface."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Trim, Upper
from django.db.models.lookups import Exact

from inventory.forges.models import Account, AccountCrawl, AccountState, CrawlRun, Repository
from inventory.organisations.models import Organisation

# Accounts a person proposed and curators have not accepted (or rejected) are not public.
PUBLIC_ACCOUNT_STATES = (AccountState.ACTIVE, AccountState.INACTIVE)
# A license the forge could not identify is not "known" for the awesome-score.
UNKNOWN_LICENSES = {"", "NOASSERTION", "OTHER", "NONE"}


def awesome_score(
    *,
    license_spdx: str,
    is_template: bool,
    has_publiccode: bool,
    has_readme: bool,
    has_contributing: bool,
    has_changelog: bool,
    description: str,
    is_archived: bool,
    is_fork: bool,
    forks: int | None,
    subscribers: int | None,
) -> int:
    """code.gouv.fr's awesome-score: what makes code reusable, from the crawl's root files.

    +1000 a known license, +1000 a template, +1000 a publiccode.yml, +100 a README,
    +100 a CONTRIBUTING file, +10 a CHANGELOG, -100 no description, -1000 archived,
    -1000 a fork; and +1000/+100/+10 for more than 100/10/1 forks (only the highest tier),
    the same for subscribers.
    """
    score = 0
    if (license_spdx or "").strip().upper() not in UNKNOWN_LICENSES:
        score += 1000
    score += 1000 if is_template else 0
    score += 1000 if has_publiccode else 0
    score += 100 if has_readme else 0
    score += 100 if has_contributing else 0
    score += 10 if has_changelog else 0
    score -= 0 if (description or "").strip() else 100
    score -= 1000 if is_archived else 0
    score -= 1000 if is_fork else 0
    for count in (forks or 0, subscribers or 0):
        if count > 100:
            score += 1000
        elif count > 10:
            score += 100
        elif count > 1:
            score += 10
    return score


AWESOME_SCORE_FIELDS = (
    "license_spdx",
    "is_template",
    "has_publiccode",
    "has_readme",
    "has_contributing",
    "has_changelog",
    "description",
    "is_archived",
    "is_fork",
    "forks",
    "subscribers",
)


def _points(condition: Q, points: int) -> Case:
    return Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def _tier(field: str) -> Case:
    return Case(
        When(**{f"{field}__gt": 100}, then=Value(1000)),
        When(**{f"{field}__gt": 10}, then=Value(100)),
        When(**{f"{field}__gt": 1}, then=Value(10)),
        default=Value(0),
        output_field=IntegerField(),
    )


def awesome_score_expression() -> ExpressionWrapper:
    """``awesome_score`` computed by the database (to sort by it, or to export in SQL)."""
    unknown_license = Q(Exact(Upper(Trim("license_spdx")), Value("")))
    for name in sorted(UNKNOWN_LICENSES - {""}):
        unknown_license |= Q(Exact(Upper(Trim("license_spdx")), Value(name)))
    return ExpressionWrapper(
        _points(~unknown_license, 1000)
        + _points(Q(is_template=True), 1000)
        + _points(Q(has_publiccode=True), 1000)
        + _points(Q(has_readme=True), 100)
        + _points(Q(has_contributing=True), 100)
        + _points(Q(has_changelog=True), 10)
        - _points(Q(Exact(Trim("description"), Value(""))), 100)
        - _points(Q(is_archived=True), 1000)
        - _points(Q(is_fork=True), 1000)
        + _tier("forks")
        + _tier("subscribers"),
        output_field=IntegerField(),
    )


def reuse_score(repository: Repository | dict[str, Any]) -> int:
    """The awesome-score of a repository (a model instance or a values() dict)."""
    if isinstance(repository, dict):
        return awesome_score(**{name: repository[name] for name in AWESOME_SCORE_FIELDS})
    return awesome_score(**{name: getattr(repository, name) for name in AWESOME_SCORE_FIELDS})


def _unaccent(expression):
    return Func(expression, function="unaccent", output_field=TextField())


def repository_search(queryset: QuerySet[Repository], q: str) -> QuerySet[Repository]:
    """Every word must appear in the name, description or topics (accents and case ignored)."""
    terms = q.split()
    if not terms:
        return queryset
    if settings.IS_POSTGRES:
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = (
            SearchVector(_unaccent(F("full_name")), config="simple")
            + SearchVector(_unaccent(F("description")), config="simple")
            + SearchVector(_unaccent(Cast("topics", TextField())), config="simple")
        )
        # Each word is a lexeme of the text or, since a word inside a name ("data" in "udata")
        # is no lexeme, a part of the name.
        condition = Q()
        for term in terms:
            query = SearchQuery(_unaccent(Value(term)), config="simple", search_type="plain")
            condition &= Q(search_vector=query) | Q(full_name__unaccent__icontains=term)
        return queryset.annotate(search_vector=vector).filter(condition)
    condition = Q()
    for term in terms:
        condition &= (
            Q(full_name__icontains=term)
            | Q(description__icontains=term)
            | Q(topics__icontains=term)
        )
    return queryset.filter(condition)


def _as_utc(moment: datetime) -> datetime:
    """In UTC: PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 text can carry."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # before year 1 in UTC: since the beginning
        return datetime.min.replace(tzinfo=UTC)


def _repositories() -> QuerySet[Repository]:
    return Repository.objects.select_related(
        "forge", "account", "account__forge", "account__organisation", "forge__organisation"
    )


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
# page of 50 several times cheaper to load and to serialise.
REPOSITORY_ROW_FIELDS = (
    "id",
    "forge__host",
    "remote_id",
    "account_id",
    "account__forge__host",
    "account__login",
    "organisation_slug",
    "organisation_name",
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
)


def repository_rows(queryset: QuerySet[Repository]) -> QuerySet[dict]:
    """The repositories of a selector's queryset as rows of REPOSITORY_ROW_FIELDS."""
    return queryset.annotate(
        organisation_slug=Coalesce("account__organisation__slug", "forge__organisation__slug"),
        organisation_name=Coalesce("account__organisation__name", "forge__organisation__name"),
    ).values(*REPOSITORY_ROW_FIELDS)


def account_list(*, filters: dict[str, Any] | None = None) -> QuerySet[Account]:
    """Public accounts (not mere proposals) with their forge, organisation and repository count.

    Filters: forge (host), organisation (slug), kind.
    """
    filters = {key: value for key, value in (filters or {}).items() if value not in (None, "")}
    repositories = (
        Repository.objects.filter(account=OuterRef("pk"), gone_at__isnull=True)
        .order_by()
        .values("account")
        .annotate(count=Count("pk"))
        .values("count")
    )
    queryset = (
        Account.objects.filter(state__in=PUBLIC_ACCOUNT_STATES)
        .select_related("forge", "organisation", "organisation__ministry", "forge__organisation")
        .annotate(repositories_count=Coalesce(Subquery(repositories), 0))
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
    repositories = (
        Repository.objects.filter(
            account__organisation=OuterRef("pk"),
            account__state__in=PUBLIC_ACCOUNT_STATES,
            gone_at__isnull=True,
        )
        .order_by()
        .values("account__organisation")
        .annotate(count=Count("pk"))
        .values("count")
    )
    queryset = Organisation.objects.select_related("ministry", "parent").annotate(
        accounts_count=Coalesce(Subquery(accounts), 0),
        repositories_count=Coalesce(Subquery(repositories), 0),
    )
    if "ministry" in filters:
        queryset = queryset.filter(ministry__slug=filters["ministry"])
    if "is_top" in filters:
        queryset = queryset.filter(is_top=bool(filters["is_top"]))
    return queryset


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
