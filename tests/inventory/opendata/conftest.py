"""Open-data test fixtures: the same small inventory and catalog as the API tests."""

import pytest

from tests.inventory.api.factories import build_world


@pytest.fixture
def world(db):
    return build_world()
