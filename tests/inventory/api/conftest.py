"""API test fixtures: a populated database and throttling off unless a test turns it on."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.inventory.api.factories import build_world


@pytest.fixture(autouse=True)
def _no_throttling(settings):
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
