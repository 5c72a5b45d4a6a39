"""Anonymous clients are throttled with a 429, a Retry-After header and a readable message."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def test_anonymous_clients_past_the_rate_get_a_429_with_retry_after(api, world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"},
    }
    cache.clear()
    statuses = [api.get("/api/v1/organisations/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    throttled = api.get("/api/v1/repositories/")
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    # The message (in the request's language) says when to come back.
    assert throttled["Retry-After"] in throttled.json()["detail"]


def test_signed_in_agents_are_not_throttled_as_anonymous(api, world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute"},
    }
    cache.clear()
    api.force_authenticate(world.private_agent)
    assert [api.get("/api/v1/software/").status_code for _ in range(3)] == [200, 200, 200]


def test_off_switches_throttling_off(api, world, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "off"}}
    cache.clear()
    assert {api.get("/api/v1/organisations/").status_code for _ in range(5)} == {200}
