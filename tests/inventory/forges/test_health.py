"""The health endpoints: the web process's dependencies, and whether the daily crawl works."""

import json
import socket
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.utils import timezone

from config.urls import health_checks
from inventory.core.health import HealthView
from inventory.forges.models import CrawlRun, CrawlStatus

pytestmark = pytest.mark.django_db(transaction=True)  # checks run in threads of their own


def in_a_thread_of_its_own(call, *args):
    """The health views are async (the library's): a fresh thread has no event loop running,
    whereas Playwright's sync API keeps one in the main thread once the browser tests ran."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(call, *args).result()


def health(client, path="/health/") -> tuple[int, dict]:
    response = in_a_thread_of_its_own(client.get, path, {"format": "json"})
    return response.status_code, json.loads(response.content)


def finished_run(hours_ago: float, status=CrawlStatus.PARTIAL) -> CrawlRun:
    at = timezone.now() - timedelta(hours=hours_ago)
    return CrawlRun.objects.create(started_at=at, finished_at=at, status=status)


def test_everything_is_healthy_after_a_recent_run_that_crawled_accounts(client):
    finished_run(hours_ago=2)

    status, checks = health(client)

    assert status == 200
    assert set(checks.values()) == {"OK"}
    assert {"Database(alias='default')", "Cache(alias='default')", "LastCrawlRun()"} <= set(checks)
    # On the embedded default there is no broker to check; with Redis there is.
    assert any(name.startswith("Redis(") for name in checks) == bool(
        django_settings.CELERY_BROKER_URL
    )


def test_no_successful_run_for_more_than_a_day_is_unhealthy(client):
    finished_run(hours_ago=27)
    finished_run(hours_ago=1, status=CrawlStatus.FAILED)

    status, checks = health(client)

    assert status == 503
    assert checks["LastCrawlRun()"].endswith("finished 27.0 hours ago")


def test_no_run_yet_is_unhealthy(client):
    assert health(client)[1]["LastCrawlRun()"].endswith("No crawl run has crawled an account yet")


def test_a_run_running_past_its_deadline_is_unhealthy(client, settings):
    settings.CRAWL_RUN_MAX_DURATION = 3600
    finished_run(hours_ago=1)
    stuck = CrawlRun.objects.create(started_at=timezone.now() - timedelta(hours=2))

    status, checks = health(client)

    assert status == 503
    assert f"#{stuck.pk} is still running past its deadline" in checks["LastCrawlRun()"]


def test_the_web_endpoint_leaves_the_crawl_out(client):
    assert health(client, "/health/web/")[0] == 200


def test_an_unreachable_broker_is_unhealthy(settings):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
    view = HealthView.as_view(checks=health_checks(crawl=False))

    request = RequestFactory().get("/health/web/", {"format": "json"})
    response = in_a_thread_of_its_own(async_to_sync(view), request)

    assert response.status_code == 503
    assert json.loads(response.content)[f"Redis(db=0, host='127.0.0.1', port={port})"] != "OK"
