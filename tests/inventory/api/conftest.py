"""API test fixtures: a populated database; throttling and the response cache off unless a
test turns them on."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.inventory.api.factories import build_world


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    settings.API_CACHE_SECONDS = 0
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "off"},
    }
    cache.clear()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def api():
    return APIClient()
