"""Root URLs: the web interface, sign-in, the API, open-data downloads and the admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("agents/", include("inventory.agents.urls")),
    path("api/", include("inventory.api.urls")),
    path("data/", include("inventory.opendata.urls")),
    path("", include("inventory.web.urls")),
]
