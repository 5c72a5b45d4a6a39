"""Catalog reads for the web interface: search, filters, software and organisation pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Lower

from inventory.catalog.models import (
    Category,
    Comment,
    Instance,
    ReferentDeclaration,
    Software,
    SoftwareStatus,
    UserDeclaration,
)
from inventory.catalog.names import name_key, names_suggested
from inventory.catalog.search.analysis import fold
from inventory.catalog.search.engine import (
    search_query_is_valid,
    software_names_nearest,
    software_search,
)
from inventory.catalog.taxonomy import CANONICAL, category_slug
from inventory.forges.models import Account, Repository
from inventory.forges.selectors import repositories_listed_count
from inventory.organisations.models import Organisation, OrganisationStatus
from inventory.organisations.naming import organisations_named_q

SOFTWARE_TYPES = ("desktop", "cloud", "stack")
OPERATING_SYSTEMS = ("windows", "linux", "mac", "android", "ios")
SORTS = ("relevance", "referents", "recent", "name")
# Proposals wait for a curator: they are listed only when asked for by status.
LISTED_STATUSES = (
    SoftwareStatus.RECOMMENDED,
    SoftwareStatus.OBSERVATION,
    SoftwareStatus.DEREFERENCED,
)


@dataclass(frozen=True)
class SoftwareFilters:
    """What a visitor asked for on the search page; unknown values are ignored, never an error."""

    q: str = ""
    category: str = ""
    software_type: str = ""
    os: str = ""
    organisation: str = ""
    license: str = ""
    status: str = ""
    public_sector: bool = False
    sort: str = ""

    @property
    def is_active(self) -> bool:
        """Whether anything narrows the list (the page then offers to clear the filters)."""
        return any(
            [
                self.q,
                self.category,
                self.software_type,
                self.os,
                self.organisation,
                self.license,
                self.status,
                self.public_sector,
            ]
        )

    @classmethod
    def from_query(cls, data: Any) -> SoftwareFilters:
        """Build from request.GET (or any mapping), dropping values outside the known choices."""

        def get(name: str) -> str:
            # PostgreSQL refuses NUL characters in text: drop them rather than fail.
            return str(data.get(name, "") or "").replace("\x00", "").strip()[:200]

        software_type = get("type")
        os_name = get("os")
        status = get("status")
        sort = get("sort")
        return cls(
            q=get("q"),
            category=get("category"),
            software_type=software_type if software_type in SOFTWARE_TYPES else "",
            os=os_name if os_name in OPERATING_SYSTEMS else "",
            organisation=get("organisation"),
            license=get("license"),
            status=status if status in SoftwareStatus.values else "",
            public_sector=get("public_sector") in {"1", "on", "true"},
            sort=sort if sort in SORTS else "",
        )

    @property
    def q_is_searchable(self) -> bool:
        """Words need a letter or a digit: "'" or "!" alone search nothing."""
        return not self.q or search_query_is_valid(self.q)

    @property
    def effective_sort(self) -> str:
        if self.sort == "relevance" and not self.q:
            return "referents"
        return self.sort or ("relevance" if self.q else "referents")


def _with_counts(queryset: QuerySet[Software]) -> QuerySet[Software]:
    return queryset.annotate(
        referent_count=Count("referents", distinct=True),
        user_count=Count("users", distinct=True),
    )


def software_list(*, filters: SoftwareFilters) -> QuerySet[Software]:
    """Software matching the filters, with referent and user counts, in the asked order; with
    words to search, only the entries that answer them (``inventory/catalog/search/``), best
    first unless another order is asked."""
    queryset = Software.objects.all()
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    else:
        queryset = queryset.filter(status__in=LISTED_STATUSES)
    if filters.category:
        queryset = queryset.filter(categories__slug=filters.category)
    if filters.software_type == "desktop":
        queryset = queryset.filter(is_desktop=True)
    elif filters.software_type == "cloud":
        queryset = queryset.filter(is_cloud=True)
    elif filters.software_type == "stack":
        queryset = queryset.filter(is_stack=True)
    if filters.os:
        queryset = queryset.filter(**{f"os_{filters.os}": True})
    if filters.organisation:
        queryset = queryset.filter(
            Exists(
                ReferentDeclaration.objects.filter(
                    software=OuterRef("pk"), organisation__slug=filters.organisation
                )
            )
        )
    if filters.license:
        queryset = queryset.filter(license=filters.license)
    if filters.public_sector:
        queryset = queryset.filter(is_from_french_public_service=True)

    ranked: list[int] = []
    if filters.q:
        ranked = software_search(queryset=queryset, q=filters.q)
        queryset = queryset.filter(pk__in=ranked)

    queryset = _with_counts(queryset).prefetch_related("categories")
    sort = filters.effective_sort
    if sort == "relevance":
        position = Case(
            *(When(pk=pk, then=Value(index)) for index, pk in enumerate(ranked)),
            default=Value(len(ranked)),
            output_field=IntegerField(),
        )
        return queryset.order_by(position, "pk")
    if sort == "recent":
        return queryset.order_by("-created_at", "-pk")
    if sort == "name":
        return queryset.order_by(Lower("name"), "pk")
    return queryset.order_by("-referent_count", "-user_count", "name", "pk")


def software_search_suggestions(*, filters: SoftwareFilters, limit: int = 5) -> list[Software]:
    """For a search that found nothing: what its words find without the other filters, else
    the entries whose names look most like them."""
    listed = Software.objects.filter(status__in=LISTED_STATUSES)
    ids: list[int] = []
    if filters.q and filters != SoftwareFilters(q=filters.q, sort=filters.sort):
        ids = software_search(queryset=listed, q=filters.q)[:limit]
    if not ids and filters.q:
        ids = software_names_nearest(queryset=listed, q=filters.q, limit=limit)
    by_id = Software.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


@dataclass(frozen=True)
class FilterChoices:
    categories: list[Category]
    organisations: list[Organisation]
    licenses: list[str]
    # Whether any listed entry says it: a filter no entry could match is not offered.
    types: bool = False
    operating_systems: bool = False
    public_sector: bool = False


def software_filter_choices() -> FilterChoices:
    """The options offered by the search page: only values that would give results, and only
    organisations with a real name."""
    listed = Software.objects.filter(status__in=LISTED_STATUSES)
    # One read of the (small) catalog's licenses and facts, instead of a query per filter.
    rows = list(
        listed.values_list(
            "license", "is_desktop", "is_cloud", "is_stack", "os_windows", "os_linux", "os_mac",
            "os_android", "os_ios", "is_from_french_public_service",
        )
    )  # fmt: skip
    return FilterChoices(
        categories=list(
            Category.objects.filter(software__in=listed).distinct().order_by("group", "name")
        ),
        organisations=list(
            Organisation.objects.public()
            .filter(referent_declarations__isnull=False)
            .filter(organisations_named_q())
            .distinct()
            .order_by("name")
        ),
        licenses=sorted({row[0] for row in rows if row[0]}, key=str.casefold),
        types=any(any(row[1:4]) for row in rows),
        operating_systems=any(any(row[4:9]) for row in rows),
        public_sector=any(row[9] for row in rows),
    )


@dataclass(frozen=True)
class Person:
    """A referent or user as the viewer may see them: identity only when the rule allows it."""

    name: str
    email: str
    visible: bool
    is_technical_expert: bool = False
    use_case: str = ""
    version: str = ""
    is_viewer: bool = False


@dataclass
class OrganisationDeclarations:
    organisation: Organisation
    referents: list[Person] = field(default_factory=list)
    users: list[Person] = field(default_factory=list)


@dataclass(frozen=True)
class SoftwareDetail:
    software: Software
    organisations: list[OrganisationDeclarations]
    referent_count: int
    user_count: int
    instances: list[Instance]
    comments: list[Comment]
    similar: list[Software]
    same_categories: list[Software]
    # The SILL's component, unless it is one of the categories already shown.
    component: str
    repositories: list[Repository]
    viewer_referent: ReferentDeclaration | None
    viewer_user: UserDeclaration | None


def _component_not_a_category(software: Software) -> str:
    """The component, when it says more than the categories: the SILL's 2022 files fill both
    from one field, and the taxonomy may have merged it into one of them under another name."""
    component = software.component.strip()
    if not component:
        return ""
    slug = category_slug(component)
    names = {slug, category_slug(CANONICAL.get(slug, (component, 0))[0])}
    shown = {category.slug for category in software.categories.all()}
    return "" if names & shown else component


def identity_visible(*, agent, viewer) -> bool:
    """Signed-in agents see referents and users; the public only those who chose to be public."""
    return bool(getattr(viewer, "is_authenticated", False)) or agent.contact_public


def _person(declaration, viewer) -> Person:
    agent = declaration.agent
    visible = identity_visible(agent=agent, viewer=viewer)
    return Person(
        name=(agent.get_full_name() or agent.email) if visible else "",
        email=agent.email if visible else "",
        visible=visible,
        is_technical_expert=getattr(declaration, "is_technical_expert", False),
        use_case=declaration.use_case,
        version=declaration.version,
        is_viewer=bool(viewer and viewer.is_authenticated and agent.pk == viewer.pk),
    )


def software_visible_q(viewer) -> Q:
    """Which entries ``viewer`` may see: a proposal before review is seen only by the agent who
    proposed it and by curators; every other entry by everyone (the site and the API alike)."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return ~Q(status=SoftwareStatus.PROPOSED)
    if viewer.is_staff:
        return Q()
    return ~Q(status=SoftwareStatus.PROPOSED) | Q(added_by_id=viewer.pk)


