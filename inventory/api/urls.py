"""API routes: /api/v1/ resources, the OpenAPI schema and its documentation pages."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from inventory.api.views import dependencies, docs, read, root, write

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("repositories", read.RepositoryViewSet, basename="repository")
router.register(
    "repositories", dependencies.RepositoryDependenciesViewSet, basename="repository-dependencies"
)
router.register("packages", dependencies.PackageViewSet, basename="package")
router.register("accounts", read.AccountViewSet, basename="account")
router.register("organisations", read.OrganisationViewSet, basename="organisation")
router.register("crawl-runs", read.CrawlRunViewSet, basename="crawl-run")
router.register("software", read.SoftwareViewSet, basename="software")
router.register("software", write.DeclarationsViewSet, basename="software-declaration")
router.register("instances", write.InstanceViewSet, basename="instance")
router.register("comments", write.CommentViewSet, basename="comment")
router.register("me", write.MeViewSet, basename="me")

urlpatterns = [
    path("v1/", root.ApiRootView.as_view(), name="root"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.SwaggerView.as_view(), name="docs"),
    path("docs/assets/<path:path>", docs.docs_asset, name="docs-asset"),
]
