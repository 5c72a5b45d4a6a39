"""The OpenAPI schema validates and documents every operation's errors; the documentation
pages load their assets from this site, not from a CDN."""

import re

import pytest
import yaml
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api):
    response = api.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # against the OpenAPI 3 JSON Schema


def test_every_operation_documents_its_errors_and_description(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation.get("description"), f"{method} {path}"
            assert {"400", "429"} <= set(operation["responses"]), f"{method} {path}"
            if "{" in path:
                assert "404" in operation["responses"], f"{method} {path}"
            if method != "get":
                assert "403" in operation["responses"], f"{method} {path}"


def test_repository_list_documents_every_filter_and_ordering(schema):
    parameters = {
        p["name"]: p for p in schema["paths"]["/api/v1/repositories/"]["get"]["parameters"]
    }
    assert {
        "organisation", "ministry", "forge", "language", "license", "topic", "archived", "fork",
        "gone", "updated_since", "q", "cursor", "page_size", "ordering",
    } <= set(parameters)  # fmt: skip
    assert "-stars" in parameters["ordering"]["schema"]["enum"]
    assert parameters["archived"]["schema"]["type"] == "boolean"


def test_documentation_page_uses_local_assets_only(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(source.startswith("/") for source in sources), sources
    for source in sources:
        if "/api/docs/assets/" in source:
            assert api.get(source).status_code == 200, source


def test_documentation_assets_cannot_escape_their_folder(api):
    assert api.get("/api/docs/assets/../../../../etc/passwd").status_code == 404
    assert api.get("/api/docs/assets/swagger-ui-dist/missing.js").status_code == 404