def software_get(*, slug: str, viewer) -> Software | None:
    """The entry at ``slug`` when ``viewer`` may see it (``software_visible_q``)."""
    return Software.objects.filter(software_visible_q(viewer), slug=slug).first()


def software_detail(*, software: Software, viewer) -> SoftwareDetail:
    """Everything the software page shows, in a fixed number of queries."""
    referents = list(
        software.referents.select_related("agent", "organisation").order_by(
            "organisation__name", "created_at"
        )
    )
    users = list(
        software.users.select_related("agent", "organisation").order_by(
            "organisation__name", "created_at"
        )
    )
    by_organisation: dict[int, OrganisationDeclarations] = {}
    for declaration in referents:
        group = by_organisation.setdefault(
            declaration.organisation_id, OrganisationDeclarations(declaration.organisation)
        )
        group.referents.append(_person(declaration, viewer))
    for declaration in users:
        group = by_organisation.setdefault(
            declaration.organisation_id, OrganisationDeclarations(declaration.organisation)
        )
        group.users.append(_person(declaration, viewer))
    organisations = sorted(
        by_organisation.values(), key=lambda group: fold(group.organisation.name)
    )

    # "Similar" is listed one way by the SILL: show both directions.
    similar = list(
        Software.objects.filter(Q(similar_of=software) | Q(similar=software))
        .exclude(status=SoftwareStatus.PROPOSED)
        .exclude(pk=software.pk)
        .distinct()
        .order_by("name")[:8]
    )
    # Then the entries still recommended or observed that share the most categories with it.
    same_categories = list(
        Software.objects.filter(
            categories__in=software.categories.all(),
            status__in=(SoftwareStatus.RECOMMENDED, SoftwareStatus.OBSERVATION),
        )
        .exclude(pk__in=[software.pk, *(other.pk for other in similar)])
        .annotate(shared=Count("categories", distinct=True))
        .order_by(
            "-shared", Case(When(status=SoftwareStatus.RECOMMENDED, then=0), default=1), "name"
        )[:6]
    )

    repositories = Repository.objects.filter(gone_at__isnull=True).select_related("forge")
    repository_filter = Q(software=software)
    if software.source_url:
        url = software.source_url.rstrip("/").removesuffix(".git")
        repository_filter |= Q(html_url__iexact=url) | Q(html_url__iexact=url + "/")
    viewer_id = viewer.pk if getattr(viewer, "is_authenticated", False) else None
    return SoftwareDetail(
        software=software,
        organisations=organisations,
        referent_count=len(referents),
        user_count=len(users),
        instances=list(
            software.instances.select_related("organisation").order_by("organisation__name", "pk")
        ),
        comments=list(
            software.comments.filter(is_hidden=False)
            .select_related("author")
            .order_by("created_at")
        ),
        similar=similar,
        same_categories=same_categories,
        component=_component_not_a_category(software),
        repositories=list(repositories.filter(repository_filter).distinct()[:20]),
        viewer_referent=next((d for d in referents if d.agent_id == viewer_id), None),
        viewer_user=next((d for d in users if d.agent_id == viewer_id), None),
    )


