"""Root URLs: the web interface, sign-in, the API, open-data downloads, the admin, health checks."""

from functools import partial

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from health_check.contrib.redis import Redis
from redis.asyncio import Redis as RedisClient

from inventory.core.health import HealthView


def health_checks(*, crawl: bool) -> list:
    """The web process's dependencies; with ``crawl``, also that the daily crawl works."""
    checks: list = ["health_check.checks.Database", "health_check.checks.Cache"]
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        broker = partial(RedisClient.from_url, settings.CELERY_BROKER_URL)
        checks.append((Redis, {"client_factory": broker}))
    if crawl:
        checks.append("inventory.forges.health.LastCrawlRun")
    return checks


urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("agents/", include("inventory.agents.urls")),
    path("api/", include("inventory.api.urls")),
    path("data/", include("inventory.opendata.urls")),
    # For monitoring: everything, the crawl included. For a load balancer: /health/web/.
    path("health/", HealthView.as_view(checks=health_checks(crawl=True)), name="health"),
    path(
        "health/web/",
        HealthView.as_view(checks=health_checks(crawl=False)),
        name="health-web",
    ),
    path("", include("inventory.enrichment.urls")),
    path("", include("inventory.web.urls")),
]
