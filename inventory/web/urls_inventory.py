"""Code-inventory and statistics pages; included by inventory/web/urls.py."""

from django.urls import path

from inventory.web.views import dependencies, inventory, stats

urlpatterns = [
    path("code/", inventory.repository_search, name="repository_list"),
    path("code/organisations/", inventory.organisation_list, name="inventory_organisations"),
    path("code/comptes/<int:pk>/", inventory.account_detail, name="account_detail"),
    path("code/referencement/", inventory.account_proposal, name="account_proposal"),
    path("code/dependances/", dependencies.package_list, name="package_list"),
    path(
        "code/dependances/<str:ecosystem>/<path:name>/",
        dependencies.package_detail,
        name="package_detail",
    ),
    path(
        "code/depots/<int:pk>/dependances/",
        dependencies.repository_dependencies,
        name="repository_dependencies",
    ),
    path("statistiques/", stats.statistics, name="statistics"),
]
