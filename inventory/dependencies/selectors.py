"""Reads of dependency data: most used packages, a package's dependents, a repository's list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from crawlers.manifests.base import normalize_name
from inventory.dependencies.models import Dependency, Ecosystem, Manifest, Package
from inventory.dependencies.versions import version_range_q
from inventory.forges.models import Repository
from inventory.forges.selectors import PUBLIC_ACCOUNT_STATES, repository_list

# A dependency counts when its repository is listed: not gone, of a public account.
LISTED = Q(
    dependents__repository__gone_at__isnull=True,
    dependents__repository__account__state__in=PUBLIC_ACCOUNT_STATES,
)


def package_list(*, filters: dict[str, Any] | None = None) -> QuerySet[Package]:
    """Packages used by listed repositories, most used first, with ``repositories_count`` and
    ``organisations_count``. Filters: ecosystem, q (part of the name), scope."""
    filters = {key: value for key, value in (filters or {}).items() if value not in (None, "")}
    listed = LISTED
    if "scope" in filters:
        listed &= Q(dependents__scope=filters["scope"])
    queryset = Package.objects.all()
    if "ecosystem" in filters:
        queryset = queryset.filter(ecosystem=filters["ecosystem"])
    if "q" in filters:
        queryset = queryset.filter(name__icontains=str(filters["q"]).strip().lower())
    # (repository, package) is unique: counting dependencies counts repositories.
    return (
        queryset.annotate(
            repositories_count=Count("dependents", filter=listed),
            organisations_count=Count(
                Coalesce(
                    "dependents__repository__account__organisation",
                    "dependents__repository__forge__organisation",
                ),
                filter=listed,
                distinct=True,
            ),
        )
        .filter(repositories_count__gt=0)
        .order_by("-repositories_count", "ecosystem", "name", "pk")
    )


@dataclass(frozen=True)
class EcosystemFigure:
    ecosystem: str
    label: str
    packages: int


def ecosystem_figures() -> list[EcosystemFigure]:
    """How many packages listed repositories use, per ecosystem (one grouped query)."""
    rows = (
        Dependency.objects.filter(
            repository__gone_at__isnull=True,
            repository__account__state__in=PUBLIC_ACCOUNT_STATES,
        )
        .values("package__ecosystem")
        .annotate(packages=Count("package", distinct=True))
        .order_by()
    )
    counts = {row["package__ecosystem"]: row["packages"] for row in rows}
    return [
        EcosystemFigure(value, label, counts[value])
        for value, label in Ecosystem.choices
        if counts.get(value)
    ]


def package_get(*, ecosystem: str, name: str) -> Package | None:
    """The package as its ecosystem names it (``Django`` finds PyPI's ``django``)."""
    if ecosystem not in Ecosystem.values or "\x00" in name or len(name) > 300:
        return None  # PostgreSQL refuses NUL in text; no package has such a name
    return Package.objects.filter(ecosystem=ecosystem, name=normalize_name(ecosystem, name)).first()


def package_dependents(
    *, package: Package, filters: dict[str, Any] | None = None
) -> QuerySet[Dependency]:
    """The listed repositories depending on ``package``, with their organisation loaded.

    Filters: version (a range, see ``versions.version_range_q``; an ApplicationError when it
    cannot be read), organisation and ministry (slugs, as for repositories), scope, direct.
    """
    filters = {key: value for key, value in (filters or {}).items() if value not in (None, "")}
    queryset = Dependency.objects.filter(
        package=package,
        repository__gone_at__isnull=True,
        repository__account__state__in=PUBLIC_ACCOUNT_STATES,
    )
    if "version" in filters:
        queryset = queryset.filter(version_range_q(str(filters["version"])))
    if "scope" in filters:
        queryset = queryset.filter(scope=filters["scope"])
    if "direct" in filters:
        queryset = queryset.filter(direct=bool(filters["direct"]))
    places = {key: filters[key] for key in ("organisation", "ministry") if key in filters}
    if places:
        queryset = queryset.filter(repository__in=repository_list(filters=places).values("pk"))
    return queryset.select_related(
        "repository__forge",
        "repository__account__organisation",
        "repository__forge__organisation",
    ).order_by("repository__full_name", "repository_id")


def repository_dependencies(*, repository: Repository) -> QuerySet[Dependency]:
    """A repository's dependencies: runtime first, by ecosystem and name."""
    return (
        Dependency.objects.filter(repository=repository)
        .select_related("package")
        .order_by("-direct", "-scope", "package__ecosystem", "package__name")
    )


def repository_manifests(*, repository: Repository) -> QuerySet[Manifest]:
    return Manifest.objects.filter(repository=repository).order_by("kind", "path")


def published_packages() -> QuerySet[Manifest]:
    """Manifests of listed repositories that name the package the repository publishes."""
    return (
        Manifest.objects.filter(
            repository__gone_at__isnull=True,
            repository__account__state__in=PUBLIC_ACCOUNT_STATES,
        )
        .exclude(package_name="")
        .select_related("repository__forge")
        .order_by("ecosystem", "package_name", "repository_id", "pk")
    )