@dataclass(frozen=True)
class OrganisationPage:
    organisation: Organisation
    software: list[Software]
    instances: list[Instance]
    accounts: list[Account]
    repository_count: int
    repositories: list[Repository]


def organisation_get(*, slug: str, viewer=None) -> Organisation | None:
    """The organisation's page: a validated one for anyone; one an agent named, still pending,
    only for curators and the agents who asked to belong to it (as it is out of every list)."""
    organisation = (
        Organisation.objects.filter(slug=slug).select_related("ministry", "parent").first()
    )
    if organisation is None or organisation.status == OrganisationStatus.VALIDATED:
        return organisation
    signed_in = viewer is not None and viewer.is_authenticated and viewer.is_active
    if signed_in and (viewer.is_staff or organisation.memberships.filter(agent=viewer).exists()):
        return organisation
    return None


def organisation_page(*, organisation: Organisation) -> OrganisationPage:
    """The software its agents declared (with counts, no identities), instances, accounts, code."""
    declared = (
        Software.objects.filter(
            Q(referents__organisation=organisation) | Q(users__organisation=organisation)
        )
        .distinct()
        .annotate(
            org_referent_count=Count(
                "referents",
                filter=Q(referents__organisation=organisation),
                distinct=True,
            ),
            org_user_count=Count(
                "users", filter=Q(users__organisation=organisation), distinct=True
            ),
        )
        .order_by("name")
    )
    accounts = list(
        organisation.accounts.select_related("forge")
        .exclude(state="rejected")
        .order_by("forge__host", "login")
    )
    # By the accounts' ids: the repositories' index on account, no join over the repositories.
    repositories = Repository.objects.filter(
        account__in=[account.pk for account in accounts], gone_at__isnull=True
    )
    return OrganisationPage(
        organisation=organisation,
        software=list(declared),
        instances=list(
            organisation.instances.select_related("software").order_by("software__name", "pk")
        ),
        accounts=accounts,
        repository_count=sum(account.repositories_count for account in accounts),
        repositories=list(
            repositories.select_related("forge").order_by("-stars", "full_name")[:10]
        ),
    )


