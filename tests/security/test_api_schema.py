"""Item 9: the OpenAPI schema says what the API does (schemathesis found each of these)."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.inventory.api.factories import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db) -> APIClient:
    cache.clear()
    return APIClient()


@pytest.fixture
def schema(api) -> dict:
    return api.get("/api/schema/", {"format": "json"}).json()


def parameter(schema: dict, path: str, name: str, method: str = "get") -> dict:
    [found] = [p for p in schema["paths"][path][method]["parameters"] if p["name"] == name]
    return found


def test_path_ids_are_integers_in_the_schema_as_in_the_api(api, schema):
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            for item in operation.get("parameters", []):
                if item["in"] == "path" and item["name"] == "id":
                    assert item["schema"]["type"] == "integer", path
    assert api.get("/api/v1/repositories/abc/").status_code == 400


def test_a_page_past_the_end_is_a_documented_404(api, schema):
    build_world()
    assert "404" in schema["paths"]["/api/v1/organisations/"]["get"]["responses"]
    response = api.get("/api/v1/organisations/", {"page": 50})
    assert response.status_code == 404 and "page" in response.json()


def test_comments_need_a_software_slug_and_say_so(api, schema):
    software = parameter(schema, "/api/v1/comments/", "software")
    assert software["required"] is True and software["schema"]["pattern"]
    assert api.get("/api/v1/comments/", {"software": ""}).status_code == 400


def test_an_empty_comment_body_is_refused_and_the_schema_says_so(api, schema):
    world = build_world()
    body = schema["components"]["schemas"]["SoftwareCommentInput"]["properties"]["body"]
    assert body["pattern"] == "\\S"
    api.force_authenticate(world.public_agent)
    response = api.post("/api/v1/comments/", {"software": "libreoffice", "body": "  \n "})
    assert response.status_code == 400 and "body" in response.json()


@pytest.mark.parametrize("name", ["updated_since", "archived", "fork", "gone"])
def test_empty_typed_filters_are_refused(api, name):
    response = api.get("/api/v1/repositories/", {name: ""})
    assert response.status_code == 400 and name in response.json()


def test_web_addresses_are_described_as_the_api_takes_them(schema):
    public_url = schema["components"]["schemas"]["InstanceInput"]["properties"]["public_url"]
    web, empty = public_url["oneOf"]
    assert web["pattern"].startswith("^https?://") and empty["maxLength"] == 0
