"""Item 6: what used to answer 500 (or be silently accepted) is a 4xx naming the parameter."""

import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.inventory.api.factories import build_world
from tests.inventory.forges.workers import database_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db) -> APIClient:
    build_world()
    cache.clear()
    return APIClient()


def test_schema_and_docs_answer_with_throttling_switched_off(transactional_db):
    """API_ANON_RATE is read when the process starts (DRF's throttles keep the rate they were
    imported with): start one with it off and ask for the schema and the docs."""
    script = (
        "from django.test import Client; c = Client(); "
        "print(c.get('/api/schema/').status_code, c.get('/api/docs/').status_code)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        env={**os.environ, "API_ANON_RATE": "off", "DATABASE_URL": database_url()},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.split() == ["200", "200"], result.stderr[-2000:]


@pytest.mark.parametrize("cursor", ["%%%", "", "cD0x!"])
def test_malformed_cursors_are_refused_with_a_400_naming_the_cursor(api, cursor):
    response = api.get("/api/v1/repositories/", {"ordering": "first_seen_at", "cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_a_forged_date_cursor_is_a_404_naming_the_cursor(api):
    # p=9999-12-31T23:59:59-14:00: a date past the last one Python can hold in UTC.
    cursor = "cD05OTk5LTEyLTMxVDIzOjU5OjU5LTE0OjAw"
    response = api.get("/api/v1/repositories/", {"ordering": "first_seen_at", "cursor": cursor})
    assert response.status_code == 404
    assert "cursor" in response.json()


def test_a_cursor_the_api_gave_is_still_accepted(api):
    first = api.get("/api/v1/repositories/", {"ordering": "first_seen_at", "page_size": 1}).json()
    assert api.get(first["next"]).status_code == 200


def test_json_nested_past_any_sense_is_a_400_not_a_server_error(api):
    from tests.inventory.catalog import factories

    agent = factories.agent_create(email="nested@numerique.gouv.fr")
    api.force_authenticate(agent)
    body = "[" * 100_000 + "]" * 100_000
    response = api.post("/api/v1/comments/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]