@dataclass(frozen=True)
class AgentContributions:
    referent_declarations: list[ReferentDeclaration]
    user_declarations: list[UserDeclaration]
    instances: list[Instance]
    software_added: list[Software]
    comments: list[Comment]


def agent_contributions(*, agent) -> AgentContributions:
    """What an agent declared, added and wrote, for their own page."""
    return AgentContributions(
        referent_declarations=list(
            agent.referent_declarations.select_related("software", "organisation").order_by(
                "software__name"
            )
        ),
        user_declarations=list(
            agent.user_declarations.select_related("software", "organisation").order_by(
                "software__name"
            )
        ),
        instances=list(
            Instance.objects.filter(added_by=agent)
            .select_related("software", "organisation")
            .order_by("software__name", "pk")
        ),
        software_added=list(Software.objects.filter(added_by=agent).order_by("name")),
        comments=list(
            Comment.objects.filter(author=agent).select_related("software").order_by("-created_at")
        ),
    )


@dataclass(frozen=True)
class CatalogFigures:
    software: int
    recommended: int
    referents: int
    organisations: int
    repositories: int


def catalog_figures() -> CatalogFigures:
    """The few figures on the home page."""
    counts = Software.objects.aggregate(
        listed=Count("pk", filter=Q(status__in=LISTED_STATUSES)),
        recommended=Count("pk", filter=Q(status=SoftwareStatus.RECOMMENDED)),
    )
    return CatalogFigures(
        software=counts["listed"],
        recommended=counts["recommended"],
        referents=ReferentDeclaration.objects.values("agent").distinct().count(),
        organisations=Organisation.objects.filter(
            Q(referent_declarations__isnull=False) | Q(user_declarations__isnull=False)
        )
        .distinct()
        .count(),
        repositories=repositories_listed_count(),
    )


def software_most_declared_list(*, limit: int = 6) -> list[Software]:
    """Entries still recommended or observed that agents declared the most (referents and
    users); empty while nobody has declared anything, so no row of zeros is shown."""
    return list(
        _with_counts(
            Software.objects.filter(
                status__in=(SoftwareStatus.RECOMMENDED, SoftwareStatus.OBSERVATION)
            )
        )
        .annotate(declared=F("referent_count") + F("user_count"))
        .filter(declared__gt=0)
        .order_by("-declared", "-referent_count", "name")[:limit]
    )


def software_recent_list(*, limit: int = 6) -> list[Software]:
    """The entries added to the catalog last (recommended or observed)."""
    return list(
        _with_counts(
            Software.objects.filter(
                status__in=(SoftwareStatus.RECOMMENDED, SoftwareStatus.OBSERVATION)
            )
        ).order_by("-created_at", "-pk")[:limit]
    )


def comment_get(*, pk: int) -> Comment | None:
    return (
        Comment.objects.filter(pk=pk, is_hidden=False).select_related("software", "author").first()
    )


def instance_get(*, pk: int) -> Instance | None:
    return Instance.objects.filter(pk=pk).select_related("software", "organisation").first()


def software_name_suggestions(*, name: str, viewer, limit: int = 5) -> list[Software]:
    """Entries the viewer may see whose name looks like ``name`` as it is typed, best first: what
    the proposal form shows before a duplicate is proposed."""
    visible = Software.objects.filter(software_visible_q(viewer))
    keys = ((pk, name_key(text)) for pk, text in visible.values_list("pk", "name"))
    ids = names_suggested(name, keys, limit=limit)
    found = visible.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
