"""API of dependency data: most used packages, a package's dependents, a repository's dependencies."""

from __future__ import annotations

import django_filters
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from inventory.api.conditional import cached_read
from inventory.api.filters import SelectorFilterSet, StrictBooleanFilter
from inventory.api.pagination import SmallPageNumberPagination
from inventory.api.views.base import DETAIL_ERRORS, READ_ERRORS, ApiViewSet, integer_id
from inventory.dependencies import selectors
from inventory.dependencies.models import Dependency, Ecosystem, Package, Scope
from inventory.forges.models import Repository


class PackageFilter(SelectorFilterSet):
    ecosystem = django_filters.ChoiceFilter(choices=Ecosystem.choices, help_text="Ecosystem.")
    q = django_filters.CharFilter(max_length=200, help_text="Part of the package name.")
    scope = django_filters.ChoiceFilter(
        choices=Scope.choices, help_text="Count only runtime or development dependencies."
    )


class DependentFilter(SelectorFilterSet):
    version = django_filters.CharFilter(
        max_length=200,
        help_text="Version range the resolved version (else the constraint's lower bound) is "
        "in: >=1.2,<2 or ^1.4 or ~> 7.1 or 1.2 (every 1.2.x) or ==2.0.1.",
    )
    organisation = django_filters.CharFilter(max_length=200, help_text="Organisation slug.")
    ministry = django_filters.CharFilter(
        max_length=200, help_text="Ministry slug: repositories of every organisation under it."
    )
    scope = django_filters.ChoiceFilter(choices=Scope.choices, help_text="Runtime or development.")
    direct = StrictBooleanFilter(help_text="Declared by a manifest (true) or only locked (false).")


class PackageSerializer(serializers.Serializer):
    ecosystem = serializers.CharField()
    name = serializers.CharField(help_text="Normalised as the ecosystem does (PEP 503 for PyPI).")
    repositories_count = serializers.IntegerField(help_text="Listed repositories using it.")
    organisations_count = serializers.IntegerField(help_text="Organisations using it.")
    dependents_url = serializers.SerializerMethodField()

    def get_dependents_url(self, package: Package) -> str:
        return reverse(
            "api:package-dependents", kwargs={"ecosystem": package.ecosystem, "name": package.name}
        )


class DependencyFieldsSerializer(serializers.Serializer):
    requirement = serializers.CharField(help_text="The constraint a manifest declares.")
    resolved_version = serializers.CharField(help_text="The version a lock file pins.")
    scope = serializers.ChoiceField(choices=Scope.choices)
    direct = serializers.BooleanField(help_text="Declared by a manifest, not only locked.")
    manifest = serializers.CharField(help_text="The root file that declares it.")


class DependentSerializer(DependencyFieldsSerializer):
    repository_id = serializers.IntegerField()
    repository = serializers.CharField(source="repository.full_name")
    html_url = serializers.CharField(source="repository.html_url")
    forge = serializers.CharField(source="repository.forge.host")
    organisation = serializers.SerializerMethodField()

    def get_organisation(self, dependency: Dependency) -> str:
        repository = dependency.repository
        organisation = repository.account.organisation or repository.forge.organisation
        return organisation.slug if organisation else ""


class RepositoryDependencySerializer(DependencyFieldsSerializer):
    ecosystem = serializers.CharField(source="package.ecosystem")
    name = serializers.CharField(source="package.name")


class PackageViewSet(ApiViewSet):
    permission_classes = [AllowAny]
    serializer_class = PackageSerializer
    pagination_class = SmallPageNumberPagination
    queryset = Package.objects.none()
    filterset_class = PackageFilter

    def _filters(self, filterset_class) -> dict:
        return filterset_class.parse(self.request.query_params)

    @extend_schema(
        description="Packages public repositories depend on, most used first.",
        parameters=[
            OpenApiParameter("ecosystem", OpenApiTypes.STR, enum=Ecosystem.values),
            OpenApiParameter("q", OpenApiTypes.STR, description="Part of the package name."),
            OpenApiParameter("scope", OpenApiTypes.STR, enum=Scope.values),
        ],
        responses={200: PackageSerializer(many=True), **READ_ERRORS},
    )
    @cached_read
    def list(self, request):
        return self.paginated(selectors.package_list(filters=self._filters(PackageFilter)))

    @extend_schema(
        description="Which listed repositories use this package, filtered by version range, "
        "organisation, ministry, scope.",
        parameters=[
            OpenApiParameter("ecosystem", OpenApiTypes.STR, OpenApiParameter.PATH, enum=Ecosystem.values),
            OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH,
                             description="Package name (npm scopes, Maven group:artifact and Go "
                             "module paths as they are)."),
            OpenApiParameter("version", OpenApiTypes.STR, description=DependentFilter.base_filters["version"].extra["help_text"]),
            OpenApiParameter("organisation", OpenApiTypes.STR, description="Organisation slug."),
            OpenApiParameter("ministry", OpenApiTypes.STR, description="Ministry slug."),
            OpenApiParameter("scope", OpenApiTypes.STR, enum=Scope.values),
            OpenApiParameter("direct", OpenApiTypes.BOOL),
        ],
        responses={200: DependentSerializer(many=True), **DETAIL_ERRORS},
    )  # fmt: skip
    @action(
        detail=False,
        methods=["get"],
        url_path=r"(?P<ecosystem>[^/]+)/(?P<name>.+)/dependents",
        url_name="dependents",
        serializer_class=DependentSerializer,
    )
    @cached_read
    def dependents(self, request, ecosystem: str, name: str):
        if ecosystem not in Ecosystem.values:
            raise NotFound(f"Unknown ecosystem: expected one of {', '.join(Ecosystem.values)}.")
        package = selectors.package_get(ecosystem=ecosystem, name=name)
        if package is None:
            raise NotFound("No public repository depends on this package.")
        filters = self._filters(DependentFilter)
        return self.paginated(selectors.package_dependents(package=package, filters=filters))


class RepositoryDependenciesViewSet(ApiViewSet):
    permission_classes = [AllowAny]
    serializer_class = RepositoryDependencySerializer
    pagination_class = SmallPageNumberPagination
    queryset = Repository.objects.none()

    @extend_schema(
        description="What a repository depends on, from its manifests and lock files.",
        responses={200: RepositoryDependencySerializer(many=True), **DETAIL_ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="dependencies")
    @cached_read
    def dependencies(self, request, pk: str):
        repository = Repository.objects.filter(pk=integer_id(pk)).first()
        if repository is None:
            raise NotFound("No repository with this id.")
        return self.paginated(selectors.repository_dependencies(repository=repository))
