"""Anonymous reads: repositories, accounts, organisations, crawl runs and the software catalog."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from inventory.api import filters, selectors, serializers
from inventory.api.conditional import cached_read
from inventory.api.pagination import SmallPageNumberPagination, StableCursorPagination
from inventory.api.views.base import DETAIL_ERRORS, READ_ERRORS, ApiViewSet, integer_id, slug_value
from inventory.catalog.models import Software
from inventory.enrichment.selectors import software_enrichment
from inventory.forges import selectors as forge_selectors
from inventory.forges.models import Account, CrawlRun, Repository
from inventory.organisations.models import Organisation

# A search matching at most this many repositories is paged from their ids (see the selector).
PINNED_SEARCH_LIMIT = 1000


def _latest(*moments):
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None


def _list_schema(serializer, description: str):
    return extend_schema(description=description, responses={200: serializer, **READ_ERRORS})


def _detail_schema(serializer, description: str):
    return extend_schema(description=description, responses={200: serializer, **DETAIL_ERRORS})


class ReadViewSet(ApiViewSet):
    permission_classes = [AllowAny]
    # Only for the schema: parameters are parsed by filter_values and applied by selectors.
    filter_backends = [DjangoFilterBackend]

    def filter_values(self) -> dict:
        return self.filterset_class.parse(self.request.query_params)


@extend_schema_view(
    list=_list_schema(
        serializers.RepositorySerializer(many=True),
        "Public repositories, cursor-paginated; gone repositories only with gone=true.",
    ),
    retrieve=_detail_schema(
        serializers.RepositorySerializer, "One repository (also when gone from its forge)."
    ),
)
class RepositoryViewSet(ReadViewSet):
    queryset = Repository.objects.all()
    serializer_class = serializers.RepositorySerializer
    filterset_class = filters.RepositoryFilter
    pagination_class = StableCursorPagination
    orderings = {
        "id": ("id", "int"),
        "full_name": ("full_name", "text"),
        "stars": ("stars", "int"),
        "forks": ("forks", "int"),
        "first_seen_at": ("first_seen_at", "datetime"),
    }
    default_ordering = "id"

    @cached_read
    def list(self, request):
        values = self.filter_values()
        queryset = forge_selectors.repository_list(filters=values)
        if values.get("q"):
            queryset, _matched = forge_selectors.repository_matches_pinned(
                queryset, limit=PINNED_SEARCH_LIMIT
            )
        return self.paginated(
            forge_selectors.repository_rows(queryset),
            modified=lambda row: _latest(row["last_seen_at"], row["gone_at"]),
            complete=forge_selectors.repository_rows_complete,
        )

    @cached_read
    def retrieve(self, request, pk: str):
        row = forge_selectors.repository_rows(Repository.objects.filter(pk=integer_id(pk))).first()
        if row is None:
            raise NotFound("No repository with this id.")
        forge_selectors.repository_rows_complete([row])
        self.note_modified(row["last_seen_at"], row["gone_at"])
        return Response(self.get_serializer(row).data)


@extend_schema_view(
    list=_list_schema(
        serializers.AccountSerializer(many=True),
        "Crawled forge accounts (organisations, users, groups, whole instances), cursor-paginated.",
    ),
    retrieve=_detail_schema(serializers.AccountSerializer, "One forge account."),
)
class AccountViewSet(ReadViewSet):
    queryset = Account.objects.all()
    serializer_class = serializers.AccountSerializer
    filterset_class = filters.AccountFilter
    pagination_class = StableCursorPagination
    orderings = {"id": ("id", "int"), "login": ("login", "text")}
    default_ordering = "id"

    @cached_read
    def list(self, request):
        queryset = forge_selectors.account_list(filters=self.filter_values())
        return self.paginated(queryset, modified=lambda account: account.updated_at)

    @cached_read
    def retrieve(self, request, pk: str):
        account = forge_selectors.account_list(filters={}).filter(pk=integer_id(pk)).first()
        if account is None:
            raise NotFound("No account with this id.")
        self.note_modified(account.updated_at)
        return Response(self.get_serializer(account).data)


@extend_schema_view(
    list=_list_schema(
        serializers.OrganisationSerializer(many=True),
        "Public organisations with counts of accounts and repositories.",
    ),
    retrieve=_detail_schema(serializers.OrganisationSerializer, "One organisation, by slug."),
)
class OrganisationViewSet(ReadViewSet):
    queryset = Organisation.objects.all()
    serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.OrganisationFilter
    pagination_class = SmallPageNumberPagination
    lookup_field = "slug"

    @cached_read
    def list(self, request):
        queryset = forge_selectors.organisation_list(filters=self.filter_values()).order_by(
            "name", "pk"
        )
        return self.paginated(queryset, modified=lambda organisation: organisation.updated_at)

    @cached_read
    def retrieve(self, request, slug: str):
        organisation = (
            forge_selectors.organisation_list(filters={}).filter(slug=slug_value(slug)).first()
        )
        if organisation is None:
            raise NotFound("No organisation with this slug.")
        self.note_modified(organisation.updated_at)
        return Response(self.get_serializer(organisation).data)


@extend_schema_view(
    list=_list_schema(
        serializers.CrawlRunSerializer(many=True),
        "Crawl runs, newest first, each with its per-account results.",
    ),
    retrieve=_detail_schema(serializers.CrawlRunSerializer, "One crawl run."),
)
class CrawlRunViewSet(ReadViewSet):
    queryset = CrawlRun.objects.all()
    serializer_class = serializers.CrawlRunSerializer
    filterset_class = filters.CrawlRunFilter
    pagination_class = SmallPageNumberPagination

    @cached_read
    def list(self, request):
        queryset = forge_selectors.crawl_run_list(filters=self.filter_values())
        return self.paginated(
            queryset, modified=lambda run: _latest(run.started_at, run.finished_at)
        )

    @cached_read
    def retrieve(self, request, pk: str):
        run = forge_selectors.crawl_run_list(filters={}).filter(pk=integer_id(pk)).first()
        if run is None:
            raise NotFound("No crawl run with this id.")
        self.note_modified(run.started_at, run.finished_at)
        return Response(self.get_serializer(run).data)


@extend_schema_view(
    list=_list_schema(
        serializers.SoftwareSerializer(many=True),
        "The recommended free-software catalog (SILL): referent and user counts, instances, "
        "status. Referents' and users' identities are not listed here.",
    ),
    retrieve=_detail_schema(
        serializers.SoftwareDetailSerializer,
        "One software, by slug, with counts by organisation and the contacts of the referents "
        "and users who chose to make them public.",
    ),
)
class SoftwareViewSet(ReadViewSet):
    queryset = Software.objects.all()
    serializer_class = serializers.SoftwareSerializer
    filterset_class = filters.SoftwareFilter
    pagination_class = SmallPageNumberPagination
    lookup_field = "slug"

    @cached_read
    def list(self, request):
        queryset = selectors.software_api_list(filters=self.filter_values())
        return self.paginated(queryset, modified=lambda software: software.updated_at)

    @cached_read
    def retrieve(self, request, slug: str):
        software = selectors.software_api_get(slug=slug_value(slug), viewer=request.user)
        if software is None:
            raise NotFound("No software of the catalog with this slug.")
        software.organisations, software.public_contacts = selectors.software_public_declarations(
            software
        )
        software.enrichment = software_enrichment(software=software)
        self.note_modified(software.updated_at, software.enrichment.updated_at)
        return Response(serializers.SoftwareDetailSerializer(software).data)
