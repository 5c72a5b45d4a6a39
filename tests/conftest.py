"""Shared fixtures: eager Celery by default (tests marked ``worker`` use a real one)."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation

from config.celery import app as celery_app


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Run tasks in-process unless the test drives a real worker."""
    if request.node.get_closest_marker("worker"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code called outside a request (services, commands) speaks the English source strings;
    requests still pick their language in the middleware (French unless the visitor chose)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Pages and their shared parts are rendered afresh (tests change data behind the
    services' back); the tests of the page cache and of shared parts turn them on."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.SHARED_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _isolated_var_dir(settings, tmp_path):
    """Open-data files and other generated output go to a per-test folder."""
    settings.OPENDATA_DIR = tmp_path / "opendata"


def english(client: Client) -> Client:
    """The client as a visitor who picked English with the language switcher."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def curator_client(client, django_user_model) -> Client:
    """A signed-in curator (superuser) reading the admin in English."""
    client.force_login(
        django_user_model.objects.create_superuser(
            email="curator@numerique.gouv.fr", password="unused-in-tests"
        )
    )
    return english(client)


def inventory_refresh() -> None:
    """What crawls leave behind, for repositories a test created directly: their reuse score
    and search document, and the stored counts (filter menus, statistics, accounts)."""
    from inventory.forges.services.counts import repository_counts_refresh
    from inventory.forges.services.derived import repositories_derived_refresh

    repositories_derived_refresh()
    repository_counts_refresh()
